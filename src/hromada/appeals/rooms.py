"""Virtual reception rooms (віртуальні приймальні) of officials: services and selectors.

A room is an official's public profile: photo, position, unit, the subjects they handle
(free text and classifier-858 topic codes), their reception schedule with free slots, and
"Поставити запитання" — the web form with the appeal addressed to them (`?room=<id>`).

The list `/appeals/rooms/` is searched by name, position, unit and subject. The position and
unit are copied onto the room (`position_title`, `unit_name`) and everything searchable into
`search_text` — case-folded, apostrophes unified — when the room is saved or refreshed, so the
search is one indexed-table scan with LIKE on both SQLite and PostgreSQL, without a join per
room (760 rooms in the demo city).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts.models import Employment, User
from hromada.accounts.permissions import require
from hromada.appeals.models import ReceptionRoom
from hromada.core.audit import audit_record
from hromada.core.classifiers import classifier_items
from hromada.core.exceptions import ApplicationError
from hromada.core.uploads import IMAGES, validate_upload

MAX_PHOTO_BYTES = 5 * 1024 * 1024
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'"})


def fold(text: str) -> str:
    """Return text as the search compares it: NFC, case-folded, one kind of apostrophe."""
    return " ".join(
        unicodedata.normalize("NFC", text or "").translate(_APOSTROPHES).casefold().split()
    )


def topic_labels(codes: Sequence[str]) -> dict[str, str]:
    """Return {code: label} of classifier-858 topics (valid today)."""
    if not codes:
        return {}
    items = classifier_items("858", "topics", timezone.localdate()).filter(code__in=list(codes))
    return dict(items.values_list("code", "label"))


def _codes(value: str | Sequence[str]) -> list[str]:
    parts = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    return list(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


def _current_post(official: User) -> tuple[str, str]:
    employment = (
        Employment.objects.current()
        .filter(user=official)
        .select_related("position__unit")
        .order_by("-position__is_head", "pk")
        .first()
    )
    if employment is None:
        return "", ""
    unit = employment.position.unit
    return employment.position.title[:300], (unit.name or unit.short_name)[:300]


def search_text_of(room: ReceptionRoom, official: User, labels: dict[str, str]) -> str:
    return fold(
        " ".join(
            [
                official.surname,
                official.given_name,
                official.patronymic,
                room.position_title,
                room.unit_name,
                room.subjects,
                " ".join(labels.values()),
            ]
        )
    )


def _refresh(room: ReceptionRoom, official: User, labels: dict[str, str] | None = None) -> None:
    room.position_title, room.unit_name = _current_post(official)
    if labels is None:
        labels = topic_labels(_codes(room.topics))
    room.search_text = search_text_of(room, official, labels)


def _check_photo(photo: Any) -> None:
    try:
        checked = validate_upload(photo, allowed=IMAGES, max_bytes=MAX_PHOTO_BYTES)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="photo") from exc
    photo.name = checked.name
    photo.seek(0)


@transaction.atomic
def room_save(
    *,
    actor: User | None,
    official: User,
    subjects: str | None = None,
    topics: str | Sequence[str] | None = None,
    is_public: bool | None = None,
    photo: Any = None,
    remove_photo: bool = False,
) -> ReceptionRoom:
    """Create or change an official's reception room; its search fields are refreshed."""
    if actor is not None:
        require(actor, "appeals.change_reception", official)
    room = ReceptionRoom.objects.select_for_update().filter(official=official).first()
    created = room is None
    if room is None:
        room = ReceptionRoom(official=official)
    changed: list[str] = []
    if subjects is not None:
        subjects = subjects.strip()
        if len(subjects) > 3000:
            raise ApplicationError(
                _("Перелік питань задовгий: не більше 3000 знаків."), field="subjects"
            )
        room.subjects, changed = subjects, [*changed, "subjects"]
    labels: dict[str, str] | None = None
    if topics is not None:
        codes = _codes(topics)
        labels = topic_labels(codes)
        unknown = [c for c in codes if c not in labels]
        if unknown:
            raise ApplicationError(
                _("Невідомий код питання: %(codes)s.")
                % {"codes": ", ".join(c[:20] for c in unknown)},
                field="topics",
            )
        room.topics = ", ".join(codes)[:300]
        changed.append("topics")
    if is_public is not None:
        room.is_public, changed = is_public, [*changed, "is_public"]
    old_photo = room.photo.name if room.photo else ""
    if photo is not None:
        _check_photo(photo)
        room.photo.save(photo.name, photo, save=False)
        changed.append("photo")
    elif remove_photo and room.photo:
        room.photo = None
        changed.append("photo")
    _refresh(room, official, labels)
    room.save()
    if old_photo and "photo" in changed:
        transaction.on_commit(lambda: room.photo.storage.delete(old_photo))
    audit_record(
        actor=actor,
        action="appeals.reception_room." + ("created" if created else "changed"),
        target=room,
        data={"official": official.pk, "changed": changed},
    )
    return room


def rooms_refresh(*, officials: Sequence[int] | None = None) -> int:
    """Refresh the copied position, unit and search text (after posts or names change)."""
    qs = ReceptionRoom.objects.select_related("official")
    if officials is not None:
        qs = qs.filter(official_id__in=officials)
    rooms = list(qs)
    codes = {c for r in rooms for c in _codes(r.topics)}
    labels = topic_labels(sorted(codes))
    posts: dict[int, tuple[str, str]] = {}
    for e in (
        Employment.objects.current()
        .filter(user_id__in=[r.official_id for r in rooms])
        .select_related("position__unit")
        .order_by("user_id", "-position__is_head", "pk")
    ):
        if e.user_id not in posts:
            unit = e.position.unit
            posts[e.user_id] = (e.position.title[:300], (unit.name or unit.short_name)[:300])
    for room in rooms:
        room.position_title, room.unit_name = posts.get(room.official_id, ("", ""))
        own = {c: labels[c] for c in _codes(room.topics) if c in labels}
        room.search_text = search_text_of(room, room.official, own)
    ReceptionRoom.objects.bulk_update(
        rooms, ["position_title", "unit_name", "search_text"], batch_size=500
    )
    return len(rooms)


# --- reads -------------------------------------------------------------------------------------


def public_rooms() -> QuerySet[ReceptionRoom]:
    return ReceptionRoom.objects.filter(is_public=True, official__is_active=True)


def rooms_search(q: str = "") -> QuerySet[ReceptionRoom]:
    """Public rooms whose name, position, unit or subjects contain every word of `q`."""
    qs = public_rooms().select_related("official")
    for word in fold(q).split()[:8]:
        qs = qs.filter(search_text__contains=word[:100])
    return qs.order_by("unit_name", "position_title", "official__surname", "pk")


def room_for(pk: int) -> ReceptionRoom | None:
    return public_rooms().select_related("official").filter(pk=pk).first()


def room_of(official: User) -> ReceptionRoom | None:
    return ReceptionRoom.objects.filter(official=official).first()


def rooms_editable_by(user: Any) -> QuerySet[ReceptionRoom]:
    """Rooms a member of staff may edit: every room for the office, otherwise their own."""
    qs = ReceptionRoom.objects.select_related("official").order_by("unit_name", "pk")
    if user.has_perm("appeals.manage_receptions"):
        return qs
    from hromada.accounts.permissions import acting_for_ids

    return qs.filter(official_id__in=acting_for_ids(user))


def with_schedules(qs: QuerySet[ReceptionRoom]) -> QuerySet[ReceptionRoom]:
    from hromada.appeals.models import ReceptionSchedule

    return qs.prefetch_related(
        Prefetch(
            "official__reception_schedules",
            queryset=ReceptionSchedule.objects.filter(is_active=True).order_by(
                "on_date", "weekday", "start_time"
            ),
        )
    )


def unit_names() -> list[str]:
    """Units that have public rooms, for the list's filter."""
    return list(
        public_rooms()
        .exclude(unit_name="")
        .order_by("unit_name")
        .values_list("unit_name", flat=True)
        .distinct()
    )
