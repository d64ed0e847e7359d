"""Every write of the portal: objects of resources, their imports, schemas, building passports."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.core import uploads
from hromada.core.audit import audit_record
from hromada.core.exceptions import ApplicationError
from hromada.portal.cache import portal_changed
from hromada.portal.models import (
    Attachment,
    BuildingPassport,
    BuildingRepair,
    District,
    Poll,
    PollOption,
    PollVote,
    Resource,
    ResourceObject,
)
from hromada.portal.schema import clean_attributes, parse_schema
from hromada.portal.search import normalise
from hromada.portal.search_counts import (
    counts_change,
    counts_of_resource_cleared,
    object_row,
    objects_counted,
    objects_recounted,
)
from hromada.portal.sorting import natural_key

OBJECT_FIELDS = (
    "name",
    "address",
    "district",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "opening_hours",
    "last_checked",
)
MAX_TEXT = {"name": 300, "address": 300, "phone": 100, "opening_hours": 300}


def in_city(latitude: float, longitude: float) -> bool:
    """Return whether a point lies inside the city's bounding box (HROMADA_CITY_BBOX)."""
    south, west, north, east = (float(x) for x in settings.HROMADA_CITY_BBOX)
    return south <= latitude <= north and west <= longitude <= east


@dataclass(frozen=True)
class ObjectData:
    """The checked fields of one object, ready to be written."""

    values: dict[str, Any]
    attributes: dict[str, Any]


def object_data_clean(*, resource: Resource, data: dict[str, Any]) -> ObjectData:
    """Return an object's fields checked; raise ApplicationError naming every problem."""
    errors: list[str] = []
    values: dict[str, Any] = {}
    for key in ("name", "address"):
        text = str(data.get(key) or "").strip()
        if not text:
            errors.append(_("«%(field)s»: обов'язкове поле.") % {"field": _field_label(key)})
        values[key] = text[: MAX_TEXT[key]]
    for key in ("phone", "opening_hours"):
        values[key] = str(data.get(key) or "").strip()[: MAX_TEXT[key]]
    for key in ("email", "website"):
        values[key] = str(data.get(key) or "").strip()[:200]
    if values["email"] and ("@" not in values["email"] or " " in values["email"]):
        errors.append(_("Неправильна адреса e-mail «%(v)s».") % {"v": values["email"][:50]})
    if values["website"] and not values["website"].startswith(("http://", "https://")):
        errors.append(_("Адреса вебсайту має починатися з http:// або https://."))
    district = str(data.get("district") or "").strip()
    if district and district not in District.values:
        by_label = {str(label).lower(): value for value, label in District.choices}
        district = by_label.get(district.lower().removesuffix(" район"), "?")
        if district == "?":
            errors.append(_("Невідомий район «%(v)s».") % {"v": str(data.get("district"))[:50]})
    values["district"] = district if district != "?" else ""
    lat, lon = data.get("latitude"), data.get("longitude")
    if lat in (None, "") and lon in (None, ""):
        values["latitude"] = values["longitude"] = None
    else:
        try:
            values["latitude"] = float(str(lat).replace(",", "."))
            values["longitude"] = float(str(lon).replace(",", "."))
        except (TypeError, ValueError):
            errors.append(_("Координати мають бути числами (широта і довгота)."))
        else:
            if not in_city(values["latitude"], values["longitude"]):
                errors.append(
                    _("Координати %(lat)s, %(lon)s лежать поза межами міста.")
                    % {"lat": values["latitude"], "lon": values["longitude"]}
                )
    checked = data.get("last_checked")
    if checked in (None, ""):
        values["last_checked"] = None
    elif isinstance(checked, date):
        values["last_checked"] = checked
    else:
        try:
            values["last_checked"] = date.fromisoformat(str(checked).strip()[:10])
        except ValueError:
            errors.append(_("Дата перевірки має бути у форматі РРРР-ММ-ДД."))
    raw_attributes = data.get("attributes") or {}
    attributes: dict[str, Any] = {}
    if not isinstance(raw_attributes, dict):
        errors.append(_("Атрибути мають бути об'єктом."))
    else:
        try:
            attributes = clean_attributes(parse_schema(resource.attribute_schema), raw_attributes)
        except ValueError as exc:
            errors.append(str(exc))
    if errors:
        raise ApplicationError(" ".join(errors))
    return ObjectData(values=values, attributes=attributes)


def _field_label(key: str) -> str:
    field = ResourceObject._meta.get_field(key)
    return str(getattr(field, "verbose_name", key))


def _search_text(values: dict[str, Any]) -> str:
    return normalise(values.get("name", ""), values.get("address", ""))


def _bump(resource_id: int) -> None:
    Resource.objects.filter(pk=resource_id).update(version=F("version") + 1)
    transaction.on_commit(portal_changed)


@transaction.atomic
def resource_object_create(*, resource_id: int, data: dict[str, Any], actor: Any) -> ResourceObject:
    """Add an object to a resource's registry."""
    resource = Resource.objects.select_for_update().get(pk=resource_id)
    clean = object_data_clean(resource=resource, data=data)
    obj = ResourceObject.objects.create(
        resource=resource,
        attributes=clean.attributes,
        search_text=_search_text(clean.values),
        sort_key=natural_key(clean.values["name"]),
        **clean.values,
    )
    counts_change(objects_counted([object_row(obj)]))
    _bump(resource.pk)
    audit_record(actor=actor, action="portal.object.created", target=obj, data={"name": obj.name})
    return obj


@transaction.atomic
def resource_object_update(*, object_id: int, data: dict[str, Any], actor: Any) -> ResourceObject:
    """Change an object's fields (those not given keep their values)."""
    obj = ResourceObject.objects.select_for_update().select_related("resource").get(pk=object_id)
    merged: dict[str, Any] = {key: getattr(obj, key) for key in OBJECT_FIELDS}
    merged["attributes"] = obj.attributes
    merged.update({k: v for k, v in data.items() if k in (*OBJECT_FIELDS, "attributes")})
    clean = object_data_clean(resource=obj.resource, data=merged)
    changed = {
        k: [str(getattr(obj, k)), str(v)] for k, v in clean.values.items() if getattr(obj, k) != v
    }
    before = object_row(obj)
    for key, value in clean.values.items():
        setattr(obj, key, value)
    obj.attributes = clean.attributes
    obj.search_text = _search_text(clean.values)
    obj.sort_key = natural_key(obj.name)
    obj.save()
    # The resource's row is locked (bumped) before the counts, as every writer of them does.
    _bump(obj.resource_id)
    counts_change(objects_recounted(before, object_row(obj)))
    audit_record(actor=actor, action="portal.object.changed", target=obj, data=changed)
    return obj


@transaction.atomic
def resource_object_delete(*, object_id: int, actor: Any) -> None:
    """Remove an object from its registry."""
    obj = ResourceObject.objects.select_for_update().get(pk=object_id)
    audit_record(actor=actor, action="portal.object.deleted", target=obj, data={"name": obj.name})
    resource_id = obj.resource_id
    _bump(resource_id)  # locks the resource's row before the counts, as every writer does
    counts_change(objects_counted([object_row(obj)], -1))
    obj.delete()


@transaction.atomic
def resource_schema_set(*, resource_id: int, schema: Any, actor: Any) -> Resource:
    """Replace a resource's attribute schema (objects keep their stored attributes)."""
    resource = Resource.objects.select_for_update().get(pk=resource_id)
    try:
        attributes = parse_schema(schema)
    except ValueError as exc:
        raise ApplicationError(str(exc)) from exc
    resource.attribute_schema = [
        {
            "name": a.name,
            "label": a.label,
            "type": a.type,
            "required": a.required,
            "choices": list(a.choices),
        }
        for a in attributes
    ]
    resource.version += 1
    resource.save(update_fields=["attribute_schema", "version", "updated_at"])
    transaction.on_commit(portal_changed)
    audit_record(
        actor=actor,
        action="portal.resource.schema_changed",
        target=resource,
        data={"attributes": [a.name for a in attributes]},
    )
    return resource


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Рядок %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class ImportRejected(ApplicationError):
    """An import refused as a whole; ``errors`` name the bad rows by line number."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            _("Файл не імпортовано: помилок — %(n)s. Жоден рядок не записано.") % {"n": len(errors)}
        )
        self.errors = errors


@transaction.atomic
def resource_objects_import(
    *, resource_id: int, rows: list[tuple[int, dict[str, Any]]], replace: bool, actor: Any
) -> int:
    """Import objects into a registry, all or nothing; return how many were written.

    ``rows`` are (line number, {column: value}); attribute columns are named as in the
    schema. With ``replace`` the registry's objects are replaced by the file's.
    """
    resource = Resource.objects.select_for_update().get(pk=resource_id)
    schema_names = {a["name"] for a in resource.attribute_schema}
    errors: list[RowError] = []
    new: list[ResourceObject] = []
    for line, row in rows:
        data = {k: v for k, v in row.items() if k in OBJECT_FIELDS}
        data["attributes"] = {
            k: v for k, v in row.items() if k in schema_names and v not in (None, "")
        }
        try:
            clean = object_data_clean(resource=resource, data=data)
        except ApplicationError as exc:
            errors.append(RowError(line, exc.message))
            if len(errors) >= 200:
                break
            continue
        new.append(
            ResourceObject(
                resource=resource,
                attributes=clean.attributes,
                search_text=_search_text(clean.values),
                sort_key=natural_key(clean.values["name"]),
                **clean.values,
            )
        )
    if not rows:
        raise ApplicationError(_("Файл не містить жодного рядка з даними."))
    if errors:
        raise ImportRejected(errors)
    removed = 0
    if replace:
        removed, _details = ResourceObject.objects.filter(resource=resource).delete()
        counts_of_resource_cleared(resource.pk)
    ResourceObject.objects.bulk_create(new, batch_size=500)
    counts_change(objects_counted(object_row(obj) for obj in new))
    resource.version += 1
    resource.save(update_fields=["version", "updated_at"])
    transaction.on_commit(portal_changed)
    audit_record(
        actor=actor,
        action="portal.resource.imported",
        target=resource,
        data={"created": len(new), "removed": removed, "replace": replace},
    )
    return len(new)


# --- Building passports -------------------------------------------------------------------

PASSPORT_FIELDS = (
    "street",
    "number",
    "district",
    "latitude",
    "longitude",
    "year_built",
    "floors",
    "entrances",
    "apartments",
    "total_area",
    "living_area",
    "wall_material",
    "elevators",
    "heating",
    "hot_water",
    "gas",
    "manager_kind",
    "manager_name",
    "manager_phone",
    "manager_email",
    "energy_class",
    "planned_works",
)


def _passport_check(passport: BuildingPassport) -> None:
    try:
        passport.full_clean(exclude=["address", "search_text"], validate_unique=False)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from exc
    has_point = passport.latitude is not None and passport.longitude is not None
    if has_point and not in_city(passport.latitude, passport.longitude):  # type: ignore[arg-type]
        raise ApplicationError(_("Координати будинку лежать поза межами міста."))
    if passport.living_area > passport.total_area:
        raise ApplicationError(_("Житлова площа не може перевищувати загальну."))
    clash = BuildingPassport.objects.filter(street=passport.street, number=passport.number)
    if clash.exclude(pk=passport.pk).exists():
        raise ApplicationError(_("Паспорт будинку за цією адресою вже існує."))


@transaction.atomic
def passport_save(*, passport_id: int | None, data: dict[str, Any], actor: Any) -> BuildingPassport:
    """Create a building passport (``passport_id`` None) or change the given fields of one."""
    if passport_id is None:
        passport = BuildingPassport()
    else:
        passport = BuildingPassport.objects.select_for_update().get(pk=passport_id)
    for key, value in data.items():
        if key in PASSPORT_FIELDS:
            setattr(passport, key, value.strip() if isinstance(value, str) else value)
    _passport_check(passport)
    passport.search_text = normalise(passport.street, passport.number, passport.manager_name)
    passport.sort_key = natural_key(passport.street, passport.number)
    passport.save()
    transaction.on_commit(portal_changed)
    audit_record(
        actor=actor,
        action="portal.passport.created" if passport_id is None else "portal.passport.changed",
        target=passport,
        data={k: str(v) for k, v in data.items() if k in PASSPORT_FIELDS},
    )
    return passport


@transaction.atomic
def passport_repair_add(
    *, passport_id: int, year: int, kind: str, cost: Decimal, actor: Any
) -> BuildingRepair:
    """Record a major repair in a building's history."""
    passport = BuildingPassport.objects.select_for_update().get(pk=passport_id)
    if passport.year_built and year < passport.year_built:
        raise ApplicationError(_("Рік ремонту раніший за рік побудови."))
    if cost < 0:
        raise ApplicationError(_("Вартість не може бути від'ємною."))
    if not kind.strip():
        raise ApplicationError(_("Вкажіть вид робіт."))
    repair = BuildingRepair.objects.create(
        passport=passport, year=year, kind=kind.strip()[:300], cost=cost
    )
    transaction.on_commit(portal_changed)
    audit_record(
        actor=actor,
        action="portal.passport.repair_added",
        target=passport,
        data={"year": year, "kind": repair.kind, "cost": str(cost)},
    )
    return repair


# --- Photos and documents of objects and building passports -------------------------------

PHOTO_TYPES = frozenset({uploads.JPEG, uploads.PNG, uploads.WEBP})
PHOTO_MAX_BYTES = 15 * 1024 * 1024
# A photo of more pixels than this is refused before it is decoded (decompression bombs).
PHOTO_MAX_PIXELS = 50_000_000
THUMBNAIL_SIZE = (480, 360)
_PIL_FORMATS = {uploads.JPEG: "JPEG", uploads.PNG: "PNG", uploads.WEBP: "WEBP"}


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo re-encoded without its metadata (EXIF: place, camera) and its thumbnail."""

    content: bytes
    thumbnail: bytes


def photo_prepare(*, data: bytes, mime: str) -> PreparedPhoto:
    """Return a photo re-encoded without metadata, turned upright, and its JPEG thumbnail."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > PHOTO_MAX_PIXELS:
                raise ApplicationError(
                    _("Фото завелике: %(w)s×%(h)s пікселів. Найбільше — 50 мегапікселів.")
                    % {"w": width, "h": height}
                )
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ApplicationError(_("Файл не вдалося прочитати як зображення.")) from exc
    fmt = _PIL_FORMATS[mime]
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format=fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    thumb = image.convert("RGB") if image.mode not in ("RGB", "L") else image.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, format="JPEG", quality=82)
    return PreparedPhoto(content=out.getvalue(), thumbnail=thumb_out.getvalue())


def _attachment_owner(
    object_id: int | None, passport_id: int | None
) -> ResourceObject | BuildingPassport:
    if (object_id is None) == (passport_id is None):
        raise ApplicationError(_("Файл додається або до об'єкта, або до паспорта будинку."))
    if object_id is not None:
        return ResourceObject.objects.select_for_update().get(pk=object_id)
    assert passport_id is not None
    return BuildingPassport.objects.select_for_update().get(pk=passport_id)


def _attachment_changed(owner: ResourceObject | BuildingPassport) -> None:
    if isinstance(owner, ResourceObject):
        _bump(owner.resource_id)
    else:
        transaction.on_commit(portal_changed)


@transaction.atomic
def attachment_add(
    *,
    object_id: int | None = None,
    passport_id: int | None = None,
    kind: str,
    title: str,
    upload: Any,
    actor: Any,
) -> Attachment:
    """Add a photo or a document to an object or a building passport.

    The type is read from the file's content (core.uploads); photos are re-encoded without
    their metadata and get a thumbnail.
    """
    owner = _attachment_owner(object_id, passport_id)
    if kind not in Attachment.Kind.values:
        raise ApplicationError(_("Невідомий вид файлу."))
    photo = kind == Attachment.Kind.PHOTO
    try:
        checked = uploads.validate_upload(
            upload,
            allowed=PHOTO_TYPES if photo else uploads.DOCUMENTS,
            max_bytes=PHOTO_MAX_BYTES if photo else None,
        )
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from exc
    upload.seek(0)
    data = upload.read()
    title = " ".join(title.split())[:200] or checked.name.rsplit(".", 1)[0][:200]
    attachment = Attachment(
        object=owner if isinstance(owner, ResourceObject) else None,
        passport=owner if isinstance(owner, BuildingPassport) else None,
        kind=kind,
        title=title,
        name=checked.name,
        mime=checked.mime,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if photo:
        prepared = photo_prepare(data=data, mime=checked.mime)
        data = prepared.content
        stem = checked.name.rsplit(".", 1)[0]
        attachment.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(prepared.thumbnail), save=False)
    attachment.size = len(data)
    attachment.file.save(checked.name, ContentFile(data), save=False)
    attachment.save()
    _attachment_changed(owner)
    audit_record(
        actor=actor,
        action="portal.attachment.added",
        target=owner,
        data={
            "attachment": attachment.pk,
            "kind": kind,
            "name": checked.name,
            "mime": checked.mime,
            "size": attachment.size,
        },
    )
    return attachment


@transaction.atomic
def attachment_delete(*, attachment_id: int, actor: Any) -> None:
    """Remove a photo or document (its files are deleted once the removal commits)."""
    attachment = Attachment.objects.select_for_update().get(pk=attachment_id)
    owner = attachment.owner
    files = [f.name for f in (attachment.file, attachment.thumbnail) if f]
    storage = attachment.file.storage
    audit_record(
        actor=actor,
        action="portal.attachment.deleted",
        target=owner,
        data={"attachment": attachment.pk, "kind": attachment.kind, "name": attachment.name},
    )
    attachment.delete()
    _attachment_changed(owner)

    def remove_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


# --- Visitor polls (опитування) -----------------------------------------------------------

POLL_MAX_OPTIONS = 20
# How long the e-mail link of an anonymous visitor's vote stays valid.
POLL_LINK_MAX_AGE = timedelta(hours=48)
_POLL_LINK_SALT = "hromada.portal.poll-vote"
# One link per address and poll in this many seconds (the form cannot be used to spam).
POLL_LINK_INTERVAL_SECONDS = 600


def poll_voter_for_user(user: Any) -> str:
    """Return the voter key of a registered citizen."""
    return f"u:{user.pk}"


def poll_voter_for_email(email: str) -> str:
    """Return the voter key of a verified e-mail: a keyed hash, never the address itself."""
    digest = salted_hmac(_POLL_LINK_SALT, email.strip().casefold(), algorithm="sha256")
    return f"e:{digest.hexdigest()}"


def _poll_clean_options(options: list[str]) -> list[str]:
    cleaned = [" ".join(str(o).split())[:200] for o in options]
    cleaned = [o for o in cleaned if o]
    if len(cleaned) < 2:
        raise ApplicationError(_("Опитування має містити щонайменше два варіанти відповіді."))
    if len(cleaned) > POLL_MAX_OPTIONS:
        raise ApplicationError(
            _("Забагато варіантів відповіді: найбільше %(n)s.") % {"n": POLL_MAX_OPTIONS}
        )
    if len({o.casefold() for o in cleaned}) != len(cleaned):
        raise ApplicationError(_("Варіанти відповіді не повинні повторюватися."))
    return cleaned


@transaction.atomic
def poll_save(
    *,
    poll_id: int | None,
    question: str,
    description: str,
    opens_at: datetime,
    closes_at: datetime,
    is_published: bool,
    on_home: bool,
    options: list[str],
    actor: Any,
) -> Poll:
    """Create a poll (``poll_id`` None) or change one; its options are fixed once voted on."""
    question = " ".join(question.split())[:300]
    if not question:
        raise ApplicationError(_("Вкажіть питання опитування."))
    if closes_at <= opens_at:
        raise ApplicationError(_("Опитування має закриватися пізніше, ніж відкривається."))
    cleaned = _poll_clean_options(options)
    if poll_id is None:
        poll = Poll(created_by=actor if getattr(actor, "is_authenticated", False) else None)
        current: list[str] = []
    else:
        poll = Poll.objects.select_for_update().get(pk=poll_id)
        current = list(poll.options.order_by("order", "pk").values_list("text", flat=True))
    if current != cleaned and poll.pk and poll.votes.exists():
        raise ApplicationError(
            _("За опитування вже голосували: варіанти відповіді змінювати не можна.")
        )
    before = {
        "question": poll.question,
        "opens_at": str(poll.opens_at),
        "closes_at": str(poll.closes_at),
        "is_published": poll.is_published,
    }
    poll.question = question
    poll.description = description.strip()[:5000]
    poll.opens_at = opens_at
    poll.closes_at = closes_at
    poll.is_published = is_published
    poll.on_home = on_home
    poll.save()
    if current != cleaned:
        poll.options.all().delete()
        PollOption.objects.bulk_create(
            PollOption(poll=poll, text=text, order=i) for i, text in enumerate(cleaned)
        )
    after = {
        "question": poll.question,
        "opens_at": str(poll.opens_at),
        "closes_at": str(poll.closes_at),
        "is_published": poll.is_published,
    }
    audit_record(
        actor=actor,
        action="portal.poll.created" if poll_id is None else "portal.poll.changed",
        target=poll,
        data={
            "changed": {k: [before[k], v] for k, v in after.items() if before[k] != v},
            "options": cleaned if current != cleaned else None,
        },
    )
    transaction.on_commit(portal_changed)
    return poll


def _poll_open_for_voting(poll: Poll) -> None:
    now = timezone.now()
    if not poll.is_published or now < poll.opens_at:
        raise ApplicationError(_("Це опитування ще не розпочалося."))
    if poll.is_closed_at(now):
        raise ApplicationError(_("Опитування завершено: голосування закрите."))


ALREADY_VOTED = gettext_lazy(
    "Ви вже проголосували в цьому опитуванні. Голосувати можна лише один раз."
)


@transaction.atomic
def poll_vote(*, poll_id: int, option_id: int, voter: str, actor: Any) -> PollVote:
    """Record one vote; a second vote by the same voter is refused (also under concurrency)."""
    # The lock queues concurrent votes on this poll; the unique constraint is the last word.
    poll = Poll.objects.select_for_update().get(pk=poll_id)
    _poll_open_for_voting(poll)
    option = PollOption.objects.filter(poll=poll, pk=option_id).first()
    if option is None:
        raise ApplicationError(_("Оберіть один із варіантів відповіді."))
    if PollVote.objects.filter(poll=poll, voter=voter).exists():
        raise ApplicationError(str(ALREADY_VOTED))
    try:
        with transaction.atomic():
            vote = PollVote.objects.create(poll=poll, option=option, voter=voter)
    except IntegrityError as exc:
        raise ApplicationError(str(ALREADY_VOTED)) from exc
    # No personal data: the option and how the voter was identified, never who.
    audit_record(
        actor=actor,
        action="portal.poll.voted",
        target=poll,
        data={"option": option.pk, "via": "account" if voter.startswith("u:") else "email"},
    )
    return vote


def poll_link_token(*, poll_id: int, option_id: int, email: str) -> str:
    """Return the signed token of an anonymous visitor's vote (poll, option, hashed e-mail)."""
    return signing.dumps(
        {"p": poll_id, "o": option_id, "v": poll_voter_for_email(email)}, salt=_POLL_LINK_SALT
    )


@transaction.atomic
def poll_vote_request(*, poll_id: int, option_id: int, email: str, base_url: str) -> None:
    """E-mail an anonymous visitor the link that confirms their vote (the vote counts then)."""
    poll = Poll.objects.get(pk=poll_id)
    _poll_open_for_voting(poll)
    if not PollOption.objects.filter(poll=poll, pk=option_id).exists():
        raise ApplicationError(_("Оберіть один із варіантів відповіді."))
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ApplicationError(_("Вкажіть правильну адресу електронної пошти.")) from exc
    voter = poll_voter_for_email(email)
    if not cache.add(f"portal:poll-link:{poll.pk}:{voter}", 1, POLL_LINK_INTERVAL_SECONDS):
        raise ApplicationError(
            _("Лист із посиланням на цю адресу вже надіслано. Перевірте пошту (і теку «Спам»).")
        )
    token = poll_link_token(poll_id=poll.pk, option_id=option_id, email=email)
    link = base_url.rstrip("/") + reverse("portal:poll_confirm", kwargs={"token": token})
    from hromada.portal.tasks import send_poll_vote_link

    transaction.on_commit(
        lambda: send_poll_vote_link.enqueue(email=email, poll_id=poll.pk, link=link)
    )


def poll_vote_confirm(*, token: str) -> PollVote:
    """Count the vote of a confirmed e-mail link (expired or forged links are refused)."""
    try:
        payload = signing.loads(token, salt=_POLL_LINK_SALT, max_age=POLL_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ApplicationError(
            _("Посилання застаріло. Проголосуйте ще раз, і ми надішлемо нове.")
        ) from exc
    except signing.BadSignature as exc:
        raise ApplicationError(_("Посилання недійсне.")) from exc
    try:
        poll_id, option_id, voter = int(payload["p"]), int(payload["o"]), str(payload["v"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ApplicationError(_("Посилання недійсне.")) from exc
    if not Poll.objects.filter(pk=poll_id).exists():
        raise ApplicationError(_("Опитування не знайдено."))
    return poll_vote(poll_id=poll_id, option_id=option_id, voter=voter, actor=None)
