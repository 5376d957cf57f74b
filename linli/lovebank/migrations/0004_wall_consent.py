"""The consent to show a name on the 好人好事墙 moved to bigscreen.WallConsent (bigscreen 0002 carried it over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lovebank", "0003_account_wall_name_consent"),
        ("bigscreen", "0002_wall_consent"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="account",
            name="wall_name_consent",
        ),
    ]
