"""Photos and documents of objects and building passports: public downloads, staff upload/delete.

Files are read through these views (never from a static path): photos inline, documents
as downloads, with the type recorded when the content was checked.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hromada.core.exceptions import ApplicationError
from hromada.portal.forms import AttachmentForm
from hromada.portal.models import Attachment, BuildingPassport, ResourceObject
from hromada.portal.services import attachment_add, attachment_delete


def _may_change(request: HttpRequest, owner: ResourceObject | BuildingPassport) -> bool:
    if isinstance(owner, ResourceObject):
        return request.user.has_perm("portal.change_objects", owner)
    return request.user.has_perm("portal.change_passport", owner)


def _serve(attachment: Attachment, *, thumbnail: bool) -> FileResponse:
    field = attachment.thumbnail if thumbnail else attachment.file
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    inline = thumbnail or attachment.kind == Attachment.Kind.PHOTO
    response = FileResponse(
        handle,
        content_type="image/jpeg" if thumbnail else attachment.mime,
        as_attachment=not inline,
        filename=attachment.name,
    )
    response["Cache-Control"] = "public, max-age=86400"
    # A document is never run as a page in the portal's origin.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    """Return a photo (inline) or a document (as a download): public, like the pages."""
    return _serve(get_object_or_404(Attachment, pk=pk), thumbnail=False)


@require_GET
def thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    """Return a photo's thumbnail."""
    return _serve(get_object_or_404(Attachment, pk=pk), thumbnail=True)


def _files_page(
    request: HttpRequest, owner: ResourceObject | BuildingPassport, *, object_id: int | None
) -> HttpResponse:
    if not _may_change(request, owner):
        raise PermissionDenied
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment_add(
                object_id=object_id,
                passport_id=None if object_id else owner.pk,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("Файл додано."))
            return redirect(request.path)
    return render(
        request,
        "portal/attachments.html",
        {"owner": owner, "form": form, "attachments": list(owner.attachments.all())},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def object_files(request: HttpRequest, pk: int) -> HttpResponse:
    """List, add and remove an object's photos and documents (staff of its owner unit)."""
    obj = get_object_or_404(ResourceObject.objects.select_related("resource__unit"), pk=pk)
    return _files_page(request, obj, object_id=obj.pk)


@login_required
@require_http_methods(["GET", "POST"])
def passport_files(request: HttpRequest, pk: int) -> HttpResponse:
    """List, add and remove a building passport's photos and documents."""
    passport = get_object_or_404(BuildingPassport, pk=pk)
    return _files_page(request, passport, object_id=None)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a photo or a document."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("object__resource__unit", "passport"), pk=pk
    )
    owner = attachment.owner
    if not _may_change(request, owner):
        raise PermissionDenied
    attachment_delete(attachment_id=attachment.pk, actor=request.user)
    messages.success(request, _("Файл вилучено."))
    name = "portal:object_files" if isinstance(owner, ResourceObject) else "portal:passport_files"
    return redirect(name, pk=owner.pk)
