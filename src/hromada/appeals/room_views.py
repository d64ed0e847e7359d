"""Virtual reception rooms: the public list and page of each official, and the staff editor."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hromada.accounts.models import User
from hromada.appeals import receptions, rooms
from hromada.appeals.models import ReceptionRoom
from hromada.control.http import actor, require_or_403, staff_view
from hromada.core.exceptions import ApplicationError
from hromada.core.uploads import IMAGES, UploadField

PAGE_SIZE = 20


@require_GET
def room_list(request: HttpRequest) -> HttpResponse:
    """The searchable list of reception rooms (name, position, unit, subject)."""
    q = request.GET.get("q", "")[:200]
    paginator = Paginator(rooms.rooms_search(q), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "appeals/rooms/list.html", {"page_obj": page, "q": q})


@require_GET
def room_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An official's room: photo, position, unit, subjects, schedule with free slots."""
    room = rooms.room_for(pk)
    if room is None:
        raise Http404
    schedules = list(receptions.schedules_of(room.official))
    free = receptions.slots(schedules, days=28)
    by_day: dict[Any, list[receptions.Slot]] = defaultdict(list)
    for slot in free:
        by_day[slot.starts_at.astimezone().date()].append(slot)
    labels = rooms.topic_labels([c.strip() for c in room.topics.split(",") if c.strip()])
    return render(
        request,
        "appeals/rooms/detail.html",
        {
            "room": room,
            "official": room.official,
            "schedules": [(s, receptions.describe(s)) for s in schedules],
            "days": sorted(by_day.items())[:10],
            "topics": labels,
            "may_edit": request.user.has_perm("appeals.change_reception", room),
        },
    )


class RoomForm(forms.Form):
    subjects = forms.CharField(
        label=gettext_lazy("Питання, які розглядає"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "govuk-textarea"}),
    )
    topics = forms.CharField(
        label=gettext_lazy("Коди тематики (класифікатор № 858, через кому)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    is_public = forms.BooleanField(label=gettext_lazy("Опублікувати на сайті"), required=False)
    photo = UploadField(
        label=gettext_lazy("Фото (PNG, JPEG, WebP; до 5 МБ)"), allowed=IMAGES, required=False
    )
    remove_photo = forms.BooleanField(label=gettext_lazy("Прибрати фото"), required=False)


@staff_view
@require_GET
def staff_rooms(request: HttpRequest) -> HttpResponse:
    """The rooms this member of staff may edit: their own, or every one for the office."""
    q = request.GET.get("q", "")[:200]
    qs = rooms.rooms_editable_by(request.user)
    for word in rooms.fold(q).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    own = rooms.room_of(actor(request))
    return render(request, "appeals/rooms/staff_list.html", {"page_obj": page, "q": q, "own": own})


@staff_view
@require_http_methods(["GET", "POST"])
def room_edit(request: HttpRequest, official_id: int) -> HttpResponse:
    """Edit an official's reception room (the official, the reception office, admins)."""
    official = get_object_or_404(User, pk=official_id, is_active=True)
    require_or_403(request, "appeals.change_reception", official)
    room = ReceptionRoom.objects.filter(official=official).first()
    if request.method == "POST":
        form = RoomForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = rooms.room_save(
                    actor=actor(request),
                    official=official,
                    subjects=data["subjects"],
                    topics=data["topics"],
                    is_public=data["is_public"],
                    photo=data["photo"] or None,
                    remove_photo=data["remove_photo"],
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Приймальню збережено."))
                if saved.is_public:
                    return redirect("appeals:room", pk=saved.pk)
                return redirect("appeals:staff_rooms")
    else:
        form = RoomForm(
            initial={
                "subjects": room.subjects if room else "",
                "topics": room.topics if room else "",
                "is_public": room.is_public if room else True,
            }
        )
    return render(
        request,
        "appeals/rooms/edit.html",
        {"form": form, "room": room, "official": official},
        status=400 if form.errors else 200,
    )
