"""Load the built-in reference classifiers (No. 858) so that every database has them."""

from django.db import migrations


def load(apps, schema_editor):
    from hromada.core.classifiers import load_builtin_classifiers

    load_builtin_classifiers(model=apps.get_model("core", "ClassifierItem"))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_calendar_period_dates_classifier_note"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
