"""社区证明 fixtures on top of the `world` personas (linli.testing): a street-wide 居住证明 of 东街,
东一社区's own 困难情况证明 (needs a 核实说明), 西街's 居住证明 for 西一社区; one certificate of 张三
(东一, grid 1) and one of 孙七 (西一).
"""

from __future__ import annotations

from linli.certificates import services
from linli.certificates.choices import CertificateKind
from linli.certificates.models import CertificateTemplate
from linli.testing import SYSTEM

RESIDENCE_BODY = "兹证明{{ name }}，{{ gender }}，身份证号码{{ id_number }}，现居住在{{ address }}。\n特此证明。"
HARDSHIP_BODY = "兹证明{{ name }}居住在{{ address }}，经入户核实家庭确有困难。"


def make_template(street, community=None, **fields) -> CertificateTemplate:
    fields.setdefault("kind", CertificateKind.RESIDENCE)
    fields.setdefault("title", "居住证明")
    fields.setdefault("body", RESIDENCE_BODY)
    fields.setdefault("default_purpose", "办理入学手续")
    template = CertificateTemplate(street=street, community=community, **fields)
    return services.save_template(template, actor=SYSTEM)


def certificate_templates(world) -> dict:
    return {
        "east": make_template(world.streets["east"], reveals_id=True),
        "e1": make_template(
            world.streets["east"],
            world.communities["e1"],
            kind=CertificateKind.HARDSHIP,
            title="困难情况证明",
            body=HARDSHIP_BODY,
            needs_note=True,
            valid_days=60,
        ),
        "w1": make_template(world.streets["west"], title="西街居住证明"),
    }


def matrix_objects(world) -> dict:
    templates = certificate_templates(world)
    certificates = {
        "e1": services.issue(templates["east"], world.residents["zhang"], actor=SYSTEM, purpose="办理入学手续"),
        "w1": services.issue(templates["w1"], world.residents["sun"], actor=SYSTEM, purpose="西一办理居住证"),
    }
    return {"certificate_templates": templates, "certificates": certificates}
