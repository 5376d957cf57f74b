"""发送渠道 in the menu (通知: 企业微信群, 发送记录) and the demo (two groups in 青和居)."""

from linli.channels import demo
from linli.core import shell

# The notices app declares the same group; an identical second declaration is accepted by the registry.
shell.menu_group("通知", order=42)  # shared with linli.notices (same label and order)
shell.menu_entry("通知", "channels:wechat_group_list", "企业微信群", order=60, visible=shell.perm("channel.view"))
shell.menu_entry("通知", "channels:dispatch_list", "发送记录", order=70, visible=shell.perm("channel.view"))

shell.demo_step("channels", demo.demo_step, order=60)
