"""Objects per word, resource and district, kept on write for the portal search.

A one-word search ("укриття": 20,104 of 170,000 objects at 10x) used to read, group and
sort every match for its facets and total. ``ObjectWordCount`` holds, for every word of the
objects' ``search_text`` (the words as ``search.Lexemes`` takes them), how many objects of a
resource in a district have it, plus the empty word: how many objects the resource has there.
Every write of objects changes the counts in its own transaction (``objects_counted`` →
``counts_change``); ``selectors._portal_search`` reads them when a query's one term is a
prefix of exactly one stored word (so no object is counted twice), see docs/portal.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection

from hromada.portal.models import ObjectWordCount, ResourceObject

# (word, resource id, district); the word "" counts all the resource's objects there.
Key = tuple[str, int, str]

_BATCH = 500


def text_words(search_text: str) -> set[str]:
    """Return the distinct words of a ``search_text`` (exactly the lexemes search matches)."""
    return {word for word in search_text.split(" ") if word}


def objects_counted(rows: Iterable[tuple[str, int, str]], sign: int = 1) -> Counter[Key]:
    """Return the count changes of adding (sign 1) or removing (-1) objects.

    ``rows`` are the objects' (search_text, resource id, district).
    """
    delta: Counter[Key] = Counter()
    for search_text, resource_id, district in rows:
        delta[("", resource_id, district)] += sign
        for word in text_words(search_text):
            delta[(word, resource_id, district)] += sign
    return delta


def objects_recounted(before: tuple[str, int, str], after: tuple[str, int, str]) -> Counter[Key]:
    """Return the count changes of an object edited from ``before`` to ``after``."""
    delta = objects_counted([after])
    delta.update(objects_counted([before], -1))  # update() adds negatives; "+" would drop them
    return delta


def object_row(obj: ResourceObject) -> tuple[str, int, str]:
    """Return what the counts take from an object."""
    return (obj.search_text, obj.resource_id, obj.district)


def counts_change(delta: Counter[Key]) -> None:
    """Apply count changes in the current transaction; rows that reach zero are removed.

    One upsert per 500 keys, in key order (two writers never wait on each other crosswise);
    it returns the new counts, so rows are deleted only when some reached zero.
    """
    changes = sorted((key, n) for key, n in delta.items() if n)
    if not changes:
        return
    table = connection.ops.quote_name(ObjectWordCount._meta.db_table)
    emptied: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(changes), _BATCH):
            chunk = changes[start : start + _BATCH]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (word, resource_id, district, n) VALUES {values} "  # noqa: S608
                "ON CONFLICT (word, resource_id, district) "
                f"DO UPDATE SET n = {table}.n + excluded.n RETURNING id, n",
                [value for (word, r, d), n in chunk for value in (word, r, d, n)],
            )
            emptied.extend(pk for pk, n in cursor.fetchall() if n <= 0)
    if emptied:
        ObjectWordCount.objects.filter(pk__in=emptied).delete()


def counts_of_resource_cleared(resource_id: int) -> None:
    """Remove a resource's counts (before its objects are replaced by an import)."""
    ObjectWordCount.objects.filter(resource_id=resource_id).delete()


def stored_counts() -> Counter[Key]:
    """Return every stored count (for checks and tests)."""
    return Counter(
        {
            (word, resource_id, district): n
            for word, resource_id, district, n in ObjectWordCount.objects.values_list(
                "word", "resource_id", "district", "n"
            )
        }
    )


def recounted() -> Counter[Key]:
    """Return the counts as they should be, counted from the objects themselves."""
    rows = ResourceObject.objects.values_list("search_text", "resource_id", "district")
    return +objects_counted(rows.iterator(chunk_size=2000))
