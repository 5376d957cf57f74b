"""The hall's home block: today's appointments, numbers waiting, and overdue 代办 — each figure a link to the list
that counts it (the list carries data-list-total)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from linli.hall.choices import AppointmentStatus, TicketStatus
from linli.hall.models import Appointment, Errand, Ticket


def hall_figures(user, today: datetime.date) -> dict:
    day = today.isoformat()
    appointments = Appointment.objects.restrict(user).filter(starts_at__date=today, status=AppointmentStatus.BOOKED)
    waiting = Ticket.objects.restrict(user).filter(day=today, status=TicketStatus.WAITING)
    overdue = Errand.objects.restrict(user).overdue(today)
    return {
        "appointments": appointments.count(),
        "appointments_url": f"{reverse('hall:appointment_list')}?day={day}&status={AppointmentStatus.BOOKED}",
        "waiting": waiting.count(),
        "waiting_url": f"{reverse('hall:ticket_list')}?day={day}&status={TicketStatus.WAITING}",
        "overdue": overdue.count(),
        "overdue_url": f"{reverse('hall:errand_list')}?state=overdue",
    }


def visible(user) -> bool:
    return user.is_superuser or user.has_role_perm("hall.view")


def hall_home(user) -> dict | None:
    if not visible(user):
        return None
    return {"hall": hall_figures(user, timezone.localdate())}
