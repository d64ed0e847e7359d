"""PostgreSQL only: a stored full-text vector of the materials' lemmas, with a GIN index.

``content_materialpage.search_vector`` is a generated column,
``to_tsvector('simple', search_text)``: PostgreSQL computes it on every insert and update of
``search_text`` (the bulk demo loader included), so the Django model does not declare it and
SQLite does without it. The 'simple' configuration only splits and lower-cases: the words
already are pymorphy3 lemmas (hromada.portal.search), so no stemming or stop words are
wanted. The material search (content.selectors.materials_search) matches it with a prefix
tsquery through the index instead of scanning ``search_text`` with LIKE.
"""

from django.db import migrations

COLUMN = "search_vector"
TABLE = "content_materialpage"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS content_material_search_gin ON {TABLE} USING gin ({COLUMN})"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS content_material_search_gin")
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [("content", "0002_site_and_workflow")]

    operations = [migrations.RunPython(create, drop)]
