"""Photos and documents of objects and building passports."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from hromada.accounts.factories import OrgUnitFactory, UserFactory, staff_with_role
from hromada.accounts.roles import Role
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent
from hromada.portal.factories import (
    BuildingPassportFactory,
    ResourceFactory,
    ResourceObjectFactory,
)
from hromada.portal.models import Attachment
from hromada.portal.services import attachment_add, attachment_delete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.HROMADA_MFA_ENFORCED = False


def jpeg(name: str = "фото.jpg", size: tuple[int, int] = (1600, 1200)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name: str = "акт.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_a_photo_gets_a_thumbnail_and_loses_its_metadata() -> None:
    obj = ResourceObjectFactory()
    att = attachment_add(object_id=obj.pk, kind="photo", title="Фасад", upload=jpeg(), actor=None)
    with att.thumbnail.open("rb") as f:
        thumb = Image.open(f)
        assert max(thumb.size) <= 480
    with att.file.open("rb") as f:
        assert not Image.open(f).getexif()
    assert att.mime == "image/jpeg"
    assert AuditEvent.objects.filter(action="portal.attachment.added").exists()


def test_a_file_that_is_not_what_it_claims_is_refused_in_ukrainian() -> None:
    obj = ResourceObjectFactory()
    fake = SimpleUploadedFile("фото.jpg", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ApplicationError, match="не приймаються"):
        attachment_add(object_id=obj.pk, kind="photo", title="", upload=fake, actor=None)
    assert not Attachment.objects.exists()


def test_a_too_large_photo_is_refused() -> None:
    obj = ResourceObjectFactory()
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (16 * 1024 * 1024))
    with pytest.raises(ApplicationError, match="завеликий"):
        attachment_add(object_id=obj.pk, kind="photo", title="", upload=big, actor=None)
    assert not Attachment.objects.exists()


def test_a_document_is_added_to_a_passport_and_downloaded_as_a_file(client: Client) -> None:
    passport = BuildingPassportFactory()
    att = attachment_add(
        passport_id=passport.pk, kind="document", title="Акт обстеження", upload=pdf(), actor=None
    )
    page = client.get(passport.get_absolute_url()).content.decode()
    assert "Акт обстеження" in page
    response = client.get(att.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_the_object_page_shows_photo_thumbnails(client: Client) -> None:
    obj = ResourceObjectFactory()
    att = attachment_add(object_id=obj.pk, kind="photo", title="Вхід", upload=jpeg(), actor=None)
    page = client.get(obj.get_absolute_url()).content.decode()
    assert reverse("portal:attachment_thumbnail", args=[att.pk]) in page
    thumb = client.get(reverse("portal:attachment_thumbnail", args=[att.pk]))
    assert thumb["Content-Type"] == "image/jpeg"


def test_staff_of_the_owner_unit_upload_and_delete_through_the_page(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    unit = OrgUnitFactory()
    obj = ResourceObjectFactory(resource=ResourceFactory(unit=unit))
    client.force_login(staff_with_role(Role.EDITOR, unit))
    url = reverse("portal:object_files", args=[obj.pk])
    response = client.post(url, {"kind": "photo", "title": "Фасад", "file": jpeg()})
    assert response.status_code == 302
    att = Attachment.objects.get()
    stored = att.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:attachment_delete", args=[att.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not att.file.storage.exists(stored)
    assert AuditEvent.objects.filter(action="portal.attachment.deleted").exists()


def test_a_wrong_upload_on_the_page_is_a_400_with_a_ukrainian_message(client: Client) -> None:
    unit = OrgUnitFactory()
    obj = ResourceObjectFactory(resource=ResourceFactory(unit=unit))
    client.force_login(staff_with_role(Role.EDITOR, unit))
    response = client.post(
        reverse("portal:object_files", args=[obj.pk]),
        {"kind": "photo", "title": "", "file": pdf("photo.pdf")},
    )
    assert response.status_code == 400
    assert "не приймаються" in response.content.decode()


def test_staff_of_another_unit_and_citizens_may_not_upload(client: Client) -> None:
    obj = ResourceObjectFactory(resource=ResourceFactory(unit=OrgUnitFactory()))
    client.force_login(staff_with_role(Role.EDITOR, OrgUnitFactory()))
    url = reverse("portal:object_files", args=[obj.pk])
    assert client.post(url, {"kind": "photo", "file": jpeg()}).status_code == 403
    client.force_login(UserFactory())
    assert client.post(url, {"kind": "photo", "file": jpeg()}).status_code == 403
    assert not Attachment.objects.exists()


def test_anonymous_visitors_cannot_delete_files(client: Client) -> None:
    obj = ResourceObjectFactory()
    att = attachment_add(object_id=obj.pk, kind="photo", title="", upload=jpeg(), actor=None)
    response = client.post(reverse("portal:attachment_delete", args=[att.pk]))
    assert response.status_code == 302
    assert Attachment.objects.filter(pk=att.pk).exists()


def test_deleting_through_the_service_removes_the_thumbnail_too(
    django_capture_on_commit_callbacks: Any,
) -> None:
    obj = ResourceObjectFactory()
    att = attachment_add(object_id=obj.pk, kind="photo", title="", upload=jpeg(), actor=None)
    thumb = att.thumbnail.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(attachment_id=att.pk, actor=None)
    assert not att.thumbnail.storage.exists(thumb)
