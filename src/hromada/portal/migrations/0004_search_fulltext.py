"""PostgreSQL only: full-text GIN indexes on the verbatim words of ``search_text``.

The portal search (portal/search.py, ``word_filter``) matches word prefixes as
``array_to_tsvector(...) @@ 'term':*``; these expression indexes serve it without the LIKE
recheck of every matched row that the trigram indexes of migration 0002 needed, so those
are dropped (re-created on reversal where pg_trgm exists). The expression must stay exactly
as ``search.Lexemes`` writes it.
"""

from django.db import migrations

TABLES = ("portal_resourceobject", "portal_buildingpassport")
WORDS = "array_to_tsvector(array_remove(string_to_array(btrim(search_text), ' '), ''))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_words ON {table} USING gin (({WORDS}))"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        trigram = cursor.fetchone() is not None
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_words")
        if trigram:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} "
                "USING gin (search_text gin_trgm_ops)"
            )


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_polls_attachments_natural_sort")]

    operations = [migrations.RunPython(create, drop)]
