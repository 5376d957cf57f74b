from django.urls import include, path

from linli.api import api

urlpatterns = [
    # First: a JSON API call is resolved by this entry alone instead of after ~30 includes, each a failed match
    # and a Resolver404 (docs/benchmarks.md, issue 20 API create). Nothing below serves a path under api/.
    path("api/", api.urls),
    path("", include("linli.site.urls")),  # home and help: URL names core:home, core:help
    path("", include("linli.ops.urls")),  # /healthz, /readyz, /metrics (issue 20; docs/operations.md)
    path("accounts/", include("linli.accounts.urls")),
    path("areas/", include("linli.areas.urls")),
    path("residents/", include("linli.residents.urls")),
    path("ledgers/", include("linli.ledgers.urls")),
    path("visits/", include("linli.visits.urls")),
    path("notifications/", include("linli.notifications.urls")),
    path("appeals/", include("linli.appeals.urls")),
    path("attachments/", include("linli.attachments.urls")),
    path("workdays/", include("linli.workdays.urls")),
    path("hotline/", include("linli.hotline.urls")),
    path("open311/", include("linli.open311.urls")),
    path("volunteers/", include("linli.volunteers.urls")),
    path("lovebank/", include("linli.lovebank.urls")),
    path("wishes/", include("linli.wishes.urls")),
    path("deliberation/", include("linli.deliberation.urls")),
    path("mediation/", include("linli.mediation.urls")),
    path("votes/", include("linli.votes.urls")),
    path("notices/", include("linli.notices.urls")),
    path("n/", include("linli.notices.urls_short")),  # a notice's short public address
    path("channels/", include("linli.channels.urls")),
    path("campaigns/", include("linli.campaigns.urls")),
    path("party/", include("linli.party.urls")),
    path("places/", include("linli.places.urls")),
    path("afterschool/", include("linli.afterschool.urls")),
    path("hall/", include("linli.hall.urls")),
    path("certificates/", include("linli.certificates.urls")),
    path("support/", include("linli.support.urls")),
    path("dashboards/", include("linli.dashboards.urls")),
    path("bigscreen/", include("linli.bigscreen.urls")),
    path("workreports/", include("linli.workreports.urls")),
    path("s/", include("linli.tracking.urls")),  # residents' self-service pages (no login), issue 6 §5
]

# Chinese error pages with a way back (linli.core.errors; ErrorPageMiddleware shows them under DEBUG too).
handler400 = "linli.core.errors.bad_request"
handler403 = "linli.core.errors.permission_denied"
handler404 = "linli.core.errors.page_not_found"
handler500 = "linli.core.errors.server_error"
