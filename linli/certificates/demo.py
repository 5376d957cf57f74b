"""The demo's 社区证明: 工人村街's default templates (居住证明, 家庭成员关系证明, 困难情况证明) and 青和居's own
其他 template (参加社区志愿服务证明), and 30 certificates issued by the community's staff over the six weeks before
the demo's day; two were voided (信息有误 / 居民遗失) and one of them reissued. Deterministic from the demo's seed
and day (demo.rng("certificates"), residents ordered before the draw); every row through linli.certificates.services."""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from linli.certificates import services
from linli.certificates.choices import CertificateKind
from linli.certificates.models import Certificate, CertificateTemplate
from linli.core.audit import Actor
from linli.core.models import Source
from linli.core.pdf import shared_fonts
from linli.residents.choices import ResidentStatus
from linli.residents.models import Resident

ACTOR_LABEL = "演示数据"  # linli.site.demo.ACTOR_LABEL: a reset removes the change records of this label
COUNT = 30

#: (kind, title, body, default purpose, reveals id, needs note, valid days)
DEFAULT_TEMPLATES = [
    (
        CertificateKind.RESIDENCE,
        "居住证明",
        "兹证明{{ name }}，{{ gender }}，{{ birth_date }}出生，身份证号码{{ id_number }}，现居住在{{ address }}，"
        "系本社区登记的居民。\n特此证明。",
        "办理入学手续",
        True,
        False,
        90,
    ),
    (
        CertificateKind.FAMILY,
        "家庭成员关系证明",
        "兹证明{{ name }}（身份证号码{{ id_masked }}）居住在{{ address }}。\n"
        "据本社区居民登记信息，该户登记的家庭成员为：{{ members }}。"
        "{{ name }}与户主{{ household }}的关系为{{ relation }}。\n"
        "本证明仅依据社区登记信息出具，不作为亲属关系的法律认定。",
        "办理银行业务",
        False,
        False,
        90,
    ),
    (
        CertificateKind.HARDSHIP,
        "困难情况证明",
        "兹证明{{ name }}（身份证号码{{ id_masked }}），现居住在{{ address }}。\n"
        "经社区工作人员入户核实，该户家庭生活确有困难，具体情况见核实说明。\n特此证明。",
        "申请临时救助",
        False,
        True,
        60,
    ),
]
COMMUNITY_TEMPLATE = (
    CertificateKind.OTHER,
    "参加社区志愿服务证明",
    "兹证明{{ name }}系{{ community }}居民，积极参加社区组织的志愿服务活动。\n特此证明。",
    "学校社会实践",
    False,
    False,
    0,
)
PURPOSES = ["办理入学手续", "办理银行业务", "申请公租房", "办理居住证", "单位入职", "申请临时救助", "学校社会实践"]
HARDSHIP_NOTE = "社区工作人员两人于{day}入户核实：家中一人患慢性病长期服药，无固定收入，已查看病历和收入情况说明。"


def _template(actor, street, community, row) -> CertificateTemplate:
    kind, title, body, purpose, reveals, note, days = row
    template = CertificateTemplate(
        street=street,
        community=community,
        kind=kind,
        title=title,
        body=body,
        default_purpose=purpose,
        reveals_id=reveals,
        needs_note=note,
        valid_days=days,
    )
    return services.save_template(template, actor=actor)


def _at(day: datetime.date, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)) + datetime.timedelta(minutes=minute))


@transaction.atomic
def build_certificates(demo) -> list[Certificate]:
    street, community = demo.street, demo.community
    manager = Actor(user=demo.users["jiedao"], source=Source.CLI, label=ACTOR_LABEL)
    secretary = Actor(user=demo.users["shuji"], source=Source.CLI, label=ACTOR_LABEL)
    staff = Actor(user=demo.users["shequ"], source=Source.CLI, label=ACTOR_LABEL)
    templates = [_template(manager, street, None, row) for row in DEFAULT_TEMPLATES]
    templates.append(_template(secretary, street, community, COMMUNITY_TEMPLATE))

    rng = demo.rng("certificates")
    people = list(
        Resident.objects.filter(community=community, status=ResidentStatus.ACTIVE, birth_date__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    chosen = rng.sample(people, COUNT)
    days = sorted(demo.today - datetime.timedelta(days=rng.randint(1, 42)) for _ in range(COUNT))
    issued = []
    for i, (pk, day) in enumerate(zip(chosen, days, strict=True)):
        template = templates[rng.choice([0, 0, 0, 1, 1, 2, 3])]
        note = HARDSHIP_NOTE.format(day=f"{day.month}月{day.day}日") if template.needs_note else ""
        purpose = template.default_purpose if rng.random() < 0.5 else rng.choice(PURPOSES)
        issued.append(
            services.issue(
                template,
                Resident.objects.get(pk=pk),
                actor=staff,
                purpose=purpose,
                note=note,
                issued_at=_at(day, 7 * i),
            )
        )
    # Two mistakes put right: one voided (the resident lost it), one reissued with the right purpose.
    services.void(issued[4], actor=secretary, reason="居民遗失，申请作废", at=_at(days[-1], 8 * 60))
    services.reissue(
        issued[9],
        actor=secretary,
        reason="用途写错",
        purpose="申请公租房",
        issued_at=_at(days[-1], 8 * 60 + 5),
    )
    register = Certificate.objects.filter(community=community).count()
    demo.log(f"       社区证明：{len(templates)}个模板 {register}份证明")
    return issued


def forget_orphan_pdfs() -> None:
    """PDFs whose certificate is gone (reset_demo deletes rows in bulk, past the services)."""
    kept = set(Certificate.objects.exclude(pdf="").values_list("pdf", flat=True))
    try:
        years, _ = default_storage.listdir("certificates")
    except (FileNotFoundError, NotImplementedError):
        return
    names = []
    for year in years:
        _, files = default_storage.listdir(f"certificates/{year}")
        names += [f"certificates/{year}/{name}" for name in files if f"certificates/{year}/{name}" not in kept]
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def demo_step(demo) -> None:
    """The demo step (shell.py)."""
    with shared_fonts():  # the fonts loaded once for the step's PDFs, not once per certificate
        build_certificates(demo)
