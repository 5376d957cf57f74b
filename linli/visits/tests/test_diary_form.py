"""A new 民情日记 is dated today (issue 14): its date field used to start empty and the first save failed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.visits.models import FieldNote

pytestmark = pytest.mark.django_db


def test_a_new_note_starts_with_todays_date_and_saves_first_time(world, login):
    client = login(world.users["grid_worker_1"])
    form = client.get(reverse("visits:diary_add")).context["form"]
    today = timezone.localdate()
    assert form["written_on"].value() == today
    assert f'value="{today:%Y-%m-%d}"' in str(form["written_on"])
    # what the browser sends back: the rendered date, and the text typed
    response = client.post(reverse("visits:diary_add"), {"written_on": f"{today:%Y-%m-%d}", "text": "楼道灯坏了"})
    assert response.status_code == 302
    assert FieldNote.objects.get(text="楼道灯坏了").written_on == today


def test_an_edited_note_keeps_its_own_date(world, login):
    client = login(world.users["grid_worker_1"])
    client.post(reverse("visits:diary_add"), {"written_on": "2026-01-05", "text": "旧日记"})
    note = FieldNote.objects.get(text="旧日记")
    form = client.get(reverse("visits:diary_edit", args=[note.pk])).context["form"]
    assert form["written_on"].value() in (datetime.date(2026, 1, 5), "2026-01-05")
