"""The common matters of a community's 办事指南, installed for a community by the demo and by
`linli hall_defaults <community code>`. Each community edits its own copy afterwards."""

from __future__ import annotations

from linli.hall.choices import MatterCategory as C

# (name, category, audience, materials, time limit in working days, deciding office, forwarded, notes)
DEFAULT_MATTERS = (
    (
        "居住证明",
        C.CERTIFICATE,
        "在本社区居住的居民",
        "本人身份证\n户口簿或房产证/租房合同",
        0,
        "本社区",
        False,
        "本社区开具，当场出具编号证明。",
    ),
    (
        "城乡居民医保参保登记",
        C.MEDICAL,
        "未参加职工医保的城乡居民",
        "身份证\n户口簿\n新生儿出生医学证明（新生儿参保）",
        5,
        "区医保局",
        True,
        "每年集中缴费期为9月至12月。",
    ),
    (
        "养老保险资格认证协助",
        C.PENSION,
        "领取养老金的退休人员",
        "本人身份证\n社保卡",
        0,
        "区社保中心",
        False,
        "行动不便的老人可预约上门认证。",
    ),
    (
        "残疾人证申领",
        C.DISABILITY,
        "持有残疾情况的本社区居民",
        "身份证\n户口簿\n近期两寸免冠照片3张\n医院诊断材料",
        20,
        "区残联",
        True,
        "社区受理初审后转街道，由区残联指定医院评定。",
    ),
    (
        "低保申请（转街道）",
        C.ASSISTANCE,
        "家庭人均收入低于当地低保标准的家庭",
        "申请书\n家庭成员身份证、户口簿\n收入证明\n银行卡",
        30,
        "街道办事处",
        True,
        "社区入户调查、民主评议、张榜公示后转街道审核，区民政局审批。",
    ),
    (
        "就业登记/失业登记",
        C.EMPLOYMENT,
        "劳动年龄内有就业需求的居民",
        "身份证\n劳动合同或解除劳动合同证明",
        3,
        "区人社局",
        True,
        "办理《就业创业证》。",
    ),
    (
        "生育登记",
        C.BIRTH,
        "本社区户籍或常住的育龄夫妻",
        "夫妻双方身份证\n结婚证\n户口簿",
        0,
        "本社区",
        False,
        "可在线办理，社区当场登记。",
    ),
    ("老年优待证", C.ELDERLY, "60周岁以上老年人", "身份证\n一寸免冠照片2张", 10, "区老龄办", True, ""),
    (
        "高龄津贴申领",
        C.ELDERLY,
        "80周岁以上本市户籍老年人",
        "身份证\n户口簿\n本人银行卡",
        15,
        "区民政局",
        True,
        "每年需做一次生存认证。",
    ),
)


def install_default_matters(community, *, actor):
    """Add the default matters the community does not have yet (by name); returns the ones added."""
    from linli.hall.models import ServiceMatter
    from linli.hall.services import save_matter

    have = set(ServiceMatter.objects.filter(community=community).values_list("name", flat=True))
    added = []
    for sort, (name, category, audience, materials, days, office, forwarded, notes) in enumerate(DEFAULT_MATTERS):
        if name in have:
            continue
        matter = ServiceMatter(
            community=community,
            name=name,
            category=category,
            audience=audience,
            materials=materials,
            place="党群服务中心一楼便民服务大厅",
            hours="工作日 8:30–12:00，14:00–17:30",
            time_limit_days=days,
            deciding_office=office,
            forwarded=forwarded,
            notes=notes,
            sort=(sort + 1) * 10,
        )
        added.append(save_matter(matter, actor=actor))
    return added
