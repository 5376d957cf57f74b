"""便民服务: the public 办事指南, slot capacity, ticket numbers, 代办 due dates and overdue, a resident booking for
themself, and who sees which rows."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from linli.core.audit import actor_of
from linli.hall import services
from linli.hall.choices import AppointmentStatus, ErrandStatus, TicketStatus
from linli.hall.models import Appointment, Errand, ServiceMatter, Ticket
from linli.hall.testing import at, make_counter, make_matter, matrix_objects, next_monday
from linli.testing import SYSTEM
from linli.workdays.calendar import add_workdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(world):
    return matrix_objects(world)


def test_the_public_guide_lists_published_matters_without_login(client, world, hall):
    e1 = world.communities["e1"]
    make_matter(e1, "内部事项", published=False)
    response = client.get(reverse("hall:public_guide", args=[e1.code]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "居住证明" in text and "城乡居民医保参保登记" in text
    assert "内部事项" not in text and "西一居住证明" not in text
    matter = ServiceMatter.objects.get(community=e1, name="低保申请（转街道）")
    page = client.get(reverse("hall:public_matter", args=[e1.code, matter.pk])).content.decode()
    assert "收入证明" in page and "街道办事处" in page
    hidden = ServiceMatter.objects.get(name="内部事项")
    assert client.get(reverse("hall:public_matter", args=[e1.code, hidden.pk])).status_code == 404


def test_a_slot_takes_no_more_appointments_than_its_capacity(world, hall):
    counter, matter = hall["hall_counters"]["e1"], hall["hall_matters"]["e1"]
    start = at(next_monday(), 10)
    for name in ("甲", "乙"):
        services.book_appointment(counter=counter, matter=matter, starts_at=start, name=name, actor=SYSTEM)
    with pytest.raises(ValidationError, match="已约满"):
        services.book_appointment(counter=counter, matter=matter, starts_at=start, name="丙", actor=SYSTEM)
    first = Appointment.objects.filter(counter=counter, starts_at=start).first()
    services.set_appointment_status(first, AppointmentStatus.CANCELLED, actor=SYSTEM)
    services.book_appointment(counter=counter, matter=matter, starts_at=start, name="丙", actor=SYSTEM)
    assert Appointment.objects.filter(counter=counter, starts_at=start).exclude(status="cancelled").count() == 2


def test_an_appointment_must_fall_on_an_open_slot_ahead(world, hall):
    counter, matter = hall["hall_counters"]["e1"], hall["hall_matters"]["e1"]
    saturday = next_monday() + datetime.timedelta(days=5)
    with pytest.raises(ValidationError, match="开放的预约时段"):
        services.book_appointment(counter=counter, matter=matter, starts_at=at(saturday, 9), name="甲", actor=SYSTEM)
    with pytest.raises(ValidationError, match="开放的预约时段"):
        services.book_appointment(
            counter=counter, matter=matter, starts_at=at(next_monday(), 9, 10), name="甲", actor=SYSTEM
        )
    past = at(next_monday(), 9)
    with pytest.raises(ValidationError, match="已经过去"):
        services.book_appointment(
            counter=counter, matter=matter, starts_at=past, name="甲", actor=SYSTEM, now=past + datetime.timedelta(1)
        )


def test_a_resident_books_and_cancels_their_own_appointment(client, world, hall):
    user = world.users["resident"]
    counter, matter = hall["hall_counters"]["e1"], hall["hall_matters"]["e1"]
    day = next_monday()
    client.force_login(user)
    response = client.post(
        reverse("hall:my_appointment_add"),
        {"counter": counter.pk, "matter": matter.pk, "day": day.isoformat(), "slot": "14:00", "note": ""},
    )
    appointment = Appointment.objects.get(resident=world.residents["chen"])
    assert response.status_code == 302 and appointment.name == "陈奶奶"
    assert "我的办事预约" not in client.get(reverse("hall:appointment_detail", args=[appointment.pk])).content.decode()
    other = hall["hall_appointments"]["e1"]  # 张三's
    assert client.get(reverse("hall:appointment_detail", args=[other.pk])).status_code == 404
    client.post(reverse("hall:appointment_status", args=[appointment.pk]), {"status": "cancelled"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    west = hall["hall_counters"]["w1"]
    with pytest.raises(Http404):
        services.book_appointment(
            counter=west, matter=hall["hall_matters"]["w1"], starts_at=at(day, 9), actor=actor_of(user)
        )


def test_tickets_are_numbered_per_counter_per_day_and_called_in_order(world, hall):
    counter = make_counter(world.communities["e1"], "2号窗口", prefix="B")
    today = timezone.now()
    tickets = [services.take_ticket(counter, actor=SYSTEM, now=today) for _ in range(3)]
    assert [t.label for t in tickets] == ["B001", "B002", "B003"]
    tomorrow = services.take_ticket(counter, actor=SYSTEM, now=today + datetime.timedelta(days=1))
    assert tomorrow.label == "B001"
    first = services.call_next(counter, actor=SYSTEM, now=today)
    assert first.pk == tickets[0].pk and first.status == TicketStatus.CALLED
    second = services.call_next(counter, actor=SYSTEM, now=today)
    assert second.pk == tickets[1].pk
    assert Ticket.objects.get(pk=tickets[0].pk).status == TicketStatus.DONE
    services.set_ticket_status(second, TicketStatus.SKIPPED, actor=SYSTEM)
    assert Ticket.objects.get(pk=tickets[1].pk).status == TicketStatus.SKIPPED


def test_the_screen_shows_numbers_and_no_names(client, world, hall):
    counter = hall["hall_counters"]["e1"]
    services.call_next(counter, actor=SYSTEM)
    page = client.get(reverse("hall:screen", args=["e1"])).content.decode()
    assert "A001" in page and "张三" not in page and "西一" not in page


def test_an_errand_is_due_after_the_matters_working_days_and_flagged_overdue(world, hall):
    zhang = world.residents["zhang"]
    matter = ServiceMatter.objects.get(community=world.communities["e1"], name="残疾人证申领")  # 20 working days
    accepted = timezone.localdate() - datetime.timedelta(days=40)
    errand = services.record_errand(resident=zhang, matter=matter, actor=SYSTEM, accepted_on=accepted)
    assert errand.due_on == add_workdays(accepted, 20).due.date()
    assert errand.due_on > accepted + datetime.timedelta(days=25)  # weekends are not working days
    assert errand.is_overdue()
    assert errand in Errand.objects.overdue(timezone.localdate())
    services.advance_errand(errand, status=ErrandStatus.SUBMITTED, actor=SYSTEM, note="已报街道")
    with pytest.raises(ValidationError, match="办理结果"):
        services.advance_errand(errand, status=ErrandStatus.DONE, actor=SYSTEM)
    services.advance_errand(errand, status=ErrandStatus.DONE, actor=SYSTEM, note="残疾人证已发放")
    services.hand_back(errand, handed_to="张三本人", actor=SYSTEM)
    errand.refresh_from_db()
    assert not errand.is_overdue() and errand.handed_to == "张三本人"
    assert [e.status for e in errand.events.all()] == ["accepted", "submitted", "done", "done"]


def test_a_grid_worker_records_errands_for_their_own_grid_only(world, hall):
    matter = hall["hall_matters"]["e1"]
    gw1 = actor_of(world.users["grid_worker_1"])
    errand = services.record_errand(resident=world.residents["zhang"], matter=matter, actor=gw1)
    assert errand.grid == world.grids["g1"]
    with pytest.raises(Http404):
        services.record_errand(resident=world.residents["wang"], matter=matter, actor=gw1)
    seen = set(Errand.objects.restrict(world.users["grid_worker_1"]).values_list("pk", flat=True))
    assert hall["hall_errands"]["e1"].pk in seen and hall["hall_errands"]["e1_g2"].pk not in seen


def test_the_hall_pages_open_for_staff(client, world, hall):
    client.force_login(world.users["staff"])
    for name in ("hall:home", "hall:matter_list", "hall:counter_list", "hall:appointment_list", "hall:errand_list",
                 "hall:ticket_list", "hall:appointment_add", "hall:matter_add", "hall:counter_add"):  # fmt: skip
        assert client.get(reverse(name)).status_code == 200, name
    errand = hall["hall_errands"]["e1"]
    assert "代办记录" in client.get(reverse("residents:resident_detail", args=[errand.resident_id])).content.decode()
    export = client.get(reverse("hall:errand_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_staff_book_for_a_resident_through_the_page(client, world, hall):
    client.force_login(world.users["staff"])
    counter, matter = hall["hall_counters"]["e1"], hall["hall_matters"]["e1"]
    day = next_monday(2).isoformat()
    form = client.get(reverse("hall:appointment_add"), {"counter": counter.pk, "day": day}).content.decode()
    assert "09:00（余2个）" in form
    response = client.post(
        reverse("hall:appointment_add"),
        {"counter": counter.pk, "matter": matter.pk, "day": day, "slot": "09:30", "resident": world.residents["li"].pk},
    )
    assert response.status_code == 302
    assert Appointment.objects.filter(resident=world.residents["li"], status="booked").count() == 1
