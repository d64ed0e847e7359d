"""Natural sort keys (природне сортування): "Аптека № 2" before "Аптека № 10".

A name is turned into an ASCII key that sorts the same way under every database collation
(SQLite's binary compare, PostgreSQL's C or a glibc/ICU locale): only digits and lower-case
Latin letters, in fixed-width units whose first character tells their kind:

- ``0``            a separator (space or punctuation; runs collapse into one);
- ``1`` + 12 digits a number, zero-padded, so 2 < 10;
- ``2`` + 2 chars  a letter by its place in the Ukrainian alphabet, then Latin; case ignored.

The key is stored in ``sort_key`` columns when a row is written (services, import, demo) and
the lists order by it. Keys are cut to ``MAX_KEY`` characters; the primary key breaks ties.
"""

from __future__ import annotations

import re
import unicodedata

MAX_KEY = 255
_NUMBER_WIDTH = 12
_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя" + "abcdefghijklmnopqrstuvwxyz"
_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"
# Letters outside the alphabet that read as one of its letters (Russian, Latin with accents
# are folded by Unicode decomposition below).
_FOLD = {"ё": "е", "ы": "и", "э": "е", "ъ": "ь"}
# Apostrophes are part of Ukrainian words («пам'ятка»): they are skipped, not separators.
_APOSTROPHES = frozenset("'ʼ’`")
_TOKENS = re.compile(r"\d+|[^\W\d_]|.", re.DOTALL)


def _code(index: int) -> str:
    return _DIGITS36[index // 36] + _DIGITS36[index % 36]


_LETTER_CODES = {ch: "2" + _code(i) for i, ch in enumerate(_ALPHABET)}
_OTHER_LETTER = "2" + _code(36 * 36 - 1)


def _letter(ch: str) -> str:
    code = _LETTER_CODES.get(ch)
    if code is not None:
        return code
    folded = _FOLD.get(ch)
    if folded is None:
        base = unicodedata.normalize("NFD", ch)[0]
        folded = base if base in _LETTER_CODES else ""
    return _LETTER_CODES.get(folded, _OTHER_LETTER)


def natural_key(*parts: str) -> str:
    """Return the natural sort key of a text (several parts are joined by a separator)."""
    text = " ".join(p for p in parts if p).casefold()
    out: list[str] = []
    length = 0
    separator = True  # no leading separator
    for token in _TOKENS.findall(text):
        if token in _APOSTROPHES:  # before letters: "ʼ" (U+02BC) is a letter to Unicode
            continue
        if token.isdecimal():
            # int() reads any script's digits; very long runs keep their last digits.
            digits = str(int(token[-_NUMBER_WIDTH:]))
            unit = "1" + digits.rjust(_NUMBER_WIDTH, "0")
            separator = False
        elif token.isalpha():
            unit = _letter(token)
            separator = False
        else:
            if separator:
                continue
            unit = "0"
            separator = True
        out.append(unit)
        length += len(unit)
        if length >= MAX_KEY:
            break
    if out and out[-1] == "0":
        out.pop()
    return "".join(out)[:MAX_KEY]
