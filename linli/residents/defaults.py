"""The default care-group tags a new installation starts with (editable by administrators)."""

# code, name, visit interval (days), sensitive, colour on the building drawing
DEFAULT_TAGS = [
    ("elderly60", "60岁以上老人", None, False, "sand"),
    ("living_alone", "独居老人", 7, False, "red"),
    ("empty_nest", "空巢老人", 14, False, "orange"),
    ("left_behind_child", "留守儿童", 14, False, "cyan"),
    ("disabled", "残疾人", 30, True, "violet"),
    ("mental_disorder", "精神障碍患者", 14, True, "purple"),
    ("dibao", "低保户", 30, True, "blue"),
    ("low_income", "低收入户", None, True, "indigo"),
    ("veteran", "退役军人", None, False, "green"),
    ("party_member", "党员", None, False, "crimson"),
    ("hardship", "困难群体", 30, True, "brown"),
    # Notices: nobody in the household can read a message on a phone, so a grid worker tells them in person.
    ("no_smartphone", "不会用智能手机", None, False, "slate"),
]


def install_default_tags(Tag) -> None:
    for order, (code, name, interval, sensitive, color) in enumerate(DEFAULT_TAGS, start=1):
        Tag.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "visit_interval_days": interval,
                "sensitive": sensitive,
                "color": color,
                "order": order * 10,
            },
        )
