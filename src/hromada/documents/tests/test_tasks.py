"""Tests of the background jobs: text recognition (OCR) of real scans with tesseract."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image, ImageDraw, ImageFont

from hromada.documents import search
from hromada.documents.factories import register
from hromada.documents.models import Document, FileVersion

pytestmark = pytest.mark.django_db

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = ("Про ремонт покрівлі будинку", "Щодо водопостачання мікрорайону")
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "mail"],
    }
}


def _tesseract_has(*languages: str) -> bool:
    if shutil.which("tesseract") is None:
        return False
    listed = subprocess.run(
        ["tesseract", "--list-langs"],  # noqa: S607 - found on PATH just above
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return all(lang in listed for lang in languages)


needs_tesseract = pytest.mark.skipif(
    not _tesseract_has("ukr", "eng"),
    reason="tesseract with Ukrainian and English data is not installed "
    "(apt-get install tesseract-ocr tesseract-ocr-ukr tesseract-ocr-eng)",
)
needs_ocrmypdf = pytest.mark.skipif(
    shutil.which("ocrmypdf") is None, reason="ocrmypdf is not installed (apt-get install ocrmypdf)"
)


def _scan(image_format: str) -> bytes:
    """Return a page of printed Ukrainian text as an image only (a scan: no text layer)."""
    font = ImageFont.truetype(FONT, 48)
    page = Image.new("L", (2480, 900), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(LINES):
        draw.text((150, 150 + 110 * i), line, font=font, fill=0)
    out = io.BytesIO()
    if image_format == "PDF":
        page.save(out, "PDF", resolution=300)
    else:
        page.save(out, image_format, dpi=(300, 300))
    return out.getvalue()


def _register_scan(office, name: str, content: bytes, mime: str, capture) -> Document:  # type: ignore[no-untyped-def]
    # The recognition is queued on commit; the immediate backend runs it there and then.
    with override_settings(TASKS=IMMEDIATE_TASKS), capture(execute=True):
        document = register(
            office,
            summary="Лист без тексту в картці",
            files=[SimpleUploadedFile(name, content, content_type=mime)],
        )
    document.refresh_from_db()
    return document


def _found_by(document: Document, query: str) -> bool:
    return search.filter_text(Document.objects.all(), query).filter(pk=document.pk).exists()


def test_a_generated_scan_has_no_text_layer_of_its_own():
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    text = subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607 - found on PATH just above
        input=_scan("PDF"),
        capture_output=True,
        check=True,
    ).stdout
    assert text.strip() == b""


@needs_tesseract
@needs_ocrmypdf
def test_a_scanned_pdf_is_recognised_and_its_words_become_searchable(
    office, django_capture_on_commit_callbacks
):
    document = _register_scan(
        office, "скан.pdf", _scan("PDF"), "application/pdf", django_capture_on_commit_callbacks
    )
    version = FileVersion.objects.get(file__document=document)
    assert version.ocr_state == FileVersion.Ocr.DONE
    assert "покрівлі" in version.ocr_text
    # Found by another form of the word, as a clerk would type it.
    assert _found_by(document, "водопостачання мікрорайону")
    assert _found_by(document, "покрівля")


@needs_tesseract
def test_a_scanned_image_is_recognised_with_tesseract(office, django_capture_on_commit_callbacks):
    document = _register_scan(
        office, "скан.png", _scan("PNG"), "image/png", django_capture_on_commit_callbacks
    )
    version = FileVersion.objects.get(file__document=document)
    assert version.ocr_state == FileVersion.Ocr.DONE
    assert _found_by(document, "будинок")


@needs_tesseract
def test_a_document_is_not_found_by_words_that_are_not_in_its_scan(
    office, django_capture_on_commit_callbacks
):
    document = _register_scan(
        office, "скан.png", _scan("PNG"), "image/png", django_capture_on_commit_callbacks
    )
    assert not _found_by(document, "каналізація")
