"""Ukrainian full-text search of documents: words are reduced to their dictionary form.

"договору", "договорі" and "договір" all become "договір" (pymorphy3 with its Ukrainian
dictionary), both when a document's search text is built and when a query is parsed.
On PostgreSQL the normalised text is searched through a GIN index on
``to_tsvector('simple', search_text)``; on SQLite through a substring match on the same
normalised words (correct, but a full scan: fine for a small installation).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

_WORD = re.compile(r"[0-9A-Za-zА-ЩЬЮЯЄІЇҐа-щьюяєіїґ'ʼ’]+(?:[-/][0-9A-Za-zА-ЩЬЮЯЄІЇҐа-щьюяєіїґ]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})
_MAX_QUERY_TERMS = 12


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """Return the dictionary form of a word (lower case); numbers and codes stay as they are."""
    word = word.lower().translate(_APOSTROPHES).strip("'")
    if not word or not word.isalpha() or len(word) > 40:
        return word
    return str(_analyzer().parse(word)[0].normal_form)


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def with_words(normalised: str, *texts: str) -> str:
    """Return already normalised text with the normalised words of more texts after it."""
    more = normalise(*texts)
    if not more:
        return normalised
    return f"{normalised.rstrip()}{more}" if normalised else more


def normalise(*texts: str) -> str:
    """Return the normalised words of texts, space-separated (with spaces at both ends)."""
    out: list[str] = []
    for text in texts:
        for word in words(text):
            out.append(lemma(word))
            if "-" in word or "/" in word:
                out.extend(lemma(p) for p in re.split(r"[-/]", word) if p)
    return f" {' '.join(out)} " if out else ""


def query_terms(query: str) -> list[str]:
    """Return the normalised, distinct terms of a search query."""
    terms: list[str] = []
    for word in words(query):
        term = lemma(word)
        if term and term not in terms:
            terms.append(term)
    return terms[:_MAX_QUERY_TERMS]


def _tsquery_term(term: str) -> str:
    # Only letters, digits and "-/" reach here (see _WORD); quote for to_tsquery.
    return "'" + term.replace("'", "''") + "'"


def filter_text(qs: QuerySet[Any], query: str, field: str = "search_text") -> QuerySet[Any]:
    """Keep the rows whose normalised text contains every term of the query."""
    terms = query_terms(query)
    if not terms:
        return qs
    if connection.vendor == "postgresql":
        raw = " & ".join(_tsquery_term(t) for t in terms)
        found: QuerySet[Any] = qs.annotate(_search=SearchVector(field, config="simple")).filter(
            _search=SearchQuery(raw, search_type="raw", config="simple")
        )
        return found
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{field}__contains": f" {term} "})
    return qs.filter(condition)


def document_search_text(
    *,
    summary: str,
    reg_index: str,
    correspondent: str,
    correspondent_number: str,
    doc_kind: str,
    extra: Iterable[str] = (),
) -> str:
    """Return the normalised search text of a document's card and its files' text."""
    return normalise(summary, reg_index, correspondent, correspondent_number, doc_kind, *extra)
