"""One consent per person for the 好人好事墙 (WallConsent), carried over from the two fields that kept it until now
(volunteers 0003 Volunteer.wall_name_consent, lovebank 0003 Account.wall_name_consent; volunteers 0004 and
lovebank 0004 drop them after this).

The safe rule: a registered resident consents only where every record of theirs that has the field said yes (a
resident who said yes as a volunteer but was never asked — or said no — on the love-bank account is not shown); a
person outside the registry keeps their only record's answer. Only consents are written (no row means no).
Backwards, the consents go back onto every record of the person.
"""

import django.db.models.deletion
from django.db import migrations, models


def carry_over(apps, schema_editor):
    Volunteer = apps.get_model("volunteers", "Volunteer")
    Account = apps.get_model("lovebank", "Account")
    Resident = apps.get_model("residents", "Resident")
    WallConsent = apps.get_model("bigscreen", "WallConsent")
    answers: dict[int, list[bool]] = {}  # resident id -> every answer of their records
    rows = []
    for model, field in ((Volunteer, "volunteer_id"), (Account, "account_id")):
        for pk, resident_id, community_id, consent in model.objects.values_list(
            "pk", "resident_id", "community_id", "wall_name_consent"
        ).iterator():
            if resident_id:
                answers.setdefault(resident_id, []).append(consent)
            elif consent and community_id:
                rows.append(WallConsent(community_id=community_id, consent=True, **{field: pk}))
    agreed = [r for r, said in answers.items() if said and all(said)]
    for start in range(0, len(agreed), 1000):
        chunk = agreed[start : start + 1000]
        for resident_id, community_id in Resident.objects.filter(pk__in=chunk).values_list("pk", "community_id"):
            rows.append(WallConsent(community_id=community_id, consent=True, resident_id=resident_id))
    WallConsent.objects.bulk_create(rows, batch_size=1000)


def carry_back(apps, schema_editor):
    Volunteer = apps.get_model("volunteers", "Volunteer")
    Account = apps.get_model("lovebank", "Account")
    WallConsent = apps.get_model("bigscreen", "WallConsent")
    rows = WallConsent.objects.filter(consent=True)
    residents = list(rows.exclude(resident=None).values_list("resident_id", flat=True))
    Volunteer.objects.filter(resident_id__in=residents).update(wall_name_consent=True)
    Account.objects.filter(resident_id__in=residents).update(wall_name_consent=True)
    Volunteer.objects.filter(pk__in=rows.exclude(volunteer=None).values("volunteer_id")).update(wall_name_consent=True)
    Account.objects.filter(pk__in=rows.exclude(account=None).values("account_id")).update(wall_name_consent=True)


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_squashed_0004_household_care_members"),
        ("bigscreen", "0001_initial"),
        ("lovebank", "0003_account_wall_name_consent"),
        ("residents", "0013_family_link"),
        ("volunteers", "0003_volunteer_wall_name_consent"),
    ]

    operations = [
        migrations.CreateModel(
            name="WallConsent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("consent", models.BooleanField(default=False, verbose_name="同意在好人好事墙展示姓名")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="记录时间")),
                (
                    "account",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="lovebank.account",
                        verbose_name="积分账户",
                    ),
                ),
                (
                    "community",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="areas.community",
                        verbose_name="社区",
                    ),
                ),
                (
                    "resident",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="residents.resident",
                        verbose_name="居民",
                    ),
                ),
                (
                    "volunteer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="volunteers.volunteer",
                        verbose_name="志愿者",
                    ),
                ),
            ],
            options={
                "verbose_name": "好人好事墙展示姓名同意",
                "verbose_name_plural": "好人好事墙展示姓名同意",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("account__isnull", True), ("resident__isnull", False), ("volunteer__isnull", True)
                            ),
                            models.Q(
                                ("account__isnull", True), ("resident__isnull", True), ("volunteer__isnull", False)
                            ),
                            models.Q(
                                ("account__isnull", False), ("resident__isnull", True), ("volunteer__isnull", True)
                            ),
                            _connector="OR",
                        ),
                        name="bigscreen_consent_one_person",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("resident__isnull", False)),
                        fields=("resident",),
                        name="bigscreen_consent_resident",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("volunteer__isnull", False)),
                        fields=("volunteer",),
                        name="bigscreen_consent_volunteer",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("account__isnull", False)),
                        fields=("account",),
                        name="bigscreen_consent_account",
                    ),
                ],
            },
        ),
        migrations.RunPython(carry_over, carry_back),
    ]
