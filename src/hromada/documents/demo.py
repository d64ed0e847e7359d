"""A year of generated documents for the demo city (``hromada demo`` loads it once).

The executive committee (``VK``) gets incoming, outgoing and internal journals, a case
nomenclature (this year's, last year's, and closed cases whose storage has expired, for the
destruction workflow), a correspondent directory and a year of incoming letters with the
mayor's (or the demo head's) resolutions, assignments in every state — done on time, late,
overdue, in progress, reported — answers sent, and a few letters still waiting for a
resolution. Rows are written in bulk with one audit event; the same seed gives the same
documents. The demo logins get work to see: the demo head has letters to resolve and
reports to accept, the demo executor has assignments due, the controller has reviews.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from faker import Faker

from hromada.accounts.models import Employment, OrgUnit, RoleAssignment, User
from hromada.accounts.roles import Role
from hromada.control.models import Assignment, ReminderLog, Resolution
from hromada.control.services import reminder_days, reminder_schedule
from hromada.core.audit import audit_record
from hromada.core.models import Counter
from hromada.documents import search
from hromada.documents.models import (
    CaseFile,
    Correspondent,
    Document,
    DocumentLink,
    Journal,
)

MARKER = "VK-VH"
DEFAULT_SEED = 2015
DEMO_DOMAIN = "demo.hromada.local"

ORGANISATIONS = [
    "Дніпропетровська обласна державна адміністрація",
    "Дніпропетровська обласна рада",
    "Міністерство розвитку громад та територій України",
    "Міністерство соціальної політики України",
    "Міністерство охорони здоров'я України",
    "Державна служба України з надзвичайних ситуацій",
    "Головне управління Національної поліції в Дніпропетровській області",
    "Криворізька місцева прокуратура",
    "Державна аудиторська служба України",
    "Головне управління ДПС у Дніпропетровській області",
    "Пенсійний фонд України",
    "Держпродспоживслужба в Дніпропетровській області",
    "АТ «ДТЕК Дніпровські електромережі»",
    "АТ «Криворіжгаз»",
    "ПАТ «АрселорМіттал Кривий Ріг»",
    "ТОВ «Ремонтбуд-Кривбас»",
    "ТОВ «Шляхбуд»",
    "ТОВ «Кривбасзеленбуд»",
    "ОСББ «Сонячний»",
    "ОСББ «Металург-7»",
    "Криворізький національний університет",
    "Громадська організація «Зелений Кривбас»",
    "Криворізька районна державна адміністрація",
    "Управління Державної казначейської служби у м. Кривому Розі",
]
TOPICS = [
    ("Про ремонт покрівлі житлового будинку по вул. {street}, {n}", "VK-UBZH"),
    ("Щодо стану благоустрою прибудинкової території по вул. {street}", "VK-UBZH"),
    ("Про виконання договору підряду № {n} на ремонт доріг", "VK-DRI"),
    ("Про надання інформації щодо використання бюджетних коштів у {month}", "VK-DF"),
    ("Запит на публічну інформацію щодо тарифів на вивезення побутових відходів", "VK-EKO"),
    ("Про погодження графіка відключень електроенергії", "VK-DRI"),
    ("Щодо заходів цивільного захисту в укриттях закладів освіти", "VK-NS"),
    ("Про виділення матеріальної допомоги внутрішньо переміщеним особам", "VK-DSP"),
    ("Про забезпечення закладів охорони здоров'я медичним обладнанням", "VK-UOZ"),
    ("Щодо організації підвезення учнів до закладів освіти", "VK-UOS"),
    ("Про проведення перевірки дотримання правил благоустрою на вул. {street}", "VK-INB"),
    ("Про зміну маршруту міського автобуса № {n}", "VK-UTZ"),
    ("Щодо оренди нежитлового приміщення комунальної власності по вул. {street}, {n}", "VK-UKV"),
    ("Про надання дозволу на розроблення проєкту землеустрою", "VK-DMZ"),
    ("Про участь у конкурсі проєктів розвитку культури", "VK-KUL"),
]
INTERNAL = [
    "Про відпустки працівників у {month}",
    "Про створення робочої групи з питань благоустрою",
    "Про затвердження плану заходів з енергозбереження",
    "Про проведення інвентаризації матеріальних цінностей",
    "Про чергування у святкові та вихідні дні",
]
MONTHS = [
    "січні",
    "лютому",
    "березні",
    "квітні",
    "травні",
    "червні",
    "липні",
    "серпні",
    "вересні",
    "жовтні",
    "листопаді",
    "грудні",
]
CASES = [
    ("01-01", "Розпорядження міського голови з основної діяльності", "permanent", None),
    ("01-15", "Листування з органами влади, підприємствами, установами", "temporary", 3),
    ("01-16", "Запити на публічну інформацію та відповіді на них", "temporary", 5),
    ("01-20", "Документи про контроль виконання документів", "temporary", 5),
    ("01-25", "Журнали реєстрації вхідних і вихідних документів", "long", 15),
]


@dataclass
class _People:
    operator: User
    mayor: User
    demo_head: User | None
    demo_executor: User | None
    demo_executor_unit: OrgUnit | None
    document_type: ContentType
    controllers: list[User]
    # (executor, unit) pairs by department code of the VK subtree
    by_department: dict[str, list[tuple[User, OrgUnit]]]
    everyone: list[tuple[User, OrgUnit]]


@dataclass
class _Plan:
    document: Document
    resolution: Resolution
    assignments: list[Assignment]
    all_done: bool


def _plan(
    document: Document,
    info: dict[str, Any],
    people: _People,
    rng: random.Random,
    today: date,
    days: list[int],
) -> _Plan:
    """Decide a letter's resolution and its assignments' fate (done on time, late, open…)."""
    assert document.reg_date is not None
    author: User = info["addressee"]
    if author == people.demo_head and people.demo_head is not None:
        pool = people.by_department.get("VK-UBZH", people.everyone)
    else:
        pool = people.by_department.get(info["department"]) or people.everyone
    chosen = rng.sample(pool, k=min(len(pool), rng.choice([1, 1, 1, 2])))
    if people.demo_executor_unit is not None and author == people.demo_head and rng.random() < 0.3:
        assert people.demo_executor is not None
        if all(u.pk != people.demo_executor.pk for u, _ in chosen):
            chosen[0] = (people.demo_executor, people.demo_executor_unit)
    term = rng.choice([30, 30, 30, 10, 15])
    start = document.reg_date
    due = _working(start + timedelta(days=term))
    on_control = rng.random() < 0.6
    controller = rng.choice(people.controllers) if on_control and people.controllers else None
    resolution = Resolution(
        item_type=people.document_type,
        item_id=0,
        control_type="documents.document",
        item_title="",
        unit=document.unit,
        author=author,
        entered_by=author,
        text=rng.choice(
            [
                "Розглянути та надати відповідь заявнику",
                "Підготувати пропозиції",
                "Вжити заходів, про результати доповісти",
                "До відома і виконання",
            ]
        ),
        resolution_date=start,
        start_date=start,
        term_days=term,
        term_kind="calendar",
        due_date=due,
        control_state="on_control" if on_control else "none",
        controller=controller,
    )
    assignments = []
    all_done = True
    for order, (executor, unit) in enumerate(chosen):
        assignment = Assignment(
            executor=executor,
            unit=unit,
            assigned_by=author,
            is_responsible=order == 0,
            order=order,
            assigned_on=start,
            due_date=due,
            reviewer=controller or author,
            accepted_at=_at(start, 12),
            state=Assignment.State.IN_PROGRESS,
        )
        roll = rng.random()
        completed: date | None = None
        if due < today:
            if roll < 0.72:
                completed = due - timedelta(days=rng.randint(0, min(10, (due - start).days)))
            elif roll < 0.85:
                completed = min(due + timedelta(days=rng.randint(1, 9)), today)
            elif roll < 0.92:
                assignment.state = Assignment.State.REPORTED
                assignment.reported_at = _at(min(due, today - timedelta(days=1)), 15)
        elif roll < 0.3:
            completed = min(today, start + timedelta(days=rng.randint(1, 8)))
        elif roll < 0.45:
            assignment.state = Assignment.State.REPORTED
            assignment.reported_at = _at(today - timedelta(days=1), 15)
        elif roll >= 0.75:
            assignment.state = Assignment.State.NEW
            assignment.accepted_at = None
        if completed is not None:
            completed = max(completed, start)
            assignment.state = Assignment.State.DONE
            assignment.completed_on = completed
            assignment.days_taken = (completed - start).days
            assignment.reported_at = _at(completed, 15)
            assignment.done_at = _at(completed, 17)
        else:
            all_done = False
        if assignment.state in Assignment.OWED_STATES:
            future = [d for _, d in reminder_schedule(due, days) if d > today]
            assignment.next_reminder_on = min(future) if future else None
        assignments.append(assignment)
    if all_done:
        resolution.completed_at = _at(due, 18)
        if on_control:
            resolution.control_state = "removed"
            resolution.removed_at = resolution.completed_at
            resolution.removed_by = controller
    return _Plan(document, resolution, assignments, all_done)


def _demo_user(role: str) -> User | None:
    return User.objects.filter(email=f"{role.replace('_', '-')}@{DEMO_DOMAIN}").first()


def _people(vk: OrgUnit) -> _People | None:
    mayor_role = (
        RoleAssignment.objects.filter(role=Role.HEAD, unit__code="MR")
        .select_related("user")
        .first()
    )
    operator = _demo_user(Role.OPERATOR) or (
        RoleAssignment.objects.filter(role=Role.OPERATOR).select_related("user").first() or None
    )
    if mayor_role is None or operator is None:
        return None
    operator_user = operator if isinstance(operator, User) else operator.user
    employments = (
        Employment.objects.current()
        .filter(position__unit__path__startswith=vk.path, user__is_active=True)
        .exclude(position__unit=vk)
        .select_related("user", "position__unit")
        .order_by("pk")
    )
    by_department: dict[str, list[tuple[User, OrgUnit]]] = {}
    everyone = []
    for employment in employments:
        unit = employment.position.unit
        department = "-".join(unit.code.split("-")[:2])
        by_department.setdefault(department, []).append((employment.user, unit))
        everyone.append((employment.user, unit))
    controllers = [
        r.user
        for r in RoleAssignment.objects.filter(role=Role.CONTROLLER, unit__isnull=True)
        .select_related("user")
        .order_by("pk")[:5]
    ]
    demo_executor = _demo_user(Role.EXECUTOR)
    executor_employment = (
        Employment.objects.current()
        .filter(user=demo_executor)
        .select_related("position__unit")
        .first()
        if demo_executor
        else None
    )
    return _People(
        operator=operator_user,
        mayor=mayor_role.user,
        demo_head=_demo_user(Role.HEAD),
        demo_executor=demo_executor,
        demo_executor_unit=executor_employment.position.unit if executor_employment else None,
        document_type=ContentType.objects.get_for_model(Document),
        controllers=controllers,
        by_department=by_department,
        everyone=everyone,
    )


def _working(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime(hour, 0)))


class _Numbers:
    """Gapless numbers per journal and year, as registration would have given them."""

    def __init__(self) -> None:
        self.last: dict[tuple[int, int], int] = {}

    def take(self, journal: Journal, day: date) -> int:
        key = (journal.pk, day.year)
        self.last[key] = self.last.get(key, 0) + 1
        return self.last[key]

    def save(self) -> None:
        for (journal_id, year), value in self.last.items():
            Counter.objects.update_or_create(
                journal=f"documents:{journal_id}", year=year, defaults={"value": value}
            )


def load_demo_documents(*, seed: int = DEFAULT_SEED, per_day: int = 12) -> str | None:
    """Add a year of documents to the demo city unless they are there (or the city is not)."""
    if Journal.objects.filter(code=MARKER).exists():
        return None
    vk = OrgUnit.objects.filter(code="VK").first()
    if vk is None:
        return None
    people = _people(vk)
    if people is None or not people.everyone:
        return None
    started = time.monotonic()
    with transaction.atomic():
        rng = random.Random(seed)  # noqa: S311 - demo data, not security
        counts = _load(vk, people, rng, Faker("uk_UA"), seed, per_day)
        audit_record(
            actor=None, action="documents.demo_loaded", target=vk, data={"seed": seed, **counts}
        )
    seconds = time.monotonic() - started
    return (
        f"Demo documents loaded in {seconds:.1f} s: {counts['documents']} documents, "
        f"{counts['resolutions']} resolutions, {counts['assignments']} assignments, "
        f"{counts['correspondents']} correspondents, {counts['cases']} case files."
    )


def _load(
    vk: OrgUnit, people: _People, rng: random.Random, fake: Faker, seed: int, per_day: int
) -> dict[str, int]:
    fake.seed_instance(seed)
    today = timezone.localdate()
    incoming = Journal.objects.create(
        body=vk, kind="incoming", code=MARKER, name="Вхідні документи виконкому", order=1
    )
    outgoing = Journal.objects.create(
        body=vk,
        kind="outgoing",
        code="VK-VYH",
        name="Вихідні документи виконкому",
        order=2,
        index_template="{seq}/01-15",
    )
    internal = Journal.objects.create(
        body=vk,
        kind="internal",
        code="VK-ROZP",
        name="Розпорядження міського голови",
        order=3,
        index_template="{seq}-р",
        doc_kind="розпорядження",
    )
    cases: dict[tuple[int, str], CaseFile] = {}
    for year in (today.year - 1, today.year):
        for index, title, storage, years in CASES:
            cases[(year, index)] = CaseFile(
                body=vk,
                year=year,
                index=index,
                title=title,
                storage=storage,
                storage_years=years,
                state=CaseFile.State.CLOSED if year < today.year else CaseFile.State.OPEN,
                closed_at=_at(date(year, 12, 31)) if year < today.year else None,
            )
    expired = [
        CaseFile(
            body=vk,
            year=today.year - 6,
            index=index,
            title=title,
            storage=storage,
            storage_years=years,
            state=CaseFile.State.CLOSED,
            closed_at=_at(date(today.year - 6, 12, 31)),
        )
        for index, title, storage, years in CASES
        if storage == "temporary"
    ]
    CaseFile.objects.bulk_create([*cases.values(), *expired])
    correspondents = [
        Correspondent(
            kind="organisation",
            name=name,
            code=f"K{i:02d}",
            search_name=f"{name} k{i:02d}".casefold(),
        )
        for i, name in enumerate(ORGANISATIONS, start=1)
    ]
    for _ in range(16):
        name = f"{fake.last_name()} {fake.first_name()} {fake.middle_name()}"
        correspondents.append(
            Correspondent(
                kind="person", name=f"Депутат {name}", search_name=f"депутат {name}".casefold()
            )
        )
    Correspondent.objects.bulk_create(correspondents)
    streets = [fake.street_name() for _ in range(40)]
    numbers = _Numbers()
    # Letters of the last two working days are still waiting for a resolution.
    waiting_from = today - timedelta(days=1)
    while waiting_from.weekday() >= 5:
        waiting_from -= timedelta(days=1)
    if today.weekday() >= 5:
        waiting_from -= timedelta(days=1)
        while waiting_from.weekday() >= 5:
            waiting_from -= timedelta(days=1)
    days = reminder_days("documents.document")

    # 1. Incoming letters over the last year, and internal orders.
    documents: list[Document] = []
    meta: list[dict[str, Any]] = []
    day = today - timedelta(days=365)
    while day <= today:
        if day.weekday() < 5:
            for _ in range(max(1, rng.randint(per_day - 4, per_day + 4))):
                template, department = rng.choice(TOPICS)
                summary = template.format(
                    street=rng.choice(streets), n=rng.randint(1, 120), month=rng.choice(MONTHS)
                )
                correspondent = rng.choice(correspondents)
                roll = rng.random()
                access = "public" if roll < 0.85 else ("official" if roll < 0.95 else "personal")
                to_demo_head = department == "VK-UBZH" and people.demo_head is not None
                addressee = (
                    people.demo_head if to_demo_head and rng.random() < 0.7 else (people.mayor)
                )
                if day >= waiting_from and people.demo_head is not None and len(documents) % 2:
                    addressee = people.demo_head  # the demo head has letters to resolve
                seq = numbers.take(incoming, day)
                sent = day - timedelta(days=rng.randint(1, 6))
                documents.append(
                    Document(
                        journal=incoming,
                        direction="incoming",
                        unit=vk,
                        year=day.year,
                        seq=seq,
                        reg_index=str(seq),
                        reg_date=day,
                        registered_by=people.operator,
                        state=Document.State.REGISTERED,
                        doc_kind=rng.choice(
                            ["лист", "лист", "лист", "запит на інформацію", "доручення"]
                        ),
                        correspondent=correspondent,
                        correspondent_number=f"{rng.randint(1, 999)}/{rng.randint(1, 40)}",
                        correspondent_date=sent,
                        received_date=day,
                        channel=rng.choice(["post", "email", "exchange", "courier"]),
                        summary=summary,
                        pages=rng.randint(1, 6),
                        attachments_count=rng.randint(0, 3),
                        access=access,
                        addressee=addressee,
                        search_text=search.normalise(summary, str(seq), correspondent.name),
                    )
                )
                meta.append({"department": department, "addressee": addressee})
            if day.day in (1, 15):
                seq = numbers.take(internal, day)
                summary = rng.choice(INTERNAL).format(month=MONTHS[day.month - 1])
                documents.append(
                    Document(
                        journal=internal,
                        direction="internal",
                        unit=vk,
                        year=day.year,
                        seq=seq,
                        reg_index=f"{seq}-р",
                        reg_date=day,
                        registered_by=people.operator,
                        state=Document.State.REGISTERED,
                        doc_kind="розпорядження",
                        summary=summary,
                        signer=people.mayor,
                        signed_at=_at(day, 9),
                        case_file=cases.get((day.year, "01-01")),
                        search_text=search.normalise(summary, f"{seq}-р"),
                    )
                )
                meta.append({"internal": True})
        day += timedelta(days=1)
    # 2. Plan the resolutions and assignments (in memory, final states decided up front, so
    # that every row is written once, in bulk).
    plans: list[_Plan] = []
    for document, info in zip(documents, meta, strict=True):
        if info.get("internal") or document.reg_date is None:
            continue
        if document.reg_date >= waiting_from:
            continue  # still waiting for a resolution
        plans.append(_plan(document, info, people, rng, today, days))
    answers: list[tuple[Document, Document]] = []
    for plan in plans:
        document = plan.document
        assert document.reg_date is not None
        if not plan.all_done:
            document.state = Document.State.IN_EXECUTION
            continue
        document.state = Document.State.EXECUTED
        document.executed_at = _at(plan.resolution.due_date, 16)
        document.case_file = cases.get((document.reg_date.year, "01-15"))
        if rng.random() < 0.4:
            reply_day = min(_working(document.reg_date + timedelta(days=rng.randint(3, 20))), today)
            seq = numbers.take(outgoing, reply_day)
            summary = f"Відповідь: {document.summary}"[:2000]
            answers.append(
                (
                    Document(
                        journal=outgoing,
                        direction="outgoing",
                        unit=vk,
                        year=reply_day.year,
                        seq=seq,
                        reg_index=f"{seq}/01-15",
                        reg_date=reply_day,
                        registered_by=people.operator,
                        state=Document.State.DISPATCHED,
                        doc_kind="лист",
                        correspondent=document.correspondent,
                        summary=summary,
                        access=document.access,
                        signer=document.addressee,
                        signed_at=_at(reply_day, 11),
                        signature_kind="manual",
                        dispatched_at=_at(reply_day, 14),
                        channel="email",
                        case_file=cases.get((reply_day.year, "01-15")),
                        search_text=search.normalise(summary, f"{seq}/01-15"),
                    ),
                    document,
                )
            )
            document.executed_note = f"надано відповідь № {seq}/01-15"
    Document.objects.bulk_create([*documents, *(a for a, _ in answers)], batch_size=500)
    DocumentLink.objects.bulk_create(
        [DocumentLink(from_document=a, to_document=d, kind="answer_to") for a, d in answers],
        batch_size=500,
    )
    for plan in plans:
        plan.resolution.item_id = plan.document.pk
        plan.resolution.item_title = plan.document.control_title
        plan.resolution.notice_title = plan.document.notice_title
    resolutions = [p.resolution for p in plans]
    Resolution.objects.bulk_create(resolutions, batch_size=500)
    assignments = []
    for plan in plans:
        for assignment in plan.assignments:
            assignment.resolution = plan.resolution
            assignments.append(assignment)
    Assignment.objects.bulk_create(assignments, batch_size=500)
    # Reminders whose day has passed count as sent: the first sweep sends only what is new.
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(assignment=a, kind=kind, due_date=a.due_date, skipped=True)
            for a in assignments
            if a.state in Assignment.OWED_STATES
            for kind, day_ in reminder_schedule(a.due_date, days)
            if day_ <= today
        ],
        batch_size=1000,
    )
    numbers.save()
    return {
        "documents": len(documents) + len(answers),
        "resolutions": len(resolutions),
        "assignments": len(assignments),
        "correspondents": len(correspondents),
        "cases": len(cases) + len(expired),
    }
