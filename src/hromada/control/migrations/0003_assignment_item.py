# The controlled item (content type + id) on every assignment, copied from its resolution.
#
# Order matters at millions of rows: the columns are added without a foreign-key constraint
# (the copy would otherwise queue one deferred check per row), filled by one UPDATE … FROM
# (PostgreSQL; a correlated UPDATE on SQLite), then made NOT NULL with the constraint, which
# PostgreSQL validates in one pass. The executor and unit foreign keys lose their own
# one-column indexes before the copy (fewer indexes to update) and get the two composite
# ones, which serve every lookup they served, after it.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COPY_POSTGRESQL = """
UPDATE control_assignment a
SET item_type_id = r.item_type_id, item_id = r.item_id
FROM control_resolution r
WHERE r.id = a.resolution_id
"""

COPY_OTHER = """
UPDATE control_assignment
SET item_type_id = (
        SELECT r.item_type_id FROM control_resolution r WHERE r.id = control_assignment.resolution_id
    ),
    item_id = (
        SELECT r.item_id FROM control_resolution r WHERE r.id = control_assignment.resolution_id
    )
"""


def copy_items(apps, schema_editor):  # type: ignore[no-untyped-def]
    sql = COPY_POSTGRESQL if schema_editor.connection.vendor == "postgresql" else COPY_OTHER
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("control", "0002_notice_title"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assignment",
            name="executor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assignments",
                to=settings.AUTH_USER_MODEL,
                verbose_name="виконавець",
            ),
        ),
        migrations.AlterField(
            model_name="assignment",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.orgunit",
                verbose_name="підрозділ виконавця",
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="item_type",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="тип об'єкта",
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="item_id",
            field=models.PositiveBigIntegerField(
                editable=False, null=True, verbose_name="ідентифікатор об'єкта"
            ),
        ),
        migrations.RunPython(copy_items, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="assignment",
            name="item_type",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="тип об'єкта",
            ),
        ),
        migrations.AlterField(
            model_name="assignment",
            name="item_id",
            field=models.PositiveBigIntegerField(
                editable=False, verbose_name="ідентифікатор об'єкта"
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=["executor", "item_type", "item_id"], name="control_assignment_exec_item"
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=["unit", "item_type", "item_id"], name="control_assignment_unit_item"
            ),
        ),
    ]
