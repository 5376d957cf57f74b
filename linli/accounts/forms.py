from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续5次错误，账号将锁定30分钟。",
        "inactive": "该账号已停用，请联系管理员。",
    }
