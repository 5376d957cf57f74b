"""Demo (居民端): 陈奶奶 (the resident login) has reported two things — one still being handled, one answered — so
that 我的诉求 and a family helper's view show something. Written like the rest of the demo history."""

from __future__ import annotations

from linli.appeals.choices import OPEN, Status
from linli.appeals.models import Appeal


def demo_step(demo) -> None:
    chen = demo.chen
    mine = dict(reporter=chen, reporter_name=chen.name, reporter_phone=chen.phone, anonymous=False)
    rows = Appeal.objects.filter(community=demo.community, reporter__isnull=True, anonymous=False)
    answered = rows.filter(status=Status.CLOSED).exclude(reply_text="").order_by("-received_at").first()
    handling = rows.filter(status__in=OPEN).order_by("-received_at").first()
    for appeal in (answered, handling):
        if appeal is not None:
            Appeal.objects.filter(pk=appeal.pk).update(**mine)
    demo.log(f"       居民端：{chen.name}反映的事{sum(a is not None for a in (answered, handling))}件")
