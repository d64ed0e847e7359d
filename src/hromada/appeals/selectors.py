"""Reads of the appeals module: visibility, bodies, the repeated/duplicate lookup, queues."""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, Lookup, OuterRef, Q, QuerySet
from django.utils import timezone

from hromada.accounts.models import OrgUnit, User
from hromada.accounts.permissions import (
    acting_for_ids,
    is_everything,
    scope_q,
)
from hromada.accounts.roles import Role
from hromada.appeals.models import Appeal
from hromada.core.calendar import CalendarRules
from hromada.core.models import CalendarOverride, ClassifierItem, HolidaysWorkingPeriod
from hromada.core.prepared import PreparedQuery, serial_sequence, statement_cursor

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


# A registration through the API reads its body with the body's journal: compiled once.
_BODY_BY_CODE = PreparedQuery(
    lambda code: (
        OrgUnit.objects.filter(code=code).select_related("appeals_journal").order_by("pk")[:1]
    ),
    code="body-730001",
)


def body_with_journal(code: str) -> OrgUnit | None:
    """Return the body with this code, its appeals journal read with it (or None).

    `services.journal_for(body)` then reads nothing (a body without a journal has it
    cached as missing). One prepared statement: compiling the `select_related` query with
    the ORM costs ≈ 1.2 ms, ten times what running it does.
    """
    found: list[OrgUnit] = _BODY_BY_CODE.instances(code=code)
    return found[0] if found else None


def default_body(*, with_journal: bool = False) -> OrgUnit:
    """Return the body that registers appeals not addressed to anyone in particular.

    `with_journal`: read its appeals journal with it (for a registration).
    """
    if with_journal:
        body = body_with_journal(settings.HROMADA_APPEALS_DEFAULT_BODY)
    else:
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


# How a staff list asks for the appeals a user may see depends on how many there are. A user
# whose own id sets are small (their appeals, their resolutions, the assignments of them and
# of the units they head, the appeals of their units) gets them as one id list, which
# PostgreSQL fetches by primary key and sorts (`_among`): 10–40 ms at 1M appeals for a head of
# one department (4,900 assignments), who waited 0.4–0.6 s a queue page while the queue's
# ordered index scan checked a correlated EXISTS on every open appeal to find theirs. Over
# FEW_VISIBLE, those per-row checks are cheaper (a head of five busy departments: ~10 ms,
# where the id list would be 240,000 ids). Either shape gives the same set (tested); only the
# speed depends on the choice, so the count deciding it is kept per process for a while.
FEW_VISIBLE = 15_000
FEW_VISIBLE_SECONDS = 300.0
_few_visible_memo: dict[int, tuple[float, bool]] = {}


def _units_in(scope: Q) -> list[int]:
    """The ids of the units a grants' scope (`scope_q(…, "path")`) covers (a short list)."""
    return list(OrgUnit.objects.filter(scope).values_list("pk", flat=True))


def _head_and_office_units(user: Any) -> tuple[list[int], list[int]]:
    """The units the user heads, and those any of their office grants cover.

    One query where the two are the same grants (a head whose only office role is head).
    """
    heads = scope_q(user, [Role.HEAD], "path")
    office = scope_q(user, _OFFICE_ROLES, "path")
    head_units = _units_in(heads)
    return head_units, head_units if office == heads else _units_in(office)


_OFFICE_ROLES = (Role.OPERATOR, Role.CONTROLLER, Role.HEAD)


@dataclass(frozen=True)
class _Sets:
    """A user's ways to an appeal besides a city-wide office grant (for visible_appeals_q)."""

    ids: frozenset[int]
    own: QuerySet[Appeal]
    resolutions: QuerySet[Any]
    appeal_type: Any


def _sets(user: Any) -> _Sets:
    from django.contrib.contenttypes.models import ContentType

    from hromada.control.models import Resolution

    ids = acting_for_ids(user)
    appeal_type = ContentType.objects.get_for_model(Appeal)
    return _Sets(
        ids=ids,
        own=Appeal.objects.filter(Q(registered_by_id__in=ids) | Q(addressee_id__in=ids)),
        resolutions=Resolution.objects.filter(item_type=appeal_type).filter(
            Q(author_id__in=ids) | Q(controller_id__in=ids) | Q(entered_by_id__in=ids)
        ),
        appeal_type=appeal_type,
    )


def _few_visible(user: Any) -> bool:
    """Whether an office user's id sets hold at most FEW_VISIBLE rows (kept per process).

    Counted as an upper bound, up to FEW_VISIBLE + 1: own appeals, resolutions, assignments of
    appeals to the user or in the units they head, appeals of their units.
    """
    from hromada.control.models import Assignment

    now = time.monotonic()
    memo = _few_visible_memo.get(user.pk)
    if memo is not None and memo[0] > now:
        return memo[1]
    sets = _sets(user)
    head_units, office_units = _head_and_office_units(user)
    assigned = (
        Assignment.objects.filter(item_type=sets.appeal_type)
        .filter(Q(executor_id__in=sets.ids) | Q(unit_id__in=head_units))
        .order_by()
        .values("pk")
    )
    units = Appeal.objects.filter(unit_id__in=office_units).order_by().values("pk")
    probe = (
        sets.own.order_by()
        .values("pk")
        .union(sets.resolutions.order_by().values("pk"), assigned, units, all=True)
    )
    few = probe[: FEW_VISIBLE + 1].count() <= FEW_VISIBLE
    if len(_few_visible_memo) > 10_000:
        _few_visible_memo.clear()
    _few_visible_memo[user.pk] = (now + FEW_VISIBLE_SECONDS, few)
    return few


class _AmongIds(Lookup):  # type: ignore[type-arg]
    """`lhs = ANY(ARRAY(subquery))` on PostgreSQL, `lhs IN (subquery)` elsewhere.

    For the id-list visibility: PostgreSQL computes the user's ids once (an InitPlan) and
    fetches just those appeals by primary key, whatever the queue's filter. With
    `IN (subquery)` it hashed the ids and joined them with every appeal the filter matched:
    fast for the open appeals (40,000 at 1M), but 50–110 ms a page for a filter that matches
    most appeals (a body, a due-date range, a surname) — the planner cannot know that the
    user's set is a few thousand rows.
    """

    lookup_name = "among_ids"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


def _among(first: QuerySet[Any], *rest: QuerySet[Any], narrow: bool) -> Q:
    """The appeals whose ids the querysets (one column of ids each) list.

    `narrow`: the list's other conditions keep a small part of all appeals (the open ones):
    then `pk IN (… UNION …)`, which PostgreSQL answers by hashing the ids and joining them
    with those appeals (4–12 ms for a head of one department at 1M appeals, against ~20 ms
    for fetching their 4,900 appeals one by one). Otherwise `_AmongIds` (`UNION ALL`: the
    index scan drops the repeated ids itself).
    """
    if narrow:
        return Q(pk__in=first.union(*rest))
    return Q(_AmongIds(F("pk"), first.union(*rest, all=True)))


def lists_by_ids(user: Any) -> bool:
    """Whether `visible_appeals_q(user)` is an id list (not city-wide, not row-by-row EXISTS).

    Staff lists then read a page's ids first and its rows after (the ids come from an index).
    """
    if not getattr(user, "is_authenticated", False):
        return False
    office = scope_q(user, _OFFICE_ROLES)
    if is_everything(office):
        return False
    return office == Q(pk__in=[]) or _few_visible(user)


def _id_lists(user: Any, office: Q, sets: _Sets) -> list[QuerySet[Any]] | None:
    """The querysets of ids whose union the user may see, where that is an id list (else None).

    For an office user whose grants are not city-wide (`is_everything`), checked by the caller.
    """
    from hromada.control.models import Assignment

    executors = Q(executor_id__in=sets.ids)
    own, resolutions = sets.own.order_by().values("pk"), sets.resolutions.order_by()
    # The appeals of assignments, read from the assignment itself (`Assignment.item_id`, a
    # copy of its resolution's): one index-only scan of `control_assignment_exec_item` or
    # `…_unit_item` per branch, where mapping each assignment through control_resolution
    # cost ~25–30 ms for a head of one department (4,900 assignments) at 1M appeals.
    assigned = Assignment.objects.filter(item_type=sets.appeal_type).order_by()
    if office == Q(pk__in=[]):
        # Not the office: the user sees a few thousand appeals at most (theirs, addressed to
        # them, their resolutions and assignments). As one id list PostgreSQL fetches just
        # those and sorts them; OR-ed row by row into the queue's ordered index scan it
        # read most of a million appeals to fill a page (docs/BENCHMARKS.md).
        return [own, resolutions.values("item_id"), assigned.filter(executors).values("item_id")]
    if not _few_visible(user):
        return None
    # The units by id (a literal list the planner estimates and the `unit_id` indexes serve),
    # not by path; the executor's and the units' assignments as branches of their own, so
    # that each is an index-only scan (an OR is a bitmap scan of the heap).
    head_units, units = _head_and_office_units(user)  # heads over the executor's unit
    parts: list[QuerySet[Any]] = [
        own,
        resolutions.values("item_id"),
        assigned.filter(executors).values("item_id"),
    ]
    if head_units:
        parts.append(assigned.filter(unit_id__in=head_units).values("item_id"))
    if units:
        parts.append(Appeal.objects.filter(unit_id__in=units).order_by().values("pk"))
    return parts


def visible_appeals_q(user: Any, *, narrow: bool = False) -> Q:
    """The query twin of the `appeals.view_appeal` rule, for lists (staff side).

    `narrow`: the caller's other conditions keep only a small part of all appeals (the open
    ones, not a body's or a surname's): a hint for the query's shape, never for its set.
    """
    from hromada.control.models import Assignment

    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    office = scope_q(user, _OFFICE_ROLES)
    if is_everything(office):
        return office
    sets = _sets(user)
    lists = _id_lists(user, office, sets)
    if lists is not None:
        return _among(*lists, narrow=narrow)
    executors = Q(executor_id__in=sets.ids)
    resolutions = sets.resolutions.order_by()
    of_appeals = Assignment.objects.filter(resolution__item_type=sets.appeal_type)
    # Correlated EXISTS rather than IN (subquery): a head over busy units may see a hundred
    # thousand appeals through assignments; IN built that id set for every query (and
    # past work_mem re-ran it row by row: 10 s a queue page at 1M appeals), while EXISTS
    # checks just the rows the queue's ordered index scan reads, by the resolution's item
    # index and then the resolution's assignments (`Assignment.item_id` has no index of its
    # own: this per-row check was never the slow part).
    heads = scope_q(user, [Role.HEAD])  # heads over the executor's unit (Assignment.unit)
    return (
        office
        | Q(registered_by_id__in=sets.ids)
        | Q(addressee_id__in=sets.ids)
        | Q(Exists(resolutions.filter(item_id=OuterRef("pk"))))
        | Q(Exists(of_appeals.filter(executors | heads).filter(resolution__item_id=OuterRef("pk"))))
    )


def visible_appeals(user: Any, *, narrow: bool = False) -> QuerySet[Appeal]:
    return Appeal.objects.filter(visible_appeals_q(user, narrow=narrow))


def visible_appeals_on_topic(user: Any, code: str) -> QuerySet[Appeal] | None:
    """The appeals the user may see with a classifier-858 topic, where that is an id list.

    None where the user's visibility is not an id list (`lists_by_ids`): then filter
    `visible_appeals` by the topic. Here the topic index is probed for each of the user's ids
    and only the appeals that have the topic are fetched (a head of one department at 1M
    appeals: ~25–30 ms against ~55 ms for fetching all their 4,900 appeals and probing each).
    """
    from hromada.appeals.models import AppealTopic

    if not getattr(user, "is_authenticated", False):
        return None
    office = scope_q(user, _OFFICE_ROLES)
    if is_everything(office):
        return None
    lists = _id_lists(user, office, _sets(user))
    if lists is None:
        return None
    first, *rest = lists
    on_topic = (
        AppealTopic.objects.filter(code=code)
        .filter(_AmongIds(F("appeal_id"), first.union(*rest, all=True)))
        .order_by()
        .values("appeal_id")
    )
    return Appeal.objects.filter(_AmongIds(F("pk"), on_topic))


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


EARLIER_LIMIT = 20


def _earlier(key: str, digits: str, since: date) -> QuerySet[Appeal]:
    condition = Q(pk__in=[])
    if key:
        condition |= Q(person_key=key)
    if len(digits) >= 9:
        condition |= Q(phone_digits=digits)
    return Appeal.objects.filter(condition, reg_date__gte=since, seq__isnull=False).order_by(
        "-reg_date", "-seq", "-pk"
    )


def _lookback_start(today: date) -> date:
    return today - timedelta(days=settings.HROMADA_APPEALS_REPEAT_LOOKBACK_DAYS)


def earlier_appeals(
    *,
    surname: str,
    given_name: str,
    patronymic: str = "",
    phone: str = "",
    limit: int = EARLIER_LIMIT,
) -> QuerySet[Appeal]:
    """The same person's earlier registered appeals (by full name or by phone), newest first."""
    key = person_key(surname, given_name, patronymic)
    digits = phone_digits(phone)
    since = _lookback_start(timezone.localdate())
    return _earlier(key, digits, since).prefetch_related("topics")[:limit]


# The ids of `earlier_appeals`, compiled once per shape (by name, by phone, by both), for
# the registration's one read (`intake_reads`).
_KEY, _DIGITS, _SINCE = "person-key-placeholder", "730001730001", date(1901, 2, 3)
_EARLIER_IDS = {
    (by_key, by_phone): PreparedQuery(
        lambda since, key="", digits="": _earlier(key, digits, since).values_list("pk")[
            :EARLIER_LIMIT
        ],
        **({"key": _KEY} if by_key else {}),
        **({"digits": _DIGITS} if by_phone else {}),
        since=_SINCE,
    )
    for by_key, by_phone in ((True, False), (False, True), (True, True))
}


def find_related(
    *,
    surname: str,
    given_name: str,
    patronymic: str = "",
    phone: str = "",
    topics: list[str],
    today: date | None = None,
    earlier: list[Appeal] | None = None,
) -> Related:
    """Classify the person's earlier appeals against this one's questions.

    `earlier`: those appeals (`earlier_appeals`) when the caller has read them already.
    """
    today = today or timezone.localdate()
    found = Related()
    wanted = set(topics)
    window = today - timedelta(days=settings.HROMADA_APPEALS_DUPLICATE_WINDOW_DAYS)
    if earlier is None:
        earlier = list(
            earlier_appeals(
                surname=surname, given_name=given_name, patronymic=patronymic, phone=phone
            )
        )
    for appeal in earlier:
        codes = {t.code for t in appeal.topics.all()}
        same_question = bool(wanted & codes)
        if same_question and appeal.is_open and appeal.reg_date and appeal.reg_date >= window:
            found.duplicates.append(appeal)
        elif same_question and (
            appeal.state == Appeal.State.CLOSED and appeal.result in DECIDED_RESULTS
        ):
            found.repeated.append(appeal)
        else:
            found.earlier.append(appeal)
    return found


def earlier_by_ids(ids: list[int]) -> list[Appeal]:
    """The earlier appeals `intake_reads` found, as `earlier_appeals` returns them."""
    if not ids:
        return []
    return list(
        Appeal.objects.filter(pk__in=ids)
        .order_by("-reg_date", "-seq", "-pk")
        .prefetch_related("topics")
    )


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


# --- what registration reads before it writes ----------------------------------------------


@dataclass(frozen=True)
class IntakeReads:
    """What a registration reads before it writes, fetched in one round trip."""

    # The appeal already registered under the Idempotency-Key, if any.
    idempotent_id: int | None
    # (section, code) of the requested classifier codes that are valid on the day.
    valid_codes: frozenset[tuple[str, str]]
    # The calendar's overrides and holidays-working periods for [window_start, window_end].
    calendar: CalendarRules
    window_start: date
    window_end: date
    # PostgreSQL: an id taken from the appeals' id sequence for a new row (so that the row
    # can be written once, after its number); None on SQLite or when not asked for.
    new_id: int | None
    # The ids of the person's earlier appeals (`earlier_appeals`), when looked up.
    earlier_ids: list[int] = field(default_factory=list)


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def intake_reads(
    *,
    idempotency_key: str,
    codes: set[tuple[str, str]],
    classifier: str,
    on: date,
    window: tuple[date, date],
    new_id: bool,
    person: tuple[str, str] | None = None,
) -> IntakeReads:
    """Read, in one query, what appeal_register needs before it writes.

    The Idempotency-Key's earlier appeal, which of the card's classifier-858 codes are
    valid on the day (the filter of `core.classifiers.classifier_items`), the calendar's
    overrides and holidays-working periods over the term's window (what
    `core.calendar.load_rules` reads), with `person` = (person_key, phone_digits) the ids of
    the person's earlier appeals (`earlier_appeals`), and on PostgreSQL the new appeal's id.
    Each was a query of its own (six to eight round trips, each compiled by the ORM);
    nothing here is cached, so every registration sees the classifier, the calendar and
    the journal's appeals as they are.
    """
    # Identifiers are the models' own, quoted; every value is a parameter.
    ops = connection.ops
    q = ops.quote_name
    start, end = window
    day = ops.adapt_datefield_value(on)
    first, last = ops.adapt_datefield_value(start), ops.adapt_datefield_value(end)
    appeal, item = Appeal._meta.db_table, ClassifierItem._meta.db_table
    override, period = CalendarOverride._meta.db_table, HolidaysWorkingPeriod._meta.db_table
    # Columns: kind, number, day 1, day 2, text 1, text 2, flag; NULLs typed (PostgreSQL
    # matches the types of a UNION branch by branch).
    n, d, t, b = (f"CAST(NULL AS {kind})" for kind in ("BIGINT", "DATE", "TEXT", "BOOLEAN"))
    parts: list[str] = []
    params: list[Any] = []
    if idempotency_key:
        # "<> ''" (always true here) lets the generic plan use the partial unique index:
        # without it PostgreSQL cannot prove the parameter non-empty, prices a sequential
        # scan, and so plans this statement afresh on every registration.
        parts.append(
            f"SELECT 'i', {q('id')}, {d}, {d}, {t}, {t}, {b} FROM {q(appeal)} "  # noqa: S608
            f"WHERE {q('idempotency_key')} = %s AND {q('idempotency_key')} <> ''"
        )
        params.append(idempotency_key)
    wanted = sorted({code for _section, code in codes})
    if wanted:
        parts.append(
            f"SELECT 'c', {n}, {d}, {d}, {q('section')}, {q('code')}, {b} FROM {q(item)} "  # noqa: S608
            f"WHERE {q('classifier')} = %s "
            f"AND ({q('valid_from')} IS NULL OR {q('valid_from')} <= %s) "
            f"AND ({q('valid_to')} IS NULL OR {q('valid_to')} >= %s) "
            f"AND {q('code')} IN ({', '.join(['%s'] * len(wanted))})"
        )
        params += [classifier, day, day, *wanted]
    parts.append(
        f"SELECT 'o', {n}, {q('date')}, {d}, {q('note')}, {t}, {q('is_working')} "  # noqa: S608
        f"FROM {q(override)} "
        f"WHERE {q('date')} BETWEEN %s AND %s"
    )
    params += [first, last]
    parts.append(
        f"SELECT 'p', {n}, {q('start')}, {q('end')}, {t}, {t}, {b} FROM {q(period)} "  # noqa: S608
        f"WHERE {q('start')} <= %s AND ({q('end')} IS NULL OR {q('end')} >= %s)"
    )
    params += [last, first]
    key, digits = person or ("", "")
    by_key, by_phone = bool(key), len(digits) >= 9
    if by_key or by_phone:
        sql, slots = _EARLIER_IDS[(by_key, by_phone)].sql(connection.alias)
        values: dict[str, Any] = {"key": key, "digits": digits, "since": _lookback_start(on)}
        parts.append(f"SELECT 'e', e.{q('pk')}, {d}, {d}, {t}, {t}, {b} FROM ({sql}) e")  # noqa: S608
        for name, how in slots:
            value = values[name]
            params.append(ops.adapt_datefield_value(value) if how == "date" else value)
    if new_id and connection.vendor == "postgresql":
        sequence = serial_sequence(connection.alias, appeal)
        parts.append(f"SELECT 'n', nextval({sequence}), {d}, {d}, {t}, {t}, {b}")
    idempotent_id = allocated = None
    earlier: list[int] = []
    valid: set[tuple[str, str]] = set()
    overrides: dict[date, tuple[bool, str]] = {}
    periods: list[tuple[date, date | None]] = []
    # Prepared on the server (PostgreSQL): a handful of shapes (which parts, how many
    # codes), each planned once per connection instead of on every registration.
    with statement_cursor(connection.alias) as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    for kind, number, day1, day2, text1, text2, flag in rows:
        if kind == "i":
            idempotent_id = int(number)
        elif kind == "c":
            valid.add((str(text1), str(text2)))
        elif kind == "o":
            overrides[_day(day1)] = (bool(flag), str(text1 or ""))
        elif kind == "p":
            periods.append((_day(day1), _day(day2) if day2 is not None else None))
        elif kind == "n":
            allocated = int(number)
        elif kind == "e":
            earlier.append(int(number))
    return IntakeReads(
        idempotent_id=idempotent_id,
        valid_codes=frozenset(p for p in valid if p in codes),
        calendar=CalendarRules(
            overrides=overrides, periods=tuple(sorted(periods, key=lambda p: p[0]))
        ),
        window_start=start,
        window_end=end,
        new_id=allocated,
        earlier_ids=earlier,
    )
