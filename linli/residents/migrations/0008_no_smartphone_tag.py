from django.db import migrations


def forwards(apps, schema_editor):
    from linli.residents.defaults import install_default_tags

    install_default_tags(apps.get_model("residents", "Tag"))


class Migration(migrations.Migration):
    dependencies = [("residents", "0007_emergency_contacts")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
