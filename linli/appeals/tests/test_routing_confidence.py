"""Issue 21: a routing suggestion below LINLI_ROUTING_MIN_CONFIDENCE is not pre-filled on the 派单 form, and the
uncategorised appeal is marked 需人工判断 on the 待派单 tab, so a dispatcher decides."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from linli.appeals.routing import services as routing
from linli.appeals.tests.conftest import LIGHT, new_appeal

pytestmark = pytest.mark.django_db

VAGUE = "麻烦你们来看一下，这个事情拖了很久了。"


def test_a_suggestion_below_the_setting_needs_review_and_one_above_does_not():
    sure = routing.suggest(LIGHT)
    with override_settings(LINLI_ROUTING_MIN_CONFIDENCE=sure.confidence + 0.01):
        assert routing.suggest(LIGHT).needs_review
        assert routing.predict([LIGHT])[0].needs_review
        assert routing.suggest_many([(LIGHT, None)])[0].needs_review
    with override_settings(LINLI_ROUTING_MIN_CONFIDENCE=sure.confidence - 0.01):
        assert not routing.suggest(LIGHT).needs_review
        assert not routing.suggest_many([(LIGHT, None)])[0].needs_review
    assert routing.suggest_many([(LIGHT, None)])[0].unit == sure.unit


def test_an_unsure_suggestion_is_not_pre_filled_and_the_page_says_a_person_decides(aw, login, uncategorised):
    appeal = uncategorised(VAGUE)
    client = login(aw.users["secretary"])
    url = reverse("appeals:appeal_detail", args=[appeal.pk])
    with override_settings(LINLI_ROUTING_MIN_CONFIDENCE=0.99):
        page = client.get(url)
    form = page.context["forms"]["dispatch"]
    assert not form.initial.get("unit") and not form.initial.get("category")
    assert "需人工判断：系统把握不大" in page.content.decode()
    with override_settings(LINLI_ROUTING_MIN_CONFIDENCE=0.0):
        page = client.get(url)
    assert page.context["forms"]["dispatch"].initial["unit"]
    assert "需人工判断" not in page.content.decode()


def test_the_dispatch_queue_marks_only_uncategorised_appeals_the_model_is_unsure_of(aw, login, uncategorised):
    unsure = uncategorised(VAGUE)
    sure = uncategorised(LIGHT)
    threshold = (routing.suggest(VAGUE).confidence + routing.suggest(LIGHT).confidence) / 2
    assert routing.suggest(VAGUE).confidence < threshold < routing.suggest(LIGHT).confidence
    client = login(aw.users["secretary"])
    with override_settings(LINLI_ROUTING_MIN_CONFIDENCE=threshold):
        html = client.get(reverse("appeals:appeal_list") + "?tab=dispatch").content.decode()
    row = {a.pk: html.split(f'id="appeal-{a.pk}"')[1].split("</li>")[0] for a in (unsure, sure)}
    assert "需人工判断" in row[unsure.pk]
    assert "需人工判断" not in row[sure.pk]
    with override_settings(LINLI_ROUTING_MIN_CONFIDENCE=0):
        assert "需人工判断" not in client.get(reverse("appeals:appeal_list") + "?tab=dispatch").content.decode()


def test_phrase_spans_find_the_models_words_in_the_original_writing():
    from linli.appeals.routing.model import phrase_spans

    text = "３號樓的樓道燈壞了，樓道燈一直不亮"
    spans = phrase_spans(text, ["楼道灯"])
    assert [text[a:b] for a, b in spans] == ["樓道燈", "樓道燈"]
    assert phrase_spans("楼道灯坏了", ["楼道", "道灯"]) == [(0, 3)]  # overlapping phrases are one stretch
    assert phrase_spans("楼道灯坏了", []) == [] and phrase_spans("", ["楼道"]) == []


def test_the_dispatch_page_marks_the_phrases_that_decided_the_suggestion_and_escapes_the_rest(aw, login, uncategorised):
    appeal = uncategorised("<b>3栋</b>楼道灯坏了一个星期，\n晚上老人上下楼看不见。")
    client = login(aw.users["secretary"])
    with override_settings(LINLI_ROUTING_MIN_CONFIDENCE=0.0):
        html = client.get(reverse("appeals:appeal_detail", args=[appeal.pk])).content.decode()
    text = html.split('<section class="detail-text">')[1].split("</section>")[0]
    assert '<mark class="routing-key" title="分派建议依据">' in text
    marked = [part.split("</mark>")[0].split(">", 1)[1] for part in text.split("<mark")[1:]]
    assert any("楼道灯" in m or "楼道" in m for m in marked)
    assert "&lt;b&gt;3栋&lt;/b&gt;" in text and "<b>3栋" not in text  # the resident's text stays text
    assert "<br>" in text


def test_once_dispatched_the_text_is_shown_without_marks(aw, login, uncategorised):
    appeal = uncategorised(LIGHT)
    client = login(aw.users["secretary"])
    url = reverse("appeals:appeal_detail", args=[appeal.pk])
    with override_settings(LINLI_ROUTING_MIN_CONFIDENCE=0.0):
        page = client.get(url)
        assert "routing-key" in page.content.decode()
        form = page.context["forms"]["dispatch"]
        response = client.post(
            reverse("appeals:appeal_dispatch", args=[appeal.pk]),
            {"dispatch-category": form.initial["category"], "dispatch-unit": form.initial["unit"], "dispatch-note": ""},
        )
        assert response.status_code == 302
        page = client.get(url)
    assert page.status_code == 200 and "楼道灯坏了" in page.content.decode()
    assert "routing-key" not in page.content.decode()


def test_an_appeal_with_a_category_goes_to_its_unit_without_the_unsure_mark(aw, login, uncategorised):
    """The category's default unit decides the routing of a categorised appeal: however unsure the model is of
    the text, neither its 派单 form nor its 待派单 row says 需人工判断, and the form keeps the category's unit."""
    categorised = new_appeal(aw, category="corridor_light", text=VAGUE)
    unsure = uncategorised(VAGUE)
    client = login(aw.users["secretary"])
    with override_settings(LINLI_ROUTING_MIN_CONFIDENCE=0.99):
        page = client.get(reverse("appeals:appeal_detail", args=[categorised.pk]))
        html = client.get(reverse("appeals:appeal_list") + "?tab=dispatch").content.decode()
    assert routing.suggest(VAGUE).confidence < 0.99
    assert page.context["forms"]["dispatch"].initial["unit"] == aw.units["property"].pk
    text = page.content.decode()
    assert "按问题类别，默认派给" in text and "需人工判断" not in text
    row = {a.pk: html.split(f'id="appeal-{a.pk}"')[1].split("</li>")[0] for a in (categorised, unsure)}
    assert "需人工判断" not in row[categorised.pk]
    assert "需人工判断" in row[unsure.pk]
