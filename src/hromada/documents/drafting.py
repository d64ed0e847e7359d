"""Drafts of outgoing answers generated from a DOCX template (python-docx).

The template is a DOCX file whose text holds placeholders such as ``{{ summary }}``;
``HROMADA_DOCUMENTS_ANSWER_TEMPLATE`` points to a council's own letterhead, otherwise a
built-in template is used. Placeholders: city, body, correspondent, correspondent_address,
incoming_index, incoming_date, correspondent_number, correspondent_date, summary, text,
signer, signer_position, author, author_phone, date.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.conf import settings
from docx import Document as DocxDocument
from docx.shared import Pt

from hromada.documents.models import Document

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")

BUILT_IN = [
    ("{{ city }}", True),
    ("{{ body }}", True),
    ("", False),
    ("{{ correspondent }}", False),
    ("{{ correspondent_address }}", False),
    ("", False),
    (
        "На № {{ correspondent_number }} від {{ correspondent_date }} "
        "(вх. № {{ incoming_index }} від {{ incoming_date }})",
        False,
    ),
    ("Про {{ summary }}", True),
    ("", False),
    ("{{ text }}", False),
    ("", False),
    ("{{ signer_position }}    {{ signer }}", False),
    ("", False),
    ("{{ author }} {{ author_phone }}", False),
]


def _built_in_template() -> Any:
    doc = DocxDocument()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    for text, bold in BUILT_IN:
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = bold
    return doc


def _fill(paragraph: Any, values: dict[str, str]) -> None:
    text = "".join(run.text for run in paragraph.runs)
    if "{{" not in text:
        return
    filled = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)
    # Keep the first run's formatting; the placeholder may have been split across runs.
    for index, run in enumerate(paragraph.runs):
        run.text = filled if index == 0 else ""


def _position(user: Any) -> str:
    from hromada.accounts.models import Employment

    employment = Employment.objects.current().filter(user=user).select_related("position").first()
    return employment.position.title.capitalize() if employment else ""


def answer_values(*, answer: Document, incoming: Document, author: Any) -> dict[str, str]:
    correspondent = incoming.correspondent
    signer = answer.signer
    return {
        "city": str(settings.HROMADA_CITY_NAME),
        "body": answer.unit.name,
        "correspondent": correspondent.name if correspondent else "",
        "correspondent_address": correspondent.address if correspondent else "",
        "incoming_index": incoming.reg_index,
        "incoming_date": f"{incoming.reg_date:%d.%m.%Y}" if incoming.reg_date else "",
        "correspondent_number": incoming.correspondent_number or "—",
        "correspondent_date": (
            f"{incoming.correspondent_date:%d.%m.%Y}" if incoming.correspondent_date else "—"
        ),
        "summary": answer.summary,
        "text": answer.body_text,
        "signer": signer.short_name if signer else "",
        "signer_position": _position(signer) if signer else "",
        "author": author.short_name,
        "author_phone": author.phone,
        "date": "",
    }


def render_answer_docx(*, answer: Document, incoming: Document, author: Any) -> bytes:
    """Return the DOCX draft of an answer, filled from the cards."""
    path = getattr(settings, "HROMADA_DOCUMENTS_ANSWER_TEMPLATE", "")
    doc = DocxDocument(path) if path else _built_in_template()
    values = answer_values(answer=answer, incoming=incoming, author=author)
    for paragraph in doc.paragraphs:
        _fill(paragraph, values)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    _fill(paragraph, values)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
