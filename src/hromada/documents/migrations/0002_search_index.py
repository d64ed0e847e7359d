"""PostgreSQL only: the GIN index of the documents' full-text search (see documents/search.py)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS documents_document_search_gin ON documents_document "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
)
DROP = "DROP INDEX IF EXISTS documents_document_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
