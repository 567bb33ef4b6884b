from django.db import migrations


def load(apps, schema_editor):
    from protutor.observations.frameworks import load_builtin_frameworks

    load_builtin_frameworks(apps.get_model("observations", "Framework"), apps.get_model("observations", "Standard"))


class Migration(migrations.Migration):
    dependencies = [("observations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
