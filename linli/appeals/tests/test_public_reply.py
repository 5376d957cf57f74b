"""Issue 13 finding 2: what the public reads comes only from fields written for the public (公开摘要, 公开答复),
and the anonymiser still runs on them: a registry name of the community, a phone in Chinese numerals or circled
digits, an e-mail address never reach the public page or Open311.

The attack: a handler wrote "联系王某某，电话壹叁玖壹贰叁肆伍陆柒捌，邮箱 a@b.cn" into the internal texts
(办理情况, 向居民的说明, 回访内容) and Open311 published it as status_notes; a third person's name and a
phone in circled digits in the public summary reached the public results page.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from linli.appeals import services
from linli.appeals.choices import Outcome, Rating, ReplyMethod
from linli.appeals.forms import AppealReplyForm, AppealResolveForm
from linli.appeals.models import Appeal
from linli.appeals.tests.conftest import new_appeal

pytestmark = pytest.mark.django_db

INTERNAL = "联系王某某，电话壹叁玖壹贰叁肆伍陆柒捌，邮箱 a@b.cn"
LEAKS = ("王某某", "壹叁玖", "壹贰叁肆", "a@b.cn", "13912345678")


def closed(aw, *, explanation=INTERNAL, public_summary="", public_reply="", reply_public=None, **kwargs):
    appeal = new_appeal(aw, **kwargs)
    services.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"))
    services.sign(appeal, actor=aw.actor("dept_handler"))
    services.resolve(
        appeal,
        actor=aw.actor("dept_handler"),
        outcome=Outcome.PARTLY,
        resolution=INTERNAL,
        explanation=explanation,
        public_summary=public_summary,
        public_reply=public_reply,
    )
    services.reply(
        appeal,
        actor=aw.actor("secretary"),
        text=INTERNAL,
        method=ReplyMethod.PHONE,
        rating=Rating.SATISFIED,
        public_reply=reply_public,
    )
    appeal.refresh_from_db()
    return appeal


def open311_body(client) -> str:
    rows = client.get("/open311/v2/requests.json").json()
    return json.dumps(rows, ensure_ascii=False) + client.get("/open311/v2/requests.xml").content.decode()


def page_body(client, code="e1") -> str:
    return client.get(reverse("appeals:public_results", args=[code])).content.decode()


def test_a_handlers_internal_texts_never_reach_open311_status_notes(aw, client):
    appeal = closed(aw)
    [row] = [r for r in client.get("/open311/v2/requests.json").json() if r["service_request_id"] == appeal.number]
    assert row["status_notes"] == "已结案：部分解决"
    body = open311_body(client)
    for leak in LEAKS:
        assert leak not in body, leak


def test_a_handlers_internal_texts_never_reach_the_public_page(aw, client):
    closed(aw)
    body = page_body(client)
    assert "大家反映的事" in body
    for leak in LEAKS:
        assert leak not in body, leak


def test_the_public_reply_is_published_and_anonymised(aw, client):
    # 王五 lives in building 2; the appeal is about building 1: a third person of the same community.
    closed(
        aw,
        building="b1",
        public_reply="已联系王五处理，电话①③⑨①②③④⑤⑥⑦⑧，邮箱 wang.wu@example.com，楼道灯已更换",
    )
    for body in (open311_body(client), page_body(client)):
        assert "楼道灯已更换" in body
        for leak in ("王五", "①③⑨", "⑤⑥⑦⑧", "wang.wu", "example.com"):
            assert leak not in body, leak


def test_a_third_persons_registry_name_in_the_public_summary_is_masked(aw, client):
    closed(aw, building="b1", public_summary="王五家门口的路灯修好了，联系电话一三九 一二三四 五六七八")
    body = page_body(client)
    assert "路灯修好了" in body
    for leak in ("王五", "一三九", "五六七八"):
        assert leak not in body, leak


def test_the_closing_staff_may_rewrite_the_public_reply(aw, client):
    appeal = closed(aw, public_reply="灯已修好", reply_public="楼道灯已全部更换，感谢居民监督")
    assert appeal.public_reply == "楼道灯已全部更换，感谢居民监督"
    assert "楼道灯已全部更换" in page_body(client)


def test_the_public_fields_say_they_are_public(aw):
    for form in (AppealResolveForm(), AppealReplyForm()):
        help_text = form.fields["public_reply"].help_text
        assert "公开" in help_text and "12345" in help_text and "姓名、电话、门牌号" in help_text
        assert form.fields["public_reply"].label == "公开答复"


def test_the_reply_form_suggests_an_anonymised_public_reply(aw, client):
    appeal = new_appeal(aw, building="b1")
    services.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"))
    services.sign(appeal, actor=aw.actor("dept_handler"))
    services.resolve(
        appeal,
        actor=aw.actor("dept_handler"),
        outcome=Outcome.SOLVED,
        resolution="已为王五更换楼道灯，电话13600002222",
    )
    client.force_login(aw.users["secretary"])
    response = client.get(reverse("appeals:appeal_detail", args=[appeal.pk]))
    suggestion = response.context["forms"]["reply"]["public_reply"].value()
    assert "楼道灯" in suggestion
    assert "王五" not in suggestion and "13600002222" not in suggestion


def test_an_over_long_public_reply_is_refused_with_a_message(aw):
    appeal = new_appeal(aw)
    services.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"))
    services.sign(appeal, actor=aw.actor("dept_handler"))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.resolve(
            appeal, actor=aw.actor("dept_handler"), outcome=Outcome.SOLVED, resolution="好", public_reply="长" * 301
        )
    assert "公开答复" in str(exc.value)
    assert Appeal.objects.get(pk=appeal.pk).public_reply == ""


def test_a_resident_registered_after_the_names_were_read_is_masked_on_the_next_page(aw, client):
    from linli.testing import make_resident

    closed(aw, building="b1", public_reply="楼道灯已更换，欧阳娜娜家门口也装了")
    assert "欧阳娜娜" in page_body(client)  # not (yet) a resident: a plain word for the anonymiser
    make_resident(aw.buildings["b2"], "欧阳娜娜", room="301", seq=9, sex="F", phone="13600009999")
    body = page_body(client)
    assert "欧阳娜娜" not in body and "楼道灯已更换" in body


def test_the_public_page_reads_the_registry_in_a_fixed_number_of_queries(aw, client, django_assert_max_num_queries):
    for n in range(3):
        closed(aw, building="b1", public_reply=f"第{n}件已办好")
    page_body(client)  # warm: the registry is kept while it is unchanged
    with django_assert_max_num_queries(4):
        page_body(client)


def test_staff_correct_the_public_texts_of_a_closed_appeal_and_others_may_not(aw, client):
    appeal = closed(aw, building="b1", public_reply="灯已修好")
    client.force_login(aw.users["secretary"])
    page = client.get(reverse("appeals:appeal_detail", args=[appeal.pk])).content.decode()
    assert "公开内容" in page and "请勿填写姓名、电话、门牌号" in page
    url = reverse("appeals:appeal_public", args=[appeal.pk])
    data = {"public-public_summary": "1栋楼道灯不亮", "public-public_reply": "已更换1栋全部楼道灯"}
    assert client.post(url, data).status_code == 302
    appeal.refresh_from_db()
    assert (appeal.public_summary, appeal.public_reply) == ("1栋楼道灯不亮", "已更换1栋全部楼道灯")
    assert appeal.events.filter(note="修改公开内容", internal=True).exists()
    too_long = client.post(url, {"public-public_summary": "", "public-public_reply": "长" * 301})
    assert too_long.status_code == 400 and "公开答复太长了" in too_long.content.decode()
    client.force_login(aw.users["dept_handler"])
    assert client.post(url, data).status_code == 403
    client.force_login(aw.users["grid_worker_2"])  # another grid: the appeal is not in their area
    assert client.post(url, data).status_code == 404


def test_the_public_texts_cannot_be_set_before_the_appeal_is_resolved(aw):
    from django.core.exceptions import ValidationError

    appeal = new_appeal(aw)
    with pytest.raises(ValidationError):
        services.set_public_texts(appeal, actor=aw.actor("secretary"), public_summary="x", public_reply="y")
    assert Appeal.objects.get(pk=appeal.pk).public_reply == ""
