"""A safety net for rich text written outside Wagtail's editor (demo, API, code).

Wagtail's editor (Draftail) already stores only the features it allows. Text set in
code bypasses that converter, so every material's rich text is also passed through an
allow-list of Wagtail's stored format here: unknown elements are unwrapped (their text
kept, escaped), scripts and styles dropped with their content, attributes outside the
list removed, and links only keep http(s), mailto, tel and site-relative targets.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment

_ALLOWED: dict[str, frozenset[str]] = {
    "p": frozenset({"data-block-key"}),
    "h2": frozenset({"data-block-key"}),
    "h3": frozenset({"data-block-key"}),
    "h4": frozenset({"data-block-key"}),
    "b": frozenset(),
    "i": frozenset(),
    "strong": frozenset(),
    "em": frozenset(),
    "br": frozenset(),
    "ul": frozenset(),
    "ol": frozenset(),
    "li": frozenset({"data-block-key"}),
    # Wagtail's stored links: <a href> or <a linktype="page|document" id="…">.
    "a": frozenset({"href", "linktype", "id"}),
    # Wagtail's stored images and embeds.
    "embed": frozenset({"embedtype", "id", "format", "alt", "url"}),
}
_DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "template", "noscript"})
_SAFE_HREF = re.compile(r"^(https?://|mailto:|tel:|/(?!/)|#)", re.IGNORECASE)


def sanitise_rich_text(html: str) -> str:
    """Return rich text reduced to Wagtail's allowed elements, attributes and link schemes."""
    if not html or ("<" not in html and "&" not in html):
        return html
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        name = tag.name.lower()
        if name in _DROP_WITH_CONTENT:
            tag.decompose()
            continue
        allowed = _ALLOWED.get(name)
        if allowed is None:
            tag.unwrap()
            continue
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in allowed}
        if name == "a" and "href" in tag.attrs and not _SAFE_HREF.match(str(tag["href"]).strip()):
            del tag["href"]
        if name == "embed" and tag.attrs.get("embedtype") not in ("image", "media"):
            tag.decompose()
    return str(soup)
