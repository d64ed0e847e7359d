"""Background jobs of the document workflow: text recognition (OCR) of scans."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.db import transaction
from django_tasks import task

from hromada.documents.models import Document, FileVersion

OCR_LANGUAGES = "ukr+eng"
OCR_TIMEOUT_SECONDS = 600


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise OSError(f"{name} is not installed")
    return path


def _ocr_pdf(source: Path, workdir: Path) -> str:
    sidecar = workdir / "text.txt"
    subprocess.run(  # noqa: S603 - fixed arguments, our own temporary paths
        [
            _tool("ocrmypdf"),
            "--quiet",
            "--skip-text",
            "-l",
            OCR_LANGUAGES,
            "--sidecar",
            str(sidecar),
            str(source),
            str(workdir / "out.pdf"),
        ],
        check=True,
        timeout=OCR_TIMEOUT_SECONDS,
        capture_output=True,
    )
    return sidecar.read_text(encoding="utf-8", errors="replace")


def _ocr_image(source: Path) -> str:
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own temporary paths
        [_tool("tesseract"), str(source), "stdout", "-l", OCR_LANGUAGES],
        check=True,
        timeout=OCR_TIMEOUT_SECONDS,
        capture_output=True,
    )
    return result.stdout.decode("utf-8", errors="replace")


def ocr_available(mime: str) -> bool:
    tool = "ocrmypdf" if mime == "application/pdf" else "tesseract"
    return shutil.which(tool) is not None


@task()
def recognise_text(*, version_id: int) -> str:
    """Recognise the text of a scan (tesseract ukr+eng) and make the document searchable."""
    version = FileVersion.objects.select_related("file").filter(pk=version_id).first()
    if version is None or version.ocr_state != FileVersion.Ocr.PENDING or not version.blob:
        return "skipped"
    if not ocr_available(version.mime):
        FileVersion.objects.filter(pk=version_id).update(ocr_state=FileVersion.Ocr.UNAVAILABLE)
        return "unavailable"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            source = workdir / f"in{Path(version.name).suffix}"
            with version.blob.open("rb") as blob:
                source.write_bytes(blob.read())
            if version.mime == "application/pdf":
                text = _ocr_pdf(source, workdir)
            else:
                text = _ocr_image(source)
    except (subprocess.SubprocessError, OSError):
        FileVersion.objects.filter(pk=version_id).update(ocr_state=FileVersion.Ocr.FAILED)
        return "failed"
    from hromada.documents.services import refresh_search_text

    with transaction.atomic():
        FileVersion.objects.filter(pk=version_id).update(
            ocr_state=FileVersion.Ocr.DONE, ocr_text=text.replace("\x00", "")[:1_000_000]
        )
        document = Document.objects.select_for_update().get(pk=version.file.document_id)
        refresh_search_text(document)
        document.save(update_fields=["search_text"])
    return "done"
