"""Text messages (短信) through a pluggable backend.

LINLI_SMS_BACKEND is the dotted path of a class whose instances have

    send(phone: str, text: str) -> None
    send_template(phone: str, template: str, params: list[str], text: str = "") -> str

`phone` is a normalised mainland mobile number ("13812345678"), `text` the whole message in Chinese
(signature included). Providers in China only send pre-approved templates (模板) with parameters, so bulk
messages (notices through linli.channels) use `send_template` with a template name ("notice", "code") that the
backend maps to the provider's template id; it returns the provider's serial number (回执). A backend raises
SmsError when the gateway refuses or cannot be reached; `SmsError.permanent` says whether trying again can help
(a wrong number cannot; a timeout or a frequency limit can), and its message is a Chinese reason staff read.

Shipped backends:
- LogBackend (the default): writes the message to the "linli.sms" log at WARNING, so it shows on the
  console of a development or demo server. `linli check --deploy` warns when production still uses it.
- LocMemBackend: keeps messages in `linli.tracking.sms.outbox` (a list of Message); for tests.

- TencentBackend: 腾讯云短信 through Tencent's SDK (tencentcloud-sdk-python-sms), configured by LINLI_SMS_TENCENT_*
  settings (see linli/settings.py and docs/channels.md).

Another gateway (阿里云短信, an operator's SMPP bridge) is a class of a few lines with the same two methods.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from linli.core.phone import mask_phone

logger = logging.getLogger("linli.sms")

DEFAULT_BACKEND = "linli.tracking.sms.LogBackend"


class SmsError(Exception):
    """The message could not be sent (the gateway said no, or is unreachable). `permanent`: trying again
    cannot help (a bad number, an unapproved template, wrong credentials)."""

    def __init__(self, message: str, *, permanent: bool = False, code: str = ""):
        super().__init__(message)
        self.permanent = permanent
        self.code = code


@dataclass(frozen=True)
class Message:
    phone: str
    text: str
    template: str = ""
    params: tuple[str, ...] = ()


class BaseBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def send_template(self, phone: str, template: str, params: list[str], text: str = "") -> str:  # pragma: no cover
        raise NotImplementedError


class LogBackend(BaseBackend):
    """Writes the message to the log instead of sending it (development, demo)."""

    def send(self, phone: str, text: str) -> None:
        # The full number is needed to read the code off the console during a demo; a production
        # deployment configures a real backend (the deploy check warns otherwise).
        logger.warning("短信（未发送，仅写入日志）→ %s：%s", phone, text)

    def send_template(self, phone: str, template: str, params: list[str], text: str = "") -> str:
        # Bulk messages carry no secret: the number is masked (a notice to 10,000 residents must not put their
        # phone numbers into the log).
        logger.warning("短信（未发送，仅写入日志）→ %s [%s] %s", mask_phone(phone), template, text or "|".join(params))
        return f"log-{uuid.uuid4().hex[:12]}"


#: Messages "sent" through LocMemBackend, oldest first. Tests clear it.
outbox: list[Message] = []


class LocMemBackend(BaseBackend):
    """Collects messages in `outbox` (tests)."""

    def send(self, phone: str, text: str) -> None:
        outbox.append(Message(phone=phone, text=text))

    def send_template(self, phone: str, template: str, params: list[str], text: str = "") -> str:
        outbox.append(Message(phone=phone, text=text, template=template, params=tuple(params)))
        return f"mem-{len(outbox)}"


def get_backend() -> BaseBackend:
    return import_string(getattr(settings, "LINLI_SMS_BACKEND", DEFAULT_BACKEND))()


#: Codes of Tencent's per-number status (SendStatusSet[].Code) and errors after which trying again cannot help.
TENCENT_PERMANENT = (
    "InvalidParameterValue.IncorrectPhoneNumber",
    "InvalidParameterValue.TemplateParameterFormatError",
    "InvalidParameterValue.TemplateParameterLengthLimit",
    "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
    "FailedOperation.TemplateIncorrectOrUnapproved",
    "FailedOperation.SignatureIncorrectOrUnapproved",
    "FailedOperation.PhoneNumberInBlacklist",
    "FailedOperation.PhoneNumberParseFail",
    "FailedOperation.InsufficientBalanceInSmsPackage",
    "UnauthorizedOperation",
    "AuthFailure",
    "UnsupportedOperation",
    "MissingParameter",
)
#: The Chinese reason staff read for the common codes (others: the provider's message with its code).
TENCENT_REASONS = {
    "InvalidParameterValue.IncorrectPhoneNumber": "手机号码格式不正确",
    "FailedOperation.PhoneNumberInBlacklist": "该号码已退订或在黑名单中",
    "FailedOperation.TemplateIncorrectOrUnapproved": "短信模板未审核通过或模板编号有误",
    "FailedOperation.SignatureIncorrectOrUnapproved": "短信签名未审核通过",
    "FailedOperation.InsufficientBalanceInSmsPackage": "短信套餐余额不足",
    "LimitExceeded.PhoneNumberDailyLimit": "该号码今日接收短信已达上限",
    "LimitExceeded.PhoneNumberThirtySecondLimit": "该号码30秒内接收短信过于频繁",
    "LimitExceeded.PhoneNumberOneHourLimit": "该号码1小时内接收短信过于频繁",
    "LimitExceeded.DeliveryFrequencyLimit": "发送过于频繁",
    "AuthFailure.SecretIdNotFound": "短信服务的密钥不存在",
    "AuthFailure.SignatureFailure": "短信服务的密钥不正确",
    "ServerNetworkError": "短信服务暂时无法连接",
    "ClientNetworkError": "短信服务暂时无法连接",
}


def _tencent_reason(code: str, message: str) -> str:
    return TENCENT_REASONS.get(code) or f"短信服务商拒绝发送（{code}：{message}）"[:190]


class TencentBackend(BaseBackend):
    """腾讯云短信 (SMS API 2021-01-11, SendSms) through Tencent's SDK.

    Settings (from the environment, see linli/settings.py): LINLI_SMS_TENCENT_SECRET_ID / _SECRET_KEY (a CAM key
    allowed to send SMS), _APP_ID (SmsSdkAppId), _SIGN (the approved signature, e.g. 青和居社区), _REGION
    (ap-guangzhou), _TEMPLATES (JSON: template name → approved template id, e.g. {"notice": "1234567", "code":
    "1234568"}) and, for tests or a proxy, _ENDPOINT (host[:port]) and _SCHEME (https, or http for a local fake).
    `send(phone, text)` (the unlock codes) uses the "code" template with the digits found in the text."""

    def __init__(self):
        self.secret_id = getattr(settings, "LINLI_SMS_TENCENT_SECRET_ID", "")
        self.secret_key = getattr(settings, "LINLI_SMS_TENCENT_SECRET_KEY", "")
        self.app_id = getattr(settings, "LINLI_SMS_TENCENT_APP_ID", "")
        self.sign = getattr(settings, "LINLI_SMS_TENCENT_SIGN", "")
        self.region = getattr(settings, "LINLI_SMS_TENCENT_REGION", "ap-guangzhou")
        self.templates = dict(getattr(settings, "LINLI_SMS_TENCENT_TEMPLATES", {}) or {})
        self.endpoint = getattr(settings, "LINLI_SMS_TENCENT_ENDPOINT", "") or "sms.tencentcloudapi.com"
        self.scheme = getattr(settings, "LINLI_SMS_TENCENT_SCHEME", "") or "https"
        self.timeout = int(getattr(settings, "LINLI_SMS_TENCENT_TIMEOUT", 10))

    def _client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        http = HttpProfile(protocol=self.scheme, endpoint=self.endpoint, reqTimeout=self.timeout)
        profile = ClientProfile(httpProfile=http)
        profile.disable_region_breaker = True
        return sms_client.SmsClient(credential.Credential(self.secret_id, self.secret_key), self.region, profile)

    def send(self, phone: str, text: str) -> None:
        digits = re.findall(r"\d{4,8}", text)
        self.send_template(phone, "code", digits[:1], text)

    def send_template(self, phone: str, template: str, params: list[str], text: str = "") -> str:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        template_id = self.templates.get(template)
        if not template_id:
            raise SmsError(f"未配置短信模板“{template}”的模板编号（LINLI_SMS_TENCENT_TEMPLATES）", permanent=True)
        request = models.SendSmsRequest()
        request.SmsSdkAppId = str(self.app_id)
        request.SignName = self.sign
        request.TemplateId = str(template_id)
        request.TemplateParamSet = [str(p) for p in params]
        request.PhoneNumberSet = [f"+86{phone}"]
        try:
            response = self._client().SendSms(request)
        except TencentCloudSDKException as exc:
            code = exc.get_code() or ""
            permanent = code.startswith(TENCENT_PERMANENT)
            raise SmsError(_tencent_reason(code, exc.get_message() or ""), permanent=permanent, code=code)
        except Exception as exc:  # the SDK lets some network errors through as they are
            raise SmsError("短信服务暂时无法连接", code=type(exc).__name__) from exc
        statuses = response.SendStatusSet or []
        status = statuses[0] if statuses else None
        if status is None:
            raise SmsError("短信服务商没有返回发送结果")
        if status.Code != "Ok":
            code = status.Code or ""
            raise SmsError(
                _tencent_reason(code, status.Message or ""), permanent=code.startswith(TENCENT_PERMANENT), code=code
            )
        return status.SerialNo or ""


def send_sms(phone: str, text: str) -> None:
    """Send one message through the configured backend (SmsError when it fails)."""
    backend = get_backend()
    try:
        backend.send(phone, text)
    except SmsError:
        raise
    except Exception as exc:
        logger.exception("SMS to %s failed", mask_phone(phone))
        raise SmsError(str(exc)) from exc
