"""Upload validation: type detected from content, extension matching it, size limit, safe name.

A file's type is what its bytes are (libmagic), never what its name or the
browser claims; a name whose extension disagrees with the content (an ".pdf"
that is really HTML or a Windows program) is refused. Names are reduced to a
safe base name that keeps Ukrainian letters.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import magic
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.deconstruct import deconstructible

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
RTF = "text/rtf"
TXT = "text/plain"
CSV = "text/csv"

# The extensions a file of each type may carry.
EXTENSIONS: dict[str, frozenset[str]] = {
    PDF: frozenset({"pdf"}),
    PNG: frozenset({"png"}),
    JPEG: frozenset({"jpg", "jpeg"}),
    TIFF: frozenset({"tif", "tiff"}),
    WEBP: frozenset({"webp"}),
    DOCX: frozenset({"docx"}),
    XLSX: frozenset({"xlsx"}),
    PPTX: frozenset({"pptx"}),
    ODT: frozenset({"odt"}),
    ODS: frozenset({"ods"}),
    DOC: frozenset({"doc"}),
    XLS: frozenset({"xls"}),
    RTF: frozenset({"rtf"}),
    TXT: frozenset({"txt"}),
    CSV: frozenset({"csv"}),
}

# Ready-made sets for forms.
IMAGES = frozenset({PNG, JPEG, TIFF, WEBP})
DOCUMENTS = frozenset({PDF, DOCX, DOC, ODT, RTF, TXT, XLSX, XLS, ODS, PPTX}) | IMAGES
SPREADSHEETS = frozenset({XLSX, CSV})

_LABELS = {
    PDF: "PDF",
    PNG: "PNG",
    JPEG: "JPEG",
    TIFF: "TIFF",
    WEBP: "WebP",
    DOCX: "Word (DOCX)",
    XLSX: "Excel (XLSX)",
    PPTX: "PowerPoint (PPTX)",
    ODT: "ODT",
    ODS: "ODS",
    DOC: "Word (DOC)",
    XLS: "Excel (XLS)",
    RTF: "RTF",
    TXT: "текст (TXT)",
    CSV: "CSV",
    "text/html": "HTML",
    "application/x-dosexec": "програма Windows (EXE)",
    "application/x-executable": "програма (ELF)",
    "application/x-sharedlib": "програма (ELF)",
    "application/zip": "ZIP-архів",
    "application/x-rar": "RAR-архів",
    "image/svg+xml": "SVG",
    "application/javascript": "JavaScript",
    "text/x-shellscript": "скрипт",
    "application/octet-stream": "невідомий тип",
    "inode/x-empty": "порожній файл",
}

# Containers whose real type is read from inside (libmagic sometimes stops at "zip").
_ZIP_TYPES = {"application/zip", "application/octet-stream", "application/x-zip-compressed"}
_OLE_TYPES = {"application/x-ole-storage", "application/CDFV2", "application/vnd.ms-office"}
_OOXML_MAIN = {
    "docx": ("word/document.xml", DOCX),
    "xlsx": ("xl/workbook.xml", XLSX),
    "pptx": ("ppt/presentation.xml", PPTX),
}
_ODF_MIMETYPES = {ODT: "odt", ODS: "ods"}
_HEAD_BYTES = 256 * 1024
_MAX_NAME = 120
_MAX_EXT = 10
_FALLBACK_STEM = "файл"
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in "123456789"
}
_UNSAFE = re.compile(r"[^\w\s\-.,()\[\]№'ʼ’+]")
_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"([_.\-])\1+")


@dataclass(frozen=True)
class ValidatedUpload:
    """An accepted file: its safe name, the type read from its content, and its size in bytes."""

    name: str
    mime: str
    size: int


def type_label(mime: str) -> str:
    """Return a human name for a MIME type ("PDF", "Word (DOCX)"…)."""
    return _LABELS.get(mime, mime)


def _split_name(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    if dot and ext.isalnum() and len(ext) <= _MAX_EXT:
        return stem, ext.lower()
    return name, ""


def sanitize_filename(name: str) -> str:
    """Return a safe base name: no path, no control characters, no leading dot, ≤ 120 characters."""
    # Only the last path component counts, whichever separator the client used.
    base = re.split(r"[/\\]", name or "")[-1]
    # Bound the work for absurd names before any per-character processing.
    if len(base) > 4 * _MAX_NAME:
        base = base[: 2 * _MAX_NAME] + base[-(_MAX_EXT + 1) :]
    base = unicodedata.normalize("NFC", base)
    # Whitespace becomes a space; other control and format characters go (incl.
    # right-to-left overrides that disguise ".exe").
    base = "".join(
        " " if ch.isspace() else ch
        for ch in base
        if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )
    stem, ext = _split_name(base)
    stem = _UNSAFE.sub("_", stem)
    stem = _REPEATS.sub(r"\1", _SPACES.sub(" ", stem)).strip(" ._-")
    if not stem or stem.lower() in _WINDOWS_RESERVED:
        stem = f"{_FALLBACK_STEM}_{stem}".rstrip("_") if stem else _FALLBACK_STEM
    suffix = f".{ext}" if ext else ""
    stem = stem[: _MAX_NAME - len(suffix)].rstrip(" ._-") or _FALLBACK_STEM
    return stem + suffix


def _read_head(file: IO[bytes]) -> bytes:
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    return head if isinstance(head, bytes) else bytes(head)


def _size(file: Any) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    return int(size)


def _zip_type(file: IO[bytes], ext: str) -> str | None:
    """Look inside a ZIP container for the office format it claims to be."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in _ODF_MIMETYPES:
                    return mimetype
            expected = _OOXML_MAIN.get(ext)
            if expected and "[Content_Types].xml" in names and expected[0] in names:
                return expected[1]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        file.seek(0)
    return None


def detect_type(file: IO[bytes], *, ext: str = "") -> str:
    """Return the MIME type of a file's content (the extension only picks among look-alikes)."""
    mime = magic.from_buffer(_read_head(file), mime=True)
    if mime in _ZIP_TYPES:
        return _zip_type(file, ext) or mime
    if mime in _OLE_TYPES and ext in ("doc", "xls"):
        return DOC if ext == "doc" else XLS
    if mime == TXT and ext == "csv":
        return CSV
    if mime in ("application/csv", "text/x-csv"):
        return CSV
    return str(mime)


def _labels(types: Iterable[str]) -> str:
    return ", ".join(sorted({type_label(t) for t in types}))


def validate_upload(
    file: Any, *, allowed: Iterable[str], max_bytes: int | None = None
) -> ValidatedUpload:
    """Check a file's size, its type (from content) and its extension; return its safe name."""
    allowed = frozenset(allowed)
    limit = settings.HROMADA_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    size = _size(file)
    if size == 0:
        raise ValidationError("Файл порожній.", code="file_empty")
    if size > limit:
        raise ValidationError(
            "Файл завеликий: %(size)s. Найбільший дозволений розмір — %(limit)s.",
            code="file_too_large",
            params={"size": _human_size(size), "limit": _human_size(limit)},
        )
    name = sanitize_filename(getattr(file, "name", "") or "")
    _, ext = _split_name(name)
    mime = detect_type(file, ext=ext)
    if mime not in allowed:
        raise ValidationError(
            "Файли такого типу не приймаються (%(found)s). Дозволено: %(allowed)s.",
            code="file_type",
            params={"found": type_label(mime), "allowed": _labels(allowed)},
        )
    if ext not in EXTENSIONS.get(mime, frozenset()):
        raise ValidationError(
            "Розширення файлу «%(ext)s» не відповідає його вмісту (%(found)s). "
            "Збережіть файл з правильним розширенням: %(expected)s.",
            code="file_extension",
            params={
                "ext": f".{ext}" if ext else "без розширення",
                "found": type_label(mime),
                "expected": ", ".join(f".{e}" for e in sorted(EXTENSIONS.get(mime, ()))),
            },
        )
    return ValidatedUpload(name=name, mime=mime, size=size)


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} МБ".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.0f} КБ"
    return f"{size} Б"


@deconstructible
class UploadValidator:
    """A validator for model, form and DRF file fields: ``UploadValidator(DOCUMENTS)``."""

    def __init__(self, allowed: Iterable[str], max_bytes: int | None = None) -> None:
        self.allowed = frozenset(allowed)
        self.max_bytes = max_bytes

    def __call__(self, file: Any) -> None:
        validated = validate_upload(file, allowed=self.allowed, max_bytes=self.max_bytes)
        # Later code (storage, display) sees the safe name only.
        file.name = validated.name
        file.validated_upload = validated

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.allowed == other.allowed
            and self.max_bytes == other.max_bytes
        )

    def __hash__(self) -> int:
        return hash((self.allowed, self.max_bytes))


class UploadField(forms.FileField):
    """A form file field that validates content, size and name (see `validate_upload`).

    The cleaned value is the uploaded file, renamed to its safe name, with the
    result on ``.validated_upload``.
    """

    def __init__(
        self, *, allowed: Iterable[str] = DOCUMENTS, max_bytes: int | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("max_length", None)
        super().__init__(**kwargs)
        self.upload_validator = UploadValidator(allowed, max_bytes)
        accept = sorted(
            {f".{e}" for t in self.upload_validator.allowed for e in EXTENSIONS.get(t, ())}
        )
        self.widget.attrs.setdefault("accept", ",".join(accept))

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if isinstance(file, UploadedFile):
            self.upload_validator(file)
        return file
