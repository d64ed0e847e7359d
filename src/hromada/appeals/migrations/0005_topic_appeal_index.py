"""The topic's own index on its appeal goes: appeals_topic_once (appeal, code) covers it.

Only the index is dropped. Letting Django alter the field would also drop and re-create
the foreign key, which checks every topic row again (millions in a city's archive).
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "appeals_appealtopic_appeal_id_25b7b289"


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0004_drop_covered_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="appealtopic",
                    name="appeal",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="topics",
                        to="appeals.appeal",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "appeals_appealtopic" ("appeal_id")',
                ),
            ],
        ),
    ]
