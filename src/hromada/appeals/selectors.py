"""Reads of the appeals module: visibility, bodies, the repeated/duplicate lookup, queues."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hromada.accounts.models import OrgUnit, User
from hromada.accounts.permissions import (
    acting_for_ids,
    is_everything,
    scope_q,
)
from hromada.accounts.roles import Role
from hromada.appeals.models import Appeal

# The kinds of body that keep an appeals journal (the others belong to one of them).
BODY_KINDS = frozenset(
    {
        OrgUnit.Kind.COUNCIL,
        OrgUnit.Kind.EXECUTIVE_COMMITTEE,
        OrgUnit.Kind.DISTRICT_COUNCIL,
        OrgUnit.Kind.DISTRICT_EXECUTIVE,
        OrgUnit.Kind.ENTERPRISE,
    }
)
# Results that mean the question was decided on the merits (9.1 positive, 9.2 refused,
# 9.3 explained): the same question from the same person again is "repeated".
DECIDED_RESULTS = ("9.1", "9.2", "9.3")

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'"})
_NON_DIGITS = re.compile(r"\D+")


def person_key(surname: str, given_name: str, patronymic: str = "") -> str:
    """Return a normalised key of a person's full name (case, apostrophes, spaces)."""
    parts = [
        unicodedata.normalize("NFC", p).translate(_APOSTROPHES).casefold().strip()
        for p in (surname, given_name, patronymic)
    ]
    if not parts[0] or not parts[1]:
        return ""
    return " ".join(" ".join(p.split()) for p in parts if p)[:200]


def phone_digits(phone: str) -> str:
    """Return the last 9 digits of a phone number (drops +380 / 0 prefixes)."""
    digits = _NON_DIGITS.sub("", phone or "")
    return digits[-9:] if len(digits) >= 9 else digits


def body_of(unit: OrgUnit) -> OrgUnit:
    """Return the body a unit belongs to: itself or its nearest ancestor that keeps a journal."""
    ancestors = {u.path: u for u in OrgUnit.objects.filter(pk__in=_path_ids(unit.path))}
    for path in sorted(ancestors, key=len, reverse=True):
        if ancestors[path].kind in BODY_KINDS:
            return ancestors[path]
    return unit


def _path_ids(path: str) -> list[int]:
    # A materialised path is "/0000001/0000007/": the ids between the slashes.
    return [int(part) for part in path.split("/") if part]


def default_body() -> OrgUnit:
    """Return the body that registers appeals not addressed to anyone in particular."""
    body = OrgUnit.objects.filter(code=settings.HROMADA_APPEALS_DEFAULT_BODY).first()
    if body is None:
        body = OrgUnit.objects.filter(kind=OrgUnit.Kind.EXECUTIVE_COMMITTEE).order_by("pk").first()
    if body is None:
        body = OrgUnit.objects.order_by("depth", "pk").first()
    if body is None:
        raise OrgUnit.DoesNotExist("No organisation unit to register appeals in.")
    return body


def body_for_official(official: User) -> OrgUnit:
    """Return the body of an official's current post (where appeals to them are registered)."""
    from hromada.accounts.models import Employment

    employment = (
        Employment.objects.current()
        .filter(user=official)
        .select_related("position__unit")
        .order_by("pk")
        .first()
    )
    if employment is None:
        return default_body()
    return body_of(employment.position.unit)


# --- visibility --------------------------------------------------------------------------


def visible_appeals_q(user: Any) -> Q:
    """The query twin of the `appeals.view_appeal` rule, for lists (staff side)."""
    from django.contrib.contenttypes.models import ContentType

    from hromada.control.models import Assignment, Resolution

    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    office = scope_q(user, [Role.OPERATOR, Role.CONTROLLER, Role.HEAD])
    if is_everything(office):
        return office
    ids = acting_for_ids(user)
    appeal_type = ContentType.objects.get_for_model(Appeal)
    resolutions = Resolution.objects.filter(item_type=appeal_type).filter(
        Q(author_id__in=ids) | Q(controller_id__in=ids) | Q(entered_by_id__in=ids)
    )
    executors = Q(executor_id__in=ids)
    heads = scope_q(user, [Role.HEAD])  # heads over the executor's unit (Assignment.unit)
    assignments = Assignment.objects.filter(resolution__item_type=appeal_type).filter(
        executors | heads
    )
    if office == Q(pk__in=[]):
        # Not the office: the user sees a few thousand appeals at most (theirs, addressed to
        # them, their resolutions and assignments). As one id list PostgreSQL fetches just
        # those and sorts them; OR-ed row by row into the queue's ordered index scan it
        # read most of a million appeals to fill a page (docs/BENCHMARKS.md).
        own = Appeal.objects.filter(Q(registered_by_id__in=ids) | Q(addressee_id__in=ids))
        return Q(
            pk__in=own.order_by()
            .values("pk")
            .union(
                resolutions.order_by().values("item_id"),
                assignments.order_by().values("resolution__item_id"),
            )
        )
    # Correlated EXISTS rather than IN (subquery): a head over busy units may see a hundred
    # thousand appeals through assignments; IN built that id set for every query (and
    # past work_mem re-ran it row by row: 10 s a queue page at 1M appeals), while EXISTS
    # checks just the rows the queue's ordered index scan reads, by the item index.
    return (
        office
        | Q(registered_by_id__in=ids)
        | Q(addressee_id__in=ids)
        | Q(Exists(resolutions.filter(item_id=OuterRef("pk"))))
        | Q(Exists(assignments.filter(resolution__item_id=OuterRef("pk"))))
    )


def visible_appeals(user: Any) -> QuerySet[Appeal]:
    return Appeal.objects.filter(visible_appeals_q(user))


def citizen_appeals(user: Any) -> QuerySet[Appeal]:
    """A citizen's own appeals (the cabinet)."""
    if not getattr(user, "is_authenticated", False):
        return Appeal.objects.none()
    return Appeal.objects.filter(applicant=user).exclude(state=Appeal.State.DISCARDED)


# --- repeated and duplicate appeals --------------------------------------------------------


@dataclass
class Related:
    """Earlier appeals of the same person found at registration."""

    repeated: list[Appeal] = field(default_factory=list)  # same question, decided on the merits
    duplicates: list[Appeal] = field(default_factory=list)  # same question, still open
    earlier: list[Appeal] = field(default_factory=list)  # any other earlier appeal

    @property
    def any(self) -> bool:
        return bool(self.repeated or self.duplicates or self.earlier)


def earlier_appeals(
    *, surname: str, given_name: str, patronymic: str = "", phone: str = "", limit: int = 20
) -> QuerySet[Appeal]:
    """The same person's earlier registered appeals (by full name or by phone), newest first."""
    key = person_key(surname, given_name, patronymic)
    digits = phone_digits(phone)
    condition = Q(pk__in=[])
    if key:
        condition |= Q(person_key=key)
    if len(digits) >= 9:
        condition |= Q(phone_digits=digits)
    since = timezone.localdate() - timedelta(days=settings.HROMADA_APPEALS_REPEAT_LOOKBACK_DAYS)
    return (
        Appeal.objects.filter(condition, reg_date__gte=since, seq__isnull=False)
        .order_by("-reg_date", "-seq", "-pk")
        .prefetch_related("topics")[:limit]
    )


def find_related(
    *,
    surname: str,
    given_name: str,
    patronymic: str = "",
    phone: str = "",
    topics: list[str],
    today: date | None = None,
) -> Related:
    """Classify the person's earlier appeals against this one's questions."""
    today = today or timezone.localdate()
    found = Related()
    wanted = set(topics)
    window = today - timedelta(days=settings.HROMADA_APPEALS_DUPLICATE_WINDOW_DAYS)
    for earlier in earlier_appeals(
        surname=surname, given_name=given_name, patronymic=patronymic, phone=phone
    ):
        codes = {t.code for t in earlier.topics.all()}
        same_question = bool(wanted & codes)
        if same_question and earlier.is_open and earlier.reg_date and earlier.reg_date >= window:
            found.duplicates.append(earlier)
        elif same_question and (
            earlier.state == Appeal.State.CLOSED and earlier.result in DECIDED_RESULTS
        ):
            found.repeated.append(earlier)
        else:
            found.earlier.append(earlier)
    return found


def awaiting_resolution(user: Any) -> list[Any]:
    """Registered appeals without a resolution: for heads over their body, or addressed to them."""
    from hromada.control.types import WaitingItem

    ids = acting_for_ids(user)
    heads = scope_q(user, [Role.HEAD])
    qs = (
        Appeal.objects.filter(state=Appeal.State.REGISTERED)
        .filter(heads | Q(addressee_id__in=ids))
        .order_by("-priority", "due_date", "pk")[:50]
    )
    return [
        WaitingItem(
            title=appeal.control_title,
            url=appeal.get_absolute_url(),
            since=appeal.reg_date,
            note=str(_due_note(appeal)),
        )
        for appeal in qs
    ]


def _due_note(appeal: Appeal) -> str:
    if appeal.due_date is None:
        return ""
    return f"до {appeal.due_date:%d.%m.%Y}" + (" · пільгова категорія" if appeal.priority else "")
