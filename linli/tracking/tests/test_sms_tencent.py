"""腾讯云短信 (TencentBackend) against a local fake of Tencent Cloud's API: the SDK's signed request reaches it with the
template id, parameters and +86 number; SendStatusSet decides sent / retry / failed for the recipient."""

import pytest

from linli.channels.testing import fake_server
from linli.tracking import sms


def ok(serial="2640:432947216914786117923475701"):
    status = {
        "SerialNo": serial,
        "PhoneNumber": "+8613900001111",
        "Fee": 1,
        "SessionContext": "",
        "Code": "Ok",
        "Message": "send success",
        "IsoCode": "CN",
    }
    return {"Response": {"SendStatusSet": [status], "RequestId": "a0aabda6-cf91-4f3e-a597-5fbd0a6ac3d7"}}


def refused(code, message="refused"):
    status = {
        "SerialNo": "",
        "PhoneNumber": "+8613900001111",
        "Fee": 0,
        "SessionContext": "",
        "Code": code,
        "Message": message,
        "IsoCode": "CN",
    }
    return {"Response": {"SendStatusSet": [status], "RequestId": "r1"}}


def error(code, message="error"):
    return {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": "r2"}}


@pytest.fixture
def tencent(settings):
    def start(*answers):
        server = fake_server(answers)
        state = server.__enter__()
        settings.LINLI_SMS_TENCENT_ENDPOINT = f"127.0.0.1:{state.port}"
        settings.LINLI_SMS_TENCENT_SCHEME = "http"
        settings.LINLI_SMS_TENCENT_SECRET_ID = "AKIDtest"
        settings.LINLI_SMS_TENCENT_SECRET_KEY = "secretkey"
        settings.LINLI_SMS_TENCENT_APP_ID = "1400000001"
        settings.LINLI_SMS_TENCENT_SIGN = "青和居社区"
        settings.LINLI_SMS_TENCENT_TEMPLATES = {"notice": "2001234", "code": "2001235"}
        settings.LINLI_SMS_TENCENT_TIMEOUT = 2
        started.append(server)
        return state

    started = []
    yield start
    for server in started:
        server.__exit__(None, None, None)


def test_a_template_message_reaches_the_api_signed_with_its_parameters(tencent):
    server = tencent(ok())
    serial = sms.TencentBackend().send_template("13900001111", "notice", ["青和居", "停水通知", "https://l.cn/n/ab/"])
    assert serial == "2640:432947216914786117923475701"
    (request,) = server.received
    assert request.headers["X-TC-Action"] == "SendSms"
    assert request.headers["X-TC-Version"] == "2021-01-11"
    assert request.headers["Authorization"].startswith("TC3-HMAC-SHA256 Credential=AKIDtest/")
    body = request.json()
    assert body["PhoneNumberSet"] == ["+8613900001111"]
    assert (body["TemplateId"], body["SmsSdkAppId"], body["SignName"]) == ("2001234", "1400000001", "青和居社区")
    assert body["TemplateParamSet"] == ["青和居", "停水通知", "https://l.cn/n/ab/"]


def test_a_bad_number_fails_for_good(tencent):
    tencent(refused("InvalidParameterValue.IncorrectPhoneNumber"))
    with pytest.raises(sms.SmsError) as failed:
        sms.TencentBackend().send_template("13900001111", "notice", ["a", "b", "c"])
    assert failed.value.permanent and str(failed.value) == "手机号码格式不正确"


def test_a_frequency_limit_is_worth_another_try(tencent):
    tencent(refused("LimitExceeded.PhoneNumberThirtySecondLimit"))
    with pytest.raises(sms.SmsError) as failed:
        sms.TencentBackend().send_template("13900001111", "notice", ["a", "b", "c"])
    assert not failed.value.permanent and "过于频繁" in str(failed.value)


def test_wrong_credentials_fail_for_good_with_a_chinese_reason(tencent):
    tencent(error("AuthFailure.SignatureFailure", "The provided credentials could not be validated."))
    with pytest.raises(sms.SmsError) as failed:
        sms.TencentBackend().send_template("13900001111", "notice", ["a", "b", "c"])
    assert failed.value.permanent and str(failed.value) == "短信服务的密钥不正确"


def test_an_unreachable_api_is_worth_another_try(settings):
    settings.LINLI_SMS_TENCENT_ENDPOINT = "127.0.0.1:9"  # nothing listens on the discard port
    settings.LINLI_SMS_TENCENT_SCHEME = "http"
    settings.LINLI_SMS_TENCENT_TEMPLATES = {"notice": "1"}
    with pytest.raises(sms.SmsError) as failed:
        sms.TencentBackend().send_template("13900001111", "notice", ["a"])
    assert not failed.value.permanent


def test_a_template_without_an_id_is_refused_before_any_request(settings):
    settings.LINLI_SMS_TENCENT_TEMPLATES = {}
    with pytest.raises(sms.SmsError) as failed:
        sms.TencentBackend().send_template("13900001111", "notice", ["a"])
    assert failed.value.permanent and "LINLI_SMS_TENCENT_TEMPLATES" in str(failed.value)


def test_the_unlock_code_goes_through_the_code_template(tencent):
    server = tencent(ok())
    sms.TencentBackend().send("13900001111", "【邻里】您的验证码是 482913，5分钟内有效。")
    body = server.received[0].json()
    assert (body["TemplateId"], body["TemplateParamSet"]) == ("2001235", ["482913"])


@pytest.mark.django_db
def test_per_recipient_status_goes_to_the_outbound_row(world, tencent, settings):
    from linli.channels.models import Outbound
    from linli.channels.sender import send_due
    from linli.channels.testing import queue_sms
    from linli.channels.tests.conftest import at

    settings.LINLI_SMS_BACKEND = "linli.tracking.sms.TencentBackend"
    tencent(ok("SN-1"), refused("FailedOperation.PhoneNumberInBlacklist"))
    dispatch = queue_sms(world.communities["e1"], ["13900001111", "13900002222"])
    send_due(now=at(10, 0))
    first, second = Outbound.objects.filter(dispatch=dispatch).order_by("id")
    assert (first.status, first.provider_ref) == ("sent", "SN-1")
    assert (second.status, second.last_error) == ("failed", "该号码已退订或在黑名单中")
