"""企业微信群机器人 (WeChat Work group robots): checking a webhook address and posting a message to it.

The backend is chosen by the setting LINLI_WECHAT_BACKEND (a dotted class path):

- `WebhookBackend` (production): a JSON POST to the group's webhook URL,
  {"msgtype": "markdown", "markdown": {"content": ...}} (or "text"), answered with {"errcode": 0, "errmsg": "ok"}.
- `LogBackend` (the default, development and the demo): writes the message to the "linli.channels" log with the
  robot's key masked; `linli check --deploy` warns while production uses it.
- `LocMemBackend` (tests): keeps messages in `outbox`.

A webhook URL carries the robot's key: whoever has it can post into the residents' group. It never appears in a
log line, an error, a page, a change record or the API: errors name the group and its last four characters only.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

logger = logging.getLogger("linli.channels")

DEFAULT_BACKEND = "linli.channels.wechat.LogBackend"
OFFICIAL_PREFIX = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="

#: errcodes after which trying again cannot help: the key is wrong or the robot was removed from the group.
PERMANENT_ERRCODES = {93000, 93004, 93008, 40008, 40058, 300005, 41001, 40001, 40014, 42001}
#: errcode → the reason staff read (others: "企业微信返回错误 <code>").
REASONS = {
    45009: "发送太频繁，超过了企业微信每分钟20条的限制，稍后自动重试",
    93000: "Webhook地址无效（机器人已删除或地址抄错），请重新登记",
    93004: "机器人已被移出群聊，请重新添加机器人后登记新地址",
    93008: "机器人所在的群已解散或不存在",
    40008: "消息格式不被企业微信接受",
    40058: "消息内容不被企业微信接受",
    300005: "Webhook地址无效（机器人已删除或地址抄错），请重新登记",
    -1: "企业微信系统繁忙，稍后自动重试",
}


class RedactKeys(logging.Filter):
    """httpx logs every request's URL at INFO ("HTTP Request: POST https://…?key=…"): the key is masked in any record
    of the HTTP client's loggers before a handler sees it."""

    pattern = re.compile(r"(key=)([A-Za-z0-9_-]+)")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "key=" in message:
            record.msg = self.pattern.sub(lambda m: m.group(1) + "****" + m.group(2)[-4:], message)
            record.args = ()
        return True


for _name in ("httpx", "httpcore"):
    if not any(isinstance(f, RedactKeys) for f in logging.getLogger(_name).filters):
        logging.getLogger(_name).addFilter(RedactKeys())


class WechatError(Exception):
    """Posting failed. The message is a Chinese reason without the key; `permanent`: trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False, code: int | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.code = code


def allowed_prefixes() -> list[str]:
    extra = getattr(settings, "LINLI_WECHAT_WEBHOOK_PREFIXES", None) or []
    return [OFFICIAL_PREFIX, *extra]


def clean_webhook_url(value: str) -> str:
    """The URL as stored, or a Chinese ValidationError (never repeating the URL: it is a secret)."""
    url = (value or "").strip()
    if not url:
        raise ValidationError("请填写群机器人的Webhook地址。")
    if any(ch.isspace() for ch in url) or len(url) > 500:
        raise ValidationError("Webhook地址格式不正确，请从企业微信里完整复制。")
    if url.startswith("http://qyapi.weixin.qq.com"):
        raise ValidationError("Webhook地址必须以 https:// 开头（企业微信的地址是 https://qyapi.weixin.qq.com/…）。")
    if not any(url.startswith(prefix) for prefix in allowed_prefixes()):
        raise ValidationError(
            "这不是企业微信群机器人的地址：应以 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key= 开头。"
        )
    key = key_of(url)
    if not key or not re.fullmatch(r"[A-Za-z0-9_-]{8,80}", key):
        raise ValidationError("Webhook地址缺少有效的 key，请在企业微信里重新复制机器人的完整地址。")
    return url


def key_of(url: str) -> str:
    return (parse_qs(urlsplit(url).query).get("key") or [""])[0]


def tail_of(url: str) -> str:
    """The last four characters of the key: enough to tell two robots apart, not enough to post."""
    return key_of(url)[-4:] or url[-4:]


def masked(url: str) -> str:
    key = key_of(url)
    return url.replace(key, "****" + key[-4:]) if key else "****"


@dataclass(frozen=True)
class Posted:
    url_tail: str
    content: str
    msgtype: str


class BaseBackend:
    def post(self, url: str, content: str, *, msgtype: str = "markdown") -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LogBackend(BaseBackend):
    """Writes the message to the log instead of posting it (development, demo)."""

    def post(self, url: str, content: str, *, msgtype: str = "markdown") -> None:
        logger.warning("企业微信群消息（未发送，仅写入日志）→ %s：%s", masked(url), content)


#: Messages "posted" through LocMemBackend, oldest first. Tests clear it.
outbox: list[Posted] = []


class LocMemBackend(BaseBackend):
    def post(self, url: str, content: str, *, msgtype: str = "markdown") -> None:
        outbox.append(Posted(url_tail=tail_of(url), content=content, msgtype=msgtype))


class WebhookBackend(BaseBackend):
    """The real robot: one JSON POST per message (httpx), errcode read from the answer."""

    def __init__(self):
        self.timeout = float(getattr(settings, "LINLI_WECHAT_TIMEOUT", 10))

    def post(self, url: str, content: str, *, msgtype: str = "markdown") -> None:
        import httpx

        # WeChat Work caps markdown at 4096 bytes and text at 2048.
        limit = 4096 if msgtype == "markdown" else 2048
        body = content.encode("utf-8")[:limit].decode("utf-8", "ignore")
        payload = {"msgtype": msgtype, msgtype: {"content": body}}
        try:
            response = httpx.post(url, json=payload, timeout=self.timeout)
        except httpx.TimeoutException:
            raise WechatError("连接企业微信超时，稍后自动重试")
        except httpx.HTTPError as exc:
            # httpx's message may quote the URL: only the exception's class is kept.
            raise WechatError(f"无法连接企业微信（{type(exc).__name__}），稍后自动重试")
        if response.status_code >= 500:
            raise WechatError(f"企业微信服务器错误（HTTP {response.status_code}），稍后自动重试")
        if response.status_code == 404:
            raise WechatError("Webhook地址无效（HTTP 404），请重新登记", permanent=True)
        try:
            data = response.json()
            code = int(data.get("errcode", -1))
        except (ValueError, TypeError, AttributeError):
            raise WechatError(f"企业微信返回了无法识别的应答（HTTP {response.status_code}），稍后自动重试")
        if code == 0:
            return
        reason = REASONS.get(code) or f"企业微信返回错误 {code}"
        raise WechatError(reason, permanent=code in PERMANENT_ERRCODES, code=code)


def get_backend() -> BaseBackend:
    return import_string(getattr(settings, "LINLI_WECHAT_BACKEND", DEFAULT_BACKEND))()
