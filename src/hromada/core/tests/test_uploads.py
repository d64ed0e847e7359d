"""Tests of upload validation: content-based type, extension, size, safe names."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework import serializers

from hromada.core.uploads import (
    DOCUMENTS,
    DOCX,
    IMAGES,
    PDF,
    PNG,
    SPREADSHEETS,
    XLSX,
    UploadField,
    UploadValidator,
    sanitize_filename,
    validate_upload,
)

# --- real small files, made here ----------------------------------------------------------


def pdf_bytes() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Звернення</w:t></w:r></w:p></w:body></w:document>",
        )
    return buf.getvalue()


def docx_without_rels_bytes() -> bytes:
    """A DOCX that libmagic sees only as a ZIP: the type is read from inside."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Підрозділ"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# --- accepted files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "mime"),
    [
        ("заява.pdf", pdf_bytes, PDF),
        ("фото.png", png_bytes, PNG),
        ("відповідь.docx", docx_bytes, DOCX),
        ("план.xlsx", xlsx_bytes, XLSX),
        ("стара.docx", docx_without_rels_bytes, DOCX),
    ],
)
def test_real_files_are_accepted_with_their_detected_type(name, make, mime):
    content = make()
    result = validate_upload(upload(name, content), allowed=DOCUMENTS)
    assert (result.name, result.mime, result.size) == (name, mime, len(content))


def test_a_csv_file_is_accepted_as_csv():
    result = validate_upload(upload("люди.csv", b"a,b\n1,2\n"), allowed=SPREADSHEETS)
    assert result.mime == "text/csv"


def test_the_file_can_be_read_from_the_start_after_validation():
    file = upload("заява.pdf", pdf_bytes())
    validate_upload(file, allowed=DOCUMENTS)
    assert file.read(5) == b"%PDF-"


# --- refused files -----------------------------------------------------------------------------


def test_html_named_pdf_is_refused():
    fake = upload(
        "рішення.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    )
    with pytest.raises(ValidationError, match="HTML") as exc:
        validate_upload(fake, allowed=DOCUMENTS | {"text/html"})
    assert exc.value.code == "file_extension"


def test_a_windows_program_named_pdf_is_refused():
    fake = upload("рахунок.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200 + b"This program cannot be run")
    with pytest.raises(ValidationError) as exc:
        validate_upload(fake, allowed=DOCUMENTS)
    assert exc.value.code == "file_type"
    assert "EXE" in exc.value.messages[0]


def test_a_real_pdf_with_a_docx_name_is_refused():
    with pytest.raises(ValidationError, match="не відповідає"):
        validate_upload(upload("лист.docx", pdf_bytes()), allowed=DOCUMENTS)


def test_a_type_outside_the_allowed_set_is_refused():
    with pytest.raises(ValidationError, match="Дозволено: JPEG, PNG"):
        validate_upload(upload("заява.pdf", pdf_bytes()), allowed={PNG, "image/jpeg"})


def test_an_oversized_file_is_refused():
    with pytest.raises(ValidationError, match="завеликий") as exc:
        validate_upload(
            upload("фото.png", png_bytes() + b"\x00" * 2000), allowed=IMAGES, max_bytes=1024
        )
    assert exc.value.code == "file_too_large"


def test_the_default_limit_comes_from_settings(settings):
    settings.HROMADA_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="завеликий"):
        validate_upload(upload("заява.pdf", pdf_bytes()), allowed=DOCUMENTS)


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="порожній"):
        validate_upload(upload("заява.pdf", b""), allowed=DOCUMENTS)


def test_a_file_without_an_extension_is_refused():
    with pytest.raises(ValidationError, match="без розширення"):
        validate_upload(upload("заява", pdf_bytes()), allowed=DOCUMENTS)


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system.ini.pdf", "system.ini.pdf"),
        ("C:\\Users\\Олена\\Звернення №5 (копія).pdf", "Звернення №5 (копія).pdf"),
        (".htaccess", "файл.htaccess"),
        ("...", "файл"),
        ("", "файл"),
        ("   .pdf", "файл.pdf"),
        ("рах\x00у\x1bнок\u202efdp.exe", "рахунокfdp.exe"),
        ("Мар'яна <script>.PDF", "Мар'яна _script.pdf"),
        ("CON.pdf", "файл_CON.pdf"),
        ("a   b\t\nc.pdf", "a b c.pdf"),
    ],
)
def test_names_are_sanitised(raw, safe):
    assert sanitize_filename(raw) == safe


def test_a_ten_megabyte_name_is_cut_to_120_characters_keeping_the_extension():
    name = sanitize_filename("я" * 10 * 1024 * 1024 + ".pdf")
    assert len(name) == 120
    assert name.endswith("я.pdf")


def test_a_validated_upload_carries_the_safe_name():
    result = validate_upload(upload("../../звіт.pdf", pdf_bytes()), allowed=DOCUMENTS)
    assert result.name == "звіт.pdf"


# --- form field and DRF validator --------------------------------------------------------------


class _Form(forms.Form):
    file = UploadField(allowed={PDF}, max_bytes=100_000)


def test_the_form_field_accepts_a_pdf_and_renames_it():
    form = _Form(files={"file": upload("../звіт 2025.pdf", pdf_bytes())})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].name == "звіт 2025.pdf"
    assert form.cleaned_data["file"].validated_upload.mime == PDF


def test_the_form_field_reports_a_fake_pdf_in_ukrainian():
    form = _Form(files={"file": upload("звіт.pdf", b"<html><body>x</body></html>")})
    assert not form.is_valid()
    assert "не приймаються" in form.errors["file"][0]


def test_the_form_field_offers_only_the_allowed_extensions():
    assert _Form()["file"].field.widget.attrs["accept"] == ".pdf"


class _Serializer(serializers.Serializer):
    file = serializers.FileField(validators=[UploadValidator({PDF})])


def test_the_validator_works_in_a_drf_serializer():
    bad = _Serializer(data={"file": upload("звіт.pdf", png_bytes())})
    good = _Serializer(data={"file": upload("звіт.pdf", pdf_bytes())})
    assert not bad.is_valid()
    assert "PNG" in str(bad.errors["file"][0])
    assert good.is_valid(), good.errors


def test_validators_with_the_same_settings_are_equal():
    assert UploadValidator({PDF}, 10) == UploadValidator([PDF], 10)
