"""Reads of the staff workspace for appeals: the queue, clocks, the card, earlier appeals."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hromada.accounts.models import OrgUnit
from hromada.accounts.permissions import grants_of
from hromada.accounts.roles import Role
from hromada.appeals import selectors, terms
from hromada.appeals.models import (
    Appeal,
    AppealLink,
    AppealsJournal,
    AppealTopic,
    Channel,
    MassGroup,
)
from hromada.core.classifiers import classifier_items
from hromada.core.prepared import PreparedQuery

CLASSIFIER = "858"
M = TypeVar("M", bound=Model)


def due_soon_days() -> int:
    """Days before the due date an appeal counts as "due soon" in the queue."""
    return int(settings.HROMADA_APPEALS_DUE_SOON_DAYS)


# --- clocks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clocks:
    """The statutory clocks of one appeal as of a day (shown on the card and in queues)."""

    due_date: date | None
    days_left: int | None
    overdue: bool
    due_soon: bool
    forward_by: date | None
    forward_days_left: int | None
    return_by: date | None
    return_days_left: int | None
    latest: date | None
    extended: bool

    @property
    def forward_late(self) -> bool:
        return self.forward_days_left is not None and self.forward_days_left < 0

    @property
    def return_late(self) -> bool:
        return self.return_days_left is not None and self.return_days_left < 0


def clocks(appeal: Appeal, today: date | None = None) -> Clocks:
    """Return an appeal's clocks: due date, days left, 5-day forward, 10-day return, 45 max."""
    today = today or timezone.localdate()
    reg = appeal.reg_date
    running = appeal.is_open and appeal.due_date is not None
    due = appeal.due_date if running else None
    days_left = (due - today).days if due else None
    early = appeal.state == Appeal.State.REGISTERED and reg is not None
    forward = terms.forward_by(reg) if early and reg else None
    back = terms.return_by(reg) if early and reg else None
    return Clocks(
        due_date=due,
        days_left=days_left,
        overdue=days_left is not None and days_left < 0,
        due_soon=days_left is not None and 0 <= days_left <= due_soon_days(),
        forward_by=forward,
        forward_days_left=(forward - today).days if forward else None,
        return_by=back,
        return_days_left=(back - today).days if back else None,
        latest=terms.latest_due_date(reg) if reg and running else None,
        extended=bool(
            appeal.first_due_date and appeal.due_date and appeal.due_date > appeal.first_due_date
        ),
    )


# --- the queue ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    """What the queue is narrowed to (every part optional)."""

    state: str = ""
    unit_id: int | None = None
    topic: str = ""
    channel: str = ""
    due_from: date | None = None
    due_to: date | None = None
    clock: str = ""  # "overdue" | "due_soon"
    priority: bool = False
    mass_group_id: int | None = None
    query: str = ""


OPEN_VALUES = "open"


_OPEN_FILTERS = frozenset({OPEN_VALUES, *Appeal.OPEN_STATES})


def _narrow(c: QueueFilter) -> bool:
    """Whether the filter keeps just open appeals, by state and dates only (a query-shape hint).

    Open appeals are a small part of a journal's years; a body, a topic, a channel or a name
    alone are not, and with them PostgreSQL's join of a user's id list went wrong at 1M
    appeals (`selectors.visible_appeals_q`, `narrow`).
    """
    open_only = c.state in _OPEN_FILTERS or (not c.state and c.clock in ("overdue", "due_soon"))
    others = c.unit_id is not None or c.topic or c.channel or c.query.strip()
    return bool(open_only and not others and c.mass_group_id is None)


def queue(*, user: Any, criteria: QueueFilter, today: date | None = None) -> QuerySet[Appeal]:
    """The registered appeals the user may see, filtered; benefit holders first, then due date."""
    today = today or timezone.localdate()
    c = criteria
    narrow = _narrow(c)
    # A topic among a user's id list: the topic's appeals among their ids, fetched alone.
    on_topic = selectors.visible_appeals_on_topic(user, c.topic) if c.topic else None
    visible = on_topic if on_topic is not None else selectors.visible_appeals(user, narrow=narrow)
    qs = visible.exclude(state__in=[Appeal.State.DRAFT, Appeal.State.DISCARDED])
    if c.state == OPEN_VALUES:
        qs = qs.filter(state__in=Appeal.OPEN_STATES)
    elif c.state:
        qs = qs.filter(state=c.state)
    if c.unit_id is not None:
        # `>= x AND <= x`, not `= x` (nor `IN (x)`, which PostgreSQL reads as `= x`): with
        # an equality PostgreSQL knows the unit's row in advance and checks the visibility
        # rule as a join filter it expects to run for every appeal of the unit, so it first
        # hashes every assignment under a head's units (485,000 rows: 2–4 s a page at 1M
        # appeals); with the range the rule stays a check of just the rows the queue's
        # ordered index scan reads (~10 ms). docs/BENCHMARKS.md, "Appeals queue at 1M".
        qs = qs.filter(unit_id__gte=c.unit_id, unit_id__lte=c.unit_id)
    if c.topic and on_topic is None:
        qs = qs.filter(pk__in=AppealTopic.objects.filter(code=c.topic).values("appeal_id"))
    if c.channel:
        qs = qs.filter(channel=c.channel)
    if c.due_from is not None:
        qs = qs.filter(due_date__gte=c.due_from)
    if c.due_to is not None:
        qs = qs.filter(due_date__lte=c.due_to)
    if c.clock == "overdue":
        qs = qs.filter(state__in=Appeal.OPEN_STATES, due_date__lt=today)
    elif c.clock == "due_soon":
        qs = qs.filter(
            state__in=Appeal.OPEN_STATES,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=due_soon_days()),
        )
    if c.priority:
        qs = qs.filter(priority=True)
    if c.mass_group_id is not None:
        qs = qs.filter(mass_group_id=c.mass_group_id)
    if c.query.strip():
        text = c.query.strip()[:100]
        key = " ".join(text.casefold().replace("’", "'").replace("ʼ", "'").split())
        condition = Q(reg_index__iexact=text) | Q(person_key__startswith=key)
        digits = selectors.phone_digits(text)
        if len(digits) >= 9:
            condition |= Q(phone_digits=digits)
        qs = qs.filter(condition)
    return (
        qs.select_related("unit", "mass_group")
        .prefetch_related(
            Prefetch("topics", queryset=AppealTopic.objects.order_by("-is_main", "pk"))
        )
        .order_by("-priority", "due_date", "-reg_date", "-pk")
    )


# The columns a queue page shows or needs for its clocks; the rest of the card (text, address,
# the 858 codes…) is not read for a list of 50.
QUEUE_COLUMNS = (
    "reg_index",
    "reg_date",
    "channel",
    "state",
    "sign",
    "priority",
    "surname",
    "given_name",
    "patronymic",
    "summary",
    "due_date",
    "first_due_date",
    "mass_group",
    "unit",
    "unit__name",
    "unit__short_name",
)


@dataclass(frozen=True)
class QueueListing:
    """One page of a queue: its appeals, whether a next page exists, each appeal's topic codes."""

    appeals: list[Appeal]
    has_next: bool
    topics: dict[int, list[str]]


def queue_listing_page(
    qs: QuerySet[Appeal], *, page: int, size: int, by_ids: bool = False
) -> QueueListing:
    """One page of a queue (without counting it) with just what the page shows.

    The columns of `QUEUE_COLUMNS`, the unit and the topics' codes (the main topic first).
    With `by_ids` (the user's visibility is an id list: `selectors.lists_by_ids`) in two
    reads: the page's ids in the queue's order, which PostgreSQL answers from the queue's
    index alone (a head of one department: ~60 ms less at 1M appeals), then those rows.
    Otherwise in one read: the ordered index scan reads the rows anyway to check the
    visibility rule. The topics are one read of (appeal, code) pairs, not a prefetch: Django's
    prefetch builds a related queryset per appeal to store them (~5 ms of CPU for 50 rows).
    """
    page = max(1, page)
    start = (page - 1) * size
    listing = qs.select_related(None).select_related("unit").prefetch_related(None)
    if not by_ids:
        rows = list(listing.only(*QUEUE_COLUMNS)[start : start + size + 1])
        appeals, has_next = rows[:size], len(rows) > size
    else:
        ids = list(qs.values_list("pk", flat=True)[start : start + size + 1])
        found = {
            a.pk: a
            for a in Appeal.objects.filter(pk__in=ids[:size])
            .select_related("unit")
            .only(*QUEUE_COLUMNS)
        }
        appeals = [found[pk] for pk in ids[:size] if pk in found]
        has_next = len(ids) > size
    topics: dict[int, list[str]] = {a.pk: [] for a in appeals}
    if topics:
        pairs = (
            AppealTopic.objects.filter(appeal_id__in=list(topics))
            .order_by("-is_main", "pk")
            .values_list("appeal_id", "code")
        )
        for appeal_id, code in pairs:
            topics[appeal_id].append(code)
    return QueueListing(appeals=appeals, has_next=has_next, topics=topics)


@dataclass(frozen=True)
class QueueRow:
    """One row of the queue as the page shows it: labels, dates and links computed once.

    Django's `get_FOO_display` hashes every choice (translating each lazy label) per call and
    the `date` filter looks its format up per call; for 50 rows that was most of a page's CPU.
    """

    appeal: Appeal
    clocks: Clocks
    detail_url: str
    mass_url: str
    select_label: str  # the row's checkbox label, "Вибрати № …"
    reg_date: str
    channel: str
    state: str
    sign: str  # the sign's label when it is not the usual "2.1 первинне", else ""
    topics: str
    unit: str
    summary: str
    due_date: str
    forward_by: str


def _url_maker(name: str) -> Any:
    """Return pk → URL of a `<int:pk>` URL pattern, reversed once rather than per row."""
    marker = 987654321
    prefix, _, suffix = reverse(name, args=[marker]).partition(str(marker))
    return lambda pk: f"{prefix}{pk}{suffix}"


@lru_cache(maxsize=16)
def _row_labels(language: str | None) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The labels of states, channels and signs in a language (translated once, not per page)."""
    return (
        {value: str(label) for value, label in Appeal.State.choices},
        {value: str(label) for value, label in Channel.choices},
        {value: str(label) for value, label in Appeal.Sign.choices},
    )


def _truncate(text: str, length: int) -> str:
    """`Truncator(text).chars(length)`, without its per-character walk for a text that fits.

    `chars` returns the NFC form of the text, cut after `length` characters not counting
    combining marks; a text of at most `length` code points always fits.
    """
    if len(text) <= length:
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(length)


def queue_rows(
    appeals: list[Appeal], today: date, topics: dict[int, list[str]] | None = None
) -> list[QueueRow]:
    """The queue's rows with their labels in the current language (computed once per page).

    `topics`: each appeal's topic codes, main first (`QueueListing.topics`); without it the
    appeals' (prefetched) topics are read.
    """
    states, channels, signs = _row_labels(get_language())
    detail, mass = _url_maker("appeals:detail"), _url_maker("appeals:mass_group")
    select = _("Вибрати № %(index)s")
    rows = []
    for a in appeals:
        c = clocks(a, today)
        unit = a.unit
        rows.append(
            QueueRow(
                appeal=a,
                clocks=c,
                detail_url=detail(a.pk),
                mass_url=mass(a.mass_group_id) if a.mass_group_id else "",
                select_label=select % {"index": a.reg_index},
                reg_date=a.reg_date.strftime("%d.%m.%Y") if a.reg_date else "",
                channel=channels.get(a.channel, a.channel),
                state=states.get(a.state, a.state),
                sign="" if a.sign == Appeal.Sign.PRIMARY else signs.get(a.sign, a.sign),
                topics=", ".join(
                    topics[a.pk] if topics is not None else [t.code for t in a.topics.all()]
                ),
                unit=(unit.short_name or unit.name) if unit else "",
                summary=_truncate(a.summary, 120),
                due_date=c.due_date.strftime("%d.%m.%Y") if c.due_date else "",
                forward_by=c.forward_by.strftime("%d.%m") if c.forward_by else "",
            )
        )
    return rows


def queue_page(qs: QuerySet[M], *, page: int, size: int) -> tuple[list[M], bool]:
    """One page of the queue without counting it: rows and whether a next page exists."""
    page = max(1, page)
    start = (page - 1) * size
    rows = list(qs[start : start + size + 1])
    return rows[:size], len(rows) > size


def _bodies_with_journal() -> QuerySet[Any]:
    return (
        OrgUnit.objects.filter(pk__in=AppealsJournal.objects.values("body_id"))
        .order_by("name", "pk")
        .values_list("pk", "short_name", "name")
    )


def _classifier_on(classifier: str, section: str, day: date) -> QuerySet[Any]:
    return classifier_items(classifier, section, on=day).values_list("code", "label")


# The filter form's two lists, read on every queue page: compiled once per process
# (core.prepared), each still read afresh, so a new body or topic shows on the next page.
_BODIES = PreparedQuery(_bodies_with_journal)
_CLASSIFIER_ON = PreparedQuery(
    _classifier_on,
    classifier="hromada-placeholder-classifier",
    section="hromada-placeholder-section",
    day=date(1901, 5, 6),
)


def queue_units(user: Any) -> list[tuple[int, str]]:
    """The bodies the queue may be filtered by: every body with a journal (a short, public list).

    (id, label) pairs in the order of the bodies' names, the label as the body's `str()`
    (short name, else name). The queue itself shows only what the user may see. Asking per
    body whether the user sees any of its appeals cost up to 4 s at a million appeals for a
    head over busy units (PostgreSQL hashed every assignment of those units to answer one
    EXISTS), so it is not asked.
    """
    return [(pk, short_name or name) for pk, short_name, name in _BODIES.rows()]


def queue_topics(today: date | None = None) -> list[tuple[str, str]]:
    """(code, "code label") of classifier 858's topics valid today, for the queue's filter
    (what `core.classifiers.classifier_choices` returns, without compiling its query)."""
    day = today or timezone.localdate()
    return [
        (code, f"{code} {label}")
        for code, label in _CLASSIFIER_ON.rows(classifier=CLASSIFIER, section="topics", day=day)
    ]


def mass_groups(user: Any) -> QuerySet[MassGroup]:
    """Mass groups that hold at least one appeal the user may see, newest first."""
    visible = selectors.visible_appeals(user).filter(mass_group__isnull=False)
    return (
        MassGroup.objects.filter(pk__in=visible.values("mass_group_id"))
        .select_related("unit")
        .order_by("-created_at", "-pk")
    )


# --- registration -------------------------------------------------------------------------


def registration_bodies(user: Any) -> list[OrgUnit]:
    """The bodies in whose appeals journal the user may register (operators' scope)."""
    operator = [g for g in grants_of(user) if g.role == Role.OPERATOR]
    if not operator:
        return []
    if any(g.unit_path is None for g in operator):
        bodies = list(
            OrgUnit.objects.filter(pk__in=AppealsJournal.objects.values("body_id")).order_by("name")
        )
        default = selectors.default_body()
        if default not in bodies:
            bodies.insert(0, default)
        return bodies
    units = OrgUnit.objects.filter(path__in=[g.unit_path for g in operator]).order_by("path")
    found: dict[int, OrgUnit] = {}
    for unit in units:
        body = selectors.body_of(unit)
        if user.has_perm("appeals.register", body):
            found.setdefault(body.pk, body)
        elif user.has_perm("appeals.register", unit):
            found.setdefault(unit.pk, unit)
    return list(found.values())


def earlier_for_operator(
    *, user: Any, surname: str, given_name: str, patronymic: str = "", phone: str = ""
) -> list[Appeal]:
    """The caller's earlier appeals the operator may see (by full name or phone), newest first."""
    found = list(
        selectors.earlier_appeals(
            surname=surname, given_name=given_name, patronymic=patronymic, phone=phone
        )
    )
    if not found:
        return []
    visible = set(
        selectors.visible_appeals(user)
        .filter(pk__in=[a.pk for a in found])
        .values_list("pk", flat=True)
    )
    return [a for a in found if a.pk in visible]


# --- the card -----------------------------------------------------------------------------


@dataclass
class CardLinks:
    """An appeal's links both ways, with the linked appeals' answers (for the clerk)."""

    outgoing: list[AppealLink] = field(default_factory=list)
    incoming: list[AppealLink] = field(default_factory=list)


def appeal_for_card(appeal_id: int) -> Appeal | None:
    """Load an appeal with what its card shows (topics, files, events, extensions, answers)."""
    return (
        Appeal.objects.select_related(
            "unit", "journal", "registered_by", "addressee", "applicant", "mass_group"
        )
        .prefetch_related(
            Prefetch("topics", queryset=AppealTopic.objects.order_by("-is_main", "pk")),
            "files",
            "events__actor",
            "extensions__decided_by",
            "answers",
        )
        .filter(pk=appeal_id)
        .first()
    )


def card_links(appeal: Appeal) -> CardLinks:
    """The appeal's links with the linked appeals and their answers."""
    related = ("to_appeal", "from_appeal")
    answers = Prefetch("to_appeal__answers")
    return CardLinks(
        outgoing=list(
            appeal.links_from.select_related(*related).prefetch_related(answers).order_by("pk")
        ),
        incoming=list(appeal.links_to.select_related(*related).order_by("pk")),
    )


def drafts(user: Any) -> QuerySet[Appeal]:
    """Drafts waiting for an operator (mailbox, unconfirmed web form), oldest first."""
    return (
        selectors.visible_appeals(user)
        .filter(state=Appeal.State.DRAFT)
        .select_related("unit")
        .order_by("created_at", "pk")
    )


def classifier_labels(section: str | None = None) -> dict[str, str]:
    """Return {code: label} of classifier 858 (one section, or all: codes are unique)."""
    return dict(classifier_items(CLASSIFIER, section).values_list("code", "label"))


def dashboard_counts(user: Any, today: date | None = None) -> dict[str, int]:
    """The panel's four counts, in one query over the user's open appeals (and drafts).

    One aggregate: for a user whose visibility is an id list, that list is built once, not
    once per count (four counts cost ~50 ms of the database a dashboard at the demo city).
    """
    today = today or timezone.localdate()
    soon = today + timedelta(days=due_soon_days())
    can_register = user.has_perm("appeals.register")
    states = [*Appeal.OPEN_STATES, Appeal.State.DRAFT] if can_register else [*Appeal.OPEN_STATES]
    is_open = Q(state__in=Appeal.OPEN_STATES)
    counts: dict[str, int] = (
        selectors.visible_appeals(user, narrow=True)
        .filter(state__in=states)
        .aggregate(
            overdue=Count("pk", filter=is_open & Q(due_date__lt=today)),
            due_soon=Count("pk", filter=is_open & Q(due_date__gte=today, due_date__lte=soon)),
            open=Count("pk", filter=is_open),
            drafts=Count("pk", filter=Q(state=Appeal.State.DRAFT)),
        )
    )
    if not can_register:
        counts["drafts"] = 0
    return counts
