from django.db import migrations


def install(apps, schema_editor):
    from linli.appeals.defaults import install_default_directory

    install_default_directory(apps.get_model("appeals", "HandlingUnit"), apps.get_model("appeals", "Category"))


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
