"""Issue 13 finding 2, end to end: nothing of a public reply with a phone, an e-mail address or a neighbour's name
reaches Open311 or the public results page. The anonymiser's own property tests: linli/core/tests/test_anonymise.py.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.core.anonymise import normalise
from linli.core.tests.test_anonymise import assert_number_gone, emails, id_numbers, mobiles, rendered


@pytest.mark.django_db
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), number=st.one_of(mobiles(), id_numbers()), address=emails())
def test_nothing_of_a_public_reply_with_a_phone_email_or_neighbour_leaks_to_open311_or_the_page(
    aw, client, data, number, address
):
    from django.urls import reverse

    from linli.appeals.models import Appeal
    from linli.appeals.tests.test_public_reply import closed

    appeal = Appeal.objects.filter(public_reply__gt="").first() or closed(aw, building="b1", public_reply="灯已修好")
    phone = data.draw(rendered(number))
    reply = f"已联系王五处理，电话{phone}，邮箱{address}，楼道灯已更换"[:300]
    Appeal.objects.filter(pk=appeal.pk).update(public_reply=reply)
    rows = client.get("/open311/v2/requests.json").json()
    response = client.get(reverse("appeals:public_results", args=["e1"]))
    note = next(r["status_notes"] for r in rows if r["service_request_id"] == appeal.number)
    [line] = [r["reply"] for g in response.context["groups"] for r in g["rows"] if r["reply"]]
    for out in (note, line):
        assert "王五" not in out and "楼道灯已更换" in out
        assert "@" not in normalise(out)
        assert_number_gone(number, out)
    for body in (json.dumps(rows, ensure_ascii=False), response.content.decode()):
        assert phone not in body and "王五" not in body
