from django.db import models


class MatterCategory(models.TextChoices):
    """办事指南 categories: what residents come to the hall for."""

    CERTIFICATE = "certificate", "证明开具"
    MEDICAL = "medical", "医疗保险"
    PENSION = "pension", "养老保险"
    DISABILITY = "disability", "残疾人服务"
    ASSISTANCE = "assistance", "社会救助/低保"
    EMPLOYMENT = "employment", "就业创业"
    BIRTH = "birth", "计划生育/生育登记"
    ELDERLY = "elderly", "老年人服务"
    OTHER = "other", "其他"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    ARRIVED = "arrived", "已到"
    DONE = "done", "已办结"
    NO_SHOW = "no_show", "未到"
    CANCELLED = "cancelled", "已取消"


#: Appointments that take a place in their slot (a cancelled one frees it).
TAKING = (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED, AppointmentStatus.DONE, AppointmentStatus.NO_SHOW)

#: Which status an appointment may move to from which (staff at the counter).
APPOINTMENT_MOVES = {
    AppointmentStatus.BOOKED: (
        AppointmentStatus.ARRIVED,
        AppointmentStatus.DONE,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.CANCELLED,
    ),
    AppointmentStatus.ARRIVED: (AppointmentStatus.DONE,),
    AppointmentStatus.NO_SHOW: (),
    AppointmentStatus.DONE: (),
    AppointmentStatus.CANCELLED: (),
}


class TicketStatus(models.TextChoices):
    WAITING = "waiting", "等候中"
    CALLED = "called", "已叫号"
    SERVING = "serving", "办理中"
    DONE = "done", "已办结"
    SKIPPED = "skipped", "过号"


#: A ticket still in the hall's queue (not yet finished or skipped).
OPEN_TICKET = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


class ErrandStatus(models.TextChoices):
    """代办/帮办: staff acting for a resident who cannot come."""

    ACCEPTED = "accepted", "已受理"
    IN_PROGRESS = "in_progress", "办理中"
    SUBMITTED = "submitted", "已提交上级"
    DONE = "done", "已办结"
    RETURNED = "returned", "已退回"


#: An errand not finished yet: it can be overdue.
OPEN_ERRAND = (ErrandStatus.ACCEPTED, ErrandStatus.IN_PROGRESS, ErrandStatus.SUBMITTED)

ERRAND_MOVES = {
    ErrandStatus.ACCEPTED: (ErrandStatus.IN_PROGRESS, ErrandStatus.SUBMITTED, ErrandStatus.DONE, ErrandStatus.RETURNED),
    ErrandStatus.IN_PROGRESS: (ErrandStatus.SUBMITTED, ErrandStatus.DONE, ErrandStatus.RETURNED),
    ErrandStatus.SUBMITTED: (ErrandStatus.IN_PROGRESS, ErrandStatus.DONE, ErrandStatus.RETURNED),
    ErrandStatus.DONE: (),
    ErrandStatus.RETURNED: (),
}


class ErrandKind(models.TextChoices):
    PROXY = "proxy", "代办（工作人员代为办理）"
    ASSIST = "assist", "帮办（陪同/协助办理）"


class ExportKind(models.TextChoices):
    APPOINTMENTS = "hall_appointments", "便民服务预约"
    ERRANDS = "hall_errands", "代办帮办记录"
    TICKETS = "hall_tickets", "取号记录"
