from django.urls import path

from linli.hall import views_appointment as appointments
from linli.hall import views_catalogue as catalogue
from linli.hall import views_counter as counters
from linli.hall import views_errand as errands

app_name = "hall"
urlpatterns = [
    path("", counters.HallHomeView.as_view(), name="home"),
    # 办事指南: public pages (no login) and the staff's pages
    path("guide/<str:community_code>/", catalogue.PublicGuideView.as_view(), name="public_guide"),
    path("guide/<str:community_code>/<int:pk>/", catalogue.PublicMatterView.as_view(), name="public_matter"),
    path("matters/", catalogue.ServiceMatterListView.as_view(), name="matter_list"),
    path("matters/add/", catalogue.ServiceMatterEditView.as_view(), name="matter_add"),
    path("matters/<int:pk>/", catalogue.ServiceMatterDetailView.as_view(), name="matter_detail"),
    path("matters/<int:pk>/edit/", catalogue.ServiceMatterEditView.as_view(), name="matter_edit"),
    # counters, walk-in tickets and the 叫号屏
    path("counters/", counters.CounterListView.as_view(), name="counter_list"),
    path("counters/add/", counters.CounterEditView.as_view(), name="counter_add"),
    path("counters/<int:pk>/", counters.CounterDetailView.as_view(), name="counter_detail"),
    path("counters/<int:pk>/edit/", counters.CounterEditView.as_view(), name="counter_edit"),
    path("counters/<int:pk>/take/", counters.TicketTakeView.as_view(), name="ticket_take"),
    path("counters/<int:pk>/call/", counters.TicketCallView.as_view(), name="ticket_call"),
    path("tickets/", counters.TicketListView.as_view(), name="ticket_list"),
    path("tickets/export/", counters.TicketExportView.as_view(), name="ticket_export"),
    path("tickets/<int:pk>/status/", counters.TicketStatusView.as_view(), name="ticket_status"),
    path("screen/<str:community_code>/", counters.PublicScreenView.as_view(), name="screen"),
    # 预约
    path("appointments/", appointments.AppointmentListView.as_view(), name="appointment_list"),
    path("appointments/export/", appointments.AppointmentExportView.as_view(), name="appointment_export"),
    path("appointments/add/", appointments.AppointmentAddView.as_view(), name="appointment_add"),
    path(
        "appointments/mine/add/", appointments.AppointmentAddView.as_view(self_booking=True), name="my_appointment_add"
    ),
    path("appointments/<int:pk>/", appointments.AppointmentDetailView.as_view(), name="appointment_detail"),
    path("appointments/<int:pk>/status/", appointments.AppointmentStatusView.as_view(), name="appointment_status"),
    # 代办 / 帮办
    path("errands/", errands.ErrandListView.as_view(), name="errand_list"),
    path("errands/export/", errands.ErrandExportView.as_view(), name="errand_export"),
    path("errands/add/", errands.ErrandAddView.as_view(), name="errand_add"),
    path("errands/<int:pk>/", errands.ErrandDetailView.as_view(), name="errand_detail"),
    path("errands/<int:pk>/step/", errands.ErrandStepView.as_view(), name="errand_step"),
    path("errands/<int:pk>/hand-back/", errands.ErrandHandBackView.as_view(), name="errand_handback"),
]
