"""Ukrainian search over the portal: words are reduced to their dictionary form.

"будинку", "будинки" and "будинок" all become "будинок" (pymorphy3 with its Ukrainian
dictionary), when an object's or passport's ``search_text`` is built and when a query is
parsed. A query matches rows whose search text has every query term as a word prefix
(``" будинок"``), on SQLite and PostgreSQL alike. A term the dictionary does not know
(a typo) is also tried without its last letter, so "аптекк" still finds "аптека".

On PostgreSQL (:func:`word_filter`) the same test runs as full-text search: the words of
``search_text``, taken verbatim as lexemes (``array_to_tsvector``, no parser or dictionary,
so "пам'ятка" stays one word), against a prefix query (``'будинок':*``), served by a GIN
expression index (migration 0004) that needs no LIKE recheck of every matched row.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value

_WORD = re.compile(r"[0-9A-Za-zА-ЩЬЮЯЄІЇҐа-щьюяєіїґ'ʼ’]+")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 8


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


@lru_cache(maxsize=100_000)
def lemma(word: str) -> str:
    """Return the dictionary form of a word in lower case; numbers stay as they are."""
    word = word.lower().translate(_APOSTROPHES).strip("'")
    if not word or not word.isalpha() or len(word) > 40:
        return word
    return str(_analyzer().parse(word)[0].normal_form)


@lru_cache(maxsize=20_000)
def _is_known(word: str) -> bool:
    return bool(_analyzer().word_is_known(word))


def normalise(*texts: str) -> str:
    """Return the lemmas of the texts' words, space-separated, with a space at both ends."""
    out = [lemma(w) for text in texts for w in _WORD.findall(text or "")]
    return f" {' '.join(out)} " if out else ""


def query_terms(query: str) -> list[str]:
    """Return the distinct lemmas of a query (any input is safe: it is cut and tokenised)."""
    terms: list[str] = []
    for word in _WORD.findall((query or "")[:MAX_QUERY_CHARS]):
        term = lemma(word)
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_QUERY_TERMS]


def match_prefix(term: str) -> str:
    """Return the shortest word prefix a term matches: a typo's stem is a letter shorter.

    A long word the dictionary does not know is taken as a typo: its words are those that
    start with the term or with the term without its last letter, i.e. with the latter.
    """
    if term.isalpha() and len(term) > 4 and not _is_known(term):
        return term[:-1]
    return term


def matches(terms: list[str], field: str = "search_text") -> Q:
    """Return a filter: every term is a word prefix in the field (typos get a shorter stem)."""
    q = Q()
    for term in terms:
        one = Q(**{f"{field}__contains": f" {term}"})
        if match_prefix(term) != term:
            one |= Q(**{f"{field}__contains": f" {match_prefix(term)}"})
        q &= one
    return q


def highlight_terms(terms: list[str]) -> list[str]:
    """Return the stems to highlight in snippets (the lemma without its ending)."""
    return [t[: max(3, len(t) - 2)] if len(t) > 4 else t for t in terms]


class Lexemes(Func):
    """The words of a ``search_text`` column as a tsvector, verbatim (PostgreSQL).

    The expression must stay exactly as in migration 0004's indexes for them to be used.
    """

    template = "array_to_tsvector(array_remove(string_to_array(btrim(%(expressions)s), ' '), ''))"
    output_field = SearchVectorField()


class _TsQuery(Func):
    template = "%(expressions)s::tsquery"
    output_field = SearchQueryField()


class _Matches(Func):
    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


def _lexeme(word: str) -> str:
    return "'" + re.sub(r"[^\w']", "", word).replace("'", "''") + "':*"


def prefix_query(terms: list[str]) -> str:
    """Return the tsquery text: every term as a word prefix (typos also a letter shorter)."""
    parts = []
    for term in terms:
        one = _lexeme(term)
        if match_prefix(term) != term:
            one = f"({one} | {_lexeme(match_prefix(term))})"
        parts.append(one)
    return " & ".join(parts)


def word_filter(terms: list[str], field: str = "search_text") -> Q | Func:
    """Return a filter of rows whose ``field`` has every term as a word prefix.

    PostgreSQL: full text on the verbatim words (index of migration 0004; portal tables
    only). Elsewhere: :func:`matches` (LIKE).
    """
    if connection.vendor != "postgresql" or not terms:
        return matches(terms, field)
    return _Matches(Lexemes(F(field)), _TsQuery(Value(prefix_query(terms))))
