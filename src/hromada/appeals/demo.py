"""Appeals demo data for the demo city (``hromada demo`` loads it once).

- A virtual reception room for every official with a current post (~770), subjects and
  classifier topics by their unit; personal reception schedules for every head, and visiting
  receptions (виїзні прийоми) in the seven districts by the mayor, the deputies and the
  district heads; upcoming bookings and a year of the personal reception journal.
- A year of appeals (~5,000 by default) through realistic channels with topics, districts,
  applicant categories; some repeated, duplicate, collective, anonymous and mass ones; most
  with a resolution and assignments of the control engine, many answered and removed from
  control; a few still drafts from the mailbox. The demo citizen has appeals of her own;
  the demo head has appeals addressed to him waiting for his resolution.

Rows are written in bulk inside one transaction with one audit event (`appeals.demo_loaded`);
the numbering counters are set to the numbers used, so registration continues gaplessly.
The answers are written straight into `Answer` as sent (no PDF): rendering thousands of PDFs
through `hromada.appeals.answers` would make `make run` slow. The same seed gives the same data.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from email.message import EmailMessage
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from hromada.accounts.models import Employment, OrgUnit, RoleAssignment, User
from hromada.accounts.roles import Role
from hromada.appeals import receptions, rooms, services, terms
from hromada.appeals.models import (
    CHANNEL_CODES,
    Answer,
    Appeal,
    AppealEvent,
    AppealLink,
    AppealsJournal,
    AppealTopic,
    Channel,
    MassGroup,
    ReceptionBooking,
    ReceptionRecord,
    ReceptionRoom,
    ReceptionSchedule,
)
from hromada.control.models import Assignment, ReminderLog, Resolution
from hromada.control.services import reminder_days, reminder_schedule
from hromada.core.audit import audit_record
from hromada.core.districts import District
from hromada.core.models import Counter

DEFAULT_SEED = 2026
DEFAULT_APPEALS = 5000
MARKER = "demo:appeals"
DEMO_DOMAIN = "demo.hromada.local"
Kind = ReceptionSchedule.Kind
State = Appeal.State

# Unit code (prefix) → (subjects, topic codes) of its officials' reception rooms.
SUBJECTS: dict[str, tuple[str, str]] = {
    "MR": ("Питання життєдіяльності міста, звернення до міського голови", "121, 120"),
    "VK-UBZH": ("Благоустрій, ремонт житлового фонду, прибудинкові території, ОСББ", "109, 110"),
    "VK-DRI": ("Дороги, тротуари, зовнішнє освітлення, ремонт мереж", "109, 103"),
    "VK-INB": ("Дотримання правил благоустрою, самовільні споруди, стихійна торгівля", "109"),
    "VK-DSP": ("Соціальний захист, пільги, субсидії, допомоги, ВПО", "106"),
    "VK-UOZ": ("Охорона здоров'я, медичні заклади, ліки для пільговиків", "108"),
    "VK-UOS": ("Дитячі садки, школи, позашкільна освіта, підвезення учнів", "115"),
    "VK-UTZ": ("Громадський транспорт, маршрути, зв'язок", "103"),
    "VK-EKO": ("Екологія, вивезення відходів, зелені насадження", "111"),
    "VK-DMZ": ("Земельні ділянки, містобудування, архітектура", "102"),
    "VK-KUL": ("Культура, пам'ятки, дозвілля", "114"),
    "VK-TUR": ("Туризм", "114"),
    "VK-SMS": ("Сім'я, молодь, спорт", "113"),
    "VK-DF": ("Міський бюджет, фінанси", "105"),
    "VK-UKV": ("Комунальна власність, оренда приміщень", "104"),
    "VK-NS": ("Цивільний захист, укриття, надзвичайні ситуації", "122"),
    "VK-CNAP": ("Адміністративні послуги, ЦНАП", "121"),
    "VK-URP": ("Підприємництво, регуляторна політика", "104"),
    "VK-YU": ("Правові питання", "112"),
    "VK-ZG": ("Прийом і реєстрація звернень громадян", "121"),
    "KP-VOD": ("Водопостачання і водовідведення", "109"),
    "KP-TROL": ("Тролейбусні маршрути", "103"),
    "KP-TRAM": ("Швидкісний трамвай", "103"),
}
# Topic → the department that considers it (its head writes the resolution).
TOPIC_UNIT = {
    "109": "VK-UBZH",
    "110": "VK-UBZH",
    "103": "VK-UTZ",
    "106": "VK-DSP",
    "108": "VK-UOZ",
    "115": "VK-UOS",
    "111": "VK-EKO",
    "102": "VK-DMZ",
    "114": "VK-KUL",
    "113": "VK-SMS",
    "105": "VK-DF",
    "104": "VK-UKV",
    "122": "VK-NS",
    "112": "VK-YU",
}
TOPIC_WEIGHTS = {
    "109": 34,
    "110": 14,
    "106": 12,
    "103": 8,
    "108": 5,
    "115": 4,
    "111": 5,
    "102": 4,
    "113": 2,
    "114": 1,
    "105": 1,
    "104": 2,
    "122": 2,
    "112": 2,
    "121": 3,
    "125": 1,
}
PROBLEMS: dict[str, list[str]] = {
    "109": [
        "Не працює зовнішнє освітлення у дворі будинку по {street}, {n}",
        "Прошу відремонтувати дорогу біля будинку по {street}, {n}",
        "Не вивозять сміття з контейнерного майданчика по {street}",
        "Протікає дах будинку по {street}, {n}, кв. {k}",
        "Відсутнє гаряче водопостачання в будинку по {street}, {n}",
        "Прошу видалити аварійне дерево біля будинку по {street}, {n}",
        "Не працює ліфт у під'їзді {k} будинку по {street}, {n}",
    ],
    "110": [
        "Прошу поставити на квартирний облік сім'ю, що проживає по {street}, {n}",
        "Щодо капітального ремонту будинку по {street}, {n}",
        "Прошу роз'яснити порядок створення ОСББ у будинку по {street}, {n}",
    ],
    "106": [
        "Прошу призначити житлову субсидію",
        "Щодо надання матеріальної допомоги на лікування",
        "Прошу роз'яснити порядок отримання пільг на комунальні послуги",
        "Щодо допомоги внутрішньо переміщеним особам",
    ],
    "103": [
        "Прошу збільшити кількість рейсів маршруту № {n}",
        "Щодо роботи громадського транспорту у вечірній час на {street}",
        "Прошу облаштувати зупинку громадського транспорту на {street}",
    ],
    "108": [
        "Щодо забезпечення ліками пільгової категорії",
        "Прошу вирішити питання черг у поліклініці на {street}",
    ],
    "115": [
        "Прошу надати місце в дитячому садку",
        "Щодо підвезення учнів до школи № {n}",
    ],
    "111": [
        "Стихійне звалище сміття на {street}",
        "Щодо викидів у повітря підприємством поблизу {street}",
    ],
    "102": [
        "Прошу надати дозвіл на розроблення проєкту землеустрою",
        "Щодо самовільного зайняття земельної ділянки по {street}, {n}",
    ],
}
CHANNELS = [
    (Channel.WEB, 24),
    (Channel.EMAIL, 14),
    (Channel.HOTLINE, 20),
    (Channel.POST, 10),
    (Channel.IN_PERSON, 6),
    (Channel.DIRECT_PHONE, 5),
    (Channel.DUTY_SERVICE, 4),
    (Channel.RECEPTION, 5),
    (Channel.VISITING_RECEPTION, 3),
    (Channel.VIRTUAL_ROOM, 5),
    (Channel.MEETING, 1),
    (Channel.REPRESENTATIVE, 1),
    (Channel.OTHER_BODY, 2),
]
CATEGORIES = ["7.5", "7.6", "7.7", "7.8", "7.9", "7.11", "7.13", "7.18", "7.19", "7.21"]
STATUSES = ["8.1", "8.1", "8.1", "8.6", "8.8", "8.11", "8.12", "8.13", "8.14"]
ANSWERS = {
    "9.1": "Ваше звернення розглянуто. Роботи виконано (заплановано), питання вирішено позитивно.",
    "9.2": "Ваше звернення розглянуто. На жаль, задовольнити його неможливо з підстав, "
    "наведених нижче.",
    "9.3": "Ваше звернення розглянуто. Роз'яснюємо порядок вирішення порушеного питання.",
}


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime(hour, minute)))


def _working(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _pick(rng: random.Random, weighted: list[tuple[Any, int]] | dict[Any, int]) -> Any:
    items = list(weighted.items()) if isinstance(weighted, dict) else weighted
    return rng.choices([k for k, _ in items], [w for _, w in items])[0]


@dataclass
class _City:
    vk: OrgUnit
    operator: User
    citizen: User | None
    demo_head: User | None
    demo_executor: User | None = None
    heads: dict[str, User] = field(default_factory=dict)  # unit code → head
    staff: dict[str, list[User]] = field(default_factory=dict)  # department code → staff
    posts: dict[int, tuple[str, OrgUnit]] = field(default_factory=dict)  # user → (title, unit)
    controllers: list[User] = field(default_factory=list)
    district_bodies: dict[str, OrgUnit] = field(default_factory=dict)


def _department(code: str) -> str:
    parts = code.split("-")
    if code.startswith("R-"):
        return "-".join(parts[:3]) if len(parts) >= 3 else code
    return "-".join(parts[:2]) if len(parts) >= 2 else code


def _city() -> _City | None:
    vk = OrgUnit.objects.filter(code="VK").first()
    operator = User.objects.filter(email=f"operator@{DEMO_DOMAIN}").first()
    if vk is None or operator is None:
        return None
    city = _City(
        vk=vk,
        operator=operator,
        citizen=User.objects.filter(email=f"citizen@{DEMO_DOMAIN}").first(),
        demo_head=User.objects.filter(email=f"head@{DEMO_DOMAIN}").first(),
        demo_executor=User.objects.filter(email=f"executor@{DEMO_DOMAIN}").first(),
    )
    for e in (
        Employment.objects.current()
        .select_related("user", "position__unit")
        .order_by("position__unit__code", "-position__is_head", "position__order", "pk")
    ):
        unit = e.position.unit
        city.posts.setdefault(e.user_id, (e.position.title, unit))
        if e.position.is_head:
            city.heads.setdefault(unit.code, e.user)
        else:
            city.staff.setdefault(_department(unit.code), []).append(e.user)
    city.controllers = [
        r.user
        for r in RoleAssignment.objects.filter(role=Role.CONTROLLER, unit__isnull=True)
        .select_related("user")
        .order_by("pk")
    ]
    for suffix in District.values:
        body = OrgUnit.objects.filter(code=f"R-{suffix}-VK").first()
        if body is not None:
            city.district_bodies[suffix] = body
    return city


# --- reception rooms, schedules, bookings, journal ------------------------------------------------


def _subjects(code: str) -> tuple[str, str]:
    for prefix in sorted(SUBJECTS, key=len, reverse=True):
        if code == prefix or code.startswith(prefix + "-"):
            return SUBJECTS[prefix]
    if code.startswith("R-"):
        return ("Питання жителів району: благоустрій, житло, соціальний захист", "109, 106")
    return ("Питання, що належать до компетенції підрозділу", "121")


def _rooms(city: _City) -> list[ReceptionRoom]:
    rooms_ = []
    for user_id, (_title, unit) in city.posts.items():
        subjects, topics = _subjects(unit.code)
        rooms_.append(ReceptionRoom(official_id=user_id, subjects=subjects, topics=topics))
    ReceptionRoom.objects.bulk_create(rooms_, batch_size=500)
    rooms.rooms_refresh()
    return rooms_


def _schedules(city: _City, rng: random.Random) -> list[ReceptionSchedule]:
    schedules: list[ReceptionSchedule] = []
    address = "пл. Молодіжна, 1 (виконком міської ради)"
    for _code, head in sorted(city.heads.items()):
        unit = city.posts[head.pk][1]
        morning = rng.random() < 0.5
        place = f"{unit.address or address}, каб. {rng.randint(100, 450)}"
        schedules.append(
            ReceptionSchedule(
                official=head,
                kind=Kind.PERSONAL,
                weekday=rng.randint(1, 5),
                week_of_month=None if rng.random() < 0.6 else rng.randint(1, 4),
                start_time=dtime(10 if morning else 14),
                end_time=dtime(13 if morning else 17),
                slot_minutes=rng.choice([15, 15, 20, 30]),
                place=place[:300],
            )
        )
    # Visiting receptions: the mayor in every district, the district heads in their own.
    mayor = city.heads.get("MR")
    districts = list(District)
    for i, district in enumerate(districts):
        if mayor is not None:
            schedules.append(
                ReceptionSchedule(
                    official=mayor,
                    kind=Kind.VISITING,
                    weekday=4 if i < 4 else 2,
                    week_of_month=i % 4 + 1,
                    start_time=dtime(15),
                    end_time=dtime(18),
                    slot_minutes=20,
                    place=f"Виконком {district.label.lower()} районної у місті ради, зал засідань",
                    district=district.value,
                )
            )
        district_head = city.heads.get(f"R-{district.value}")
        if district_head is not None:
            schedules.append(
                ReceptionSchedule(
                    official=district_head,
                    kind=Kind.VISITING,
                    weekday=3,
                    week_of_month=rng.randint(1, 4),
                    start_time=dtime(16),
                    end_time=dtime(18),
                    slot_minutes=15,
                    place=f"Бібліотека-філія № {rng.randint(1, 30)}, {district.label} район",
                    district=district.value,
                )
            )
    ReceptionSchedule.objects.bulk_create(schedules, batch_size=500)
    return schedules


def _bookings(
    city: _City, schedules: list[ReceptionSchedule], rng: random.Random, fake: Faker
) -> int:
    wanted = [s for s in schedules if s.official_id in {h.pk for h in city.heads.values()}]
    rng.shuffle(wanted)
    bookings = []
    for schedule in wanted[:25]:
        free = receptions.slots([schedule], days=28)
        for slot in rng.sample(free, k=min(len(free), rng.randint(1, 3))):
            female = rng.random() < 0.55
            bookings.append(
                ReceptionBooking(
                    schedule=schedule,
                    starts_at=slot.starts_at,
                    surname=fake.last_name_female() if female else fake.last_name_male(),
                    given_name=fake.first_name_female() if female else fake.first_name_male(),
                    phone=f"+38067{rng.randint(1000000, 9999999)}",
                    summary=rng.choice(PROBLEMS["109"] + PROBLEMS["106"]).format(
                        street=fake.street_name(), n=rng.randint(1, 120), k=rng.randint(1, 9)
                    )[:500],
                )
            )
    ReceptionBooking.objects.bulk_create(bookings, batch_size=500)
    return len(bookings)


# --- appeals --------------------------------------------------------------------------------------


@dataclass
class _Person:
    surname: str
    given_name: str
    patronymic: str
    sex: str
    address: str
    district: str
    phone: str
    email: str


def _person(rng: random.Random, fake: Faker, streets: list[str]) -> _Person:
    female = rng.random() < 0.58
    district = rng.choice(District.values)
    street = rng.choice(streets)
    return _Person(
        surname=fake.last_name_female() if female else fake.last_name_male(),
        given_name=fake.first_name_female() if female else fake.first_name_male(),
        patronymic=fake.middle_name_female() if female else fake.middle_name_male(),
        sex="4.2" if female else "4.1",
        address=f"{street}, {rng.randint(1, 140)}, кв. {rng.randint(1, 120)}",
        district=district,
        phone=f"+38067{rng.randint(1000000, 9999999)}" if rng.random() < 0.8 else "",
        email=f"user{rng.randint(1000, 99999)}@example.org" if rng.random() < 0.45 else "",
    )


class _Numbers:
    def __init__(self) -> None:
        self.last: dict[tuple[str, int], int] = {}

    def take(self, journal: AppealsJournal, day: date) -> int:
        key = (journal.counter_key, day.year)
        self.last[key] = self.last.get(key, 0) + 1
        return self.last[key]

    def save(self) -> None:
        for (key, year), value in self.last.items():
            Counter.objects.update_or_create(journal=key, year=year, defaults={"value": value})


@dataclass
class _Plan:
    appeal: Appeal
    topics: list[str]
    events: list[tuple[str, datetime, str]] = field(default_factory=list)
    resolution: Resolution | None = None
    assignments: list[Assignment] = field(default_factory=list)
    answer: Answer | None = None
    links: list[tuple[Appeal, str]] = field(default_factory=list)


def _outcome(rng: random.Random, age: int) -> Any:
    if age > 45:
        return _pick(
            rng,
            [
                (State.CLOSED, 84),
                (State.ANSWERED, 3),
                (State.FORWARDED, 6),
                (State.RETURNED, 3),
                (State.IN_WORK, 4),
            ],
        )
    if age > 12:
        return _pick(
            rng,
            [
                (State.CLOSED, 40),
                (State.ANSWERED, 15),
                (State.IN_WORK, 38),
                (State.REGISTERED, 3),
                (State.FORWARDED, 4),
            ],
        )
    return _pick(rng, [(State.REGISTERED, 40), (State.IN_WORK, 50), (State.CLOSED, 10)])


def _appeals(
    city: _City, rng: random.Random, fake: Faker, total: int, officials: list[int]
) -> dict[str, int]:
    today = timezone.localdate()
    start = today - timedelta(days=365)
    streets = [fake.street_name() for _ in range(60)]
    appeal_type = ContentType.objects.get_for_model(Appeal)
    days_list = reminder_days("appeals.appeal")
    journals = {"VK": services.journal_for(city.vk)}
    for suffix, body in city.district_bodies.items():
        journals[suffix] = services.journal_for(body)
    numbers = _Numbers()
    dates = sorted(_working(start + timedelta(days=rng.randint(0, 365))) for _ in range(total))
    dates = [d if d <= today else today for d in dates]
    people: list[_Person] = []
    plans: list[_Plan] = []
    closed_by_person: dict[int, list[_Plan]] = defaultdict(list)
    open_by_person: dict[int, list[_Plan]] = defaultdict(list)
    mass_groups: list[tuple[MassGroup, str, str]] = []
    for i, (title, topic) in enumerate(
        [
            ("Відсутнє опалення в будинках мікрорайону", "109"),
            ("Не працює зовнішнє освітлення на вулиці", "109"),
            ("Незадовільний стан дороги", "109"),
        ]
    ):
        district = District.values[i * 2]
        street = streets[i]
        group = MassGroup(
            unit=city.vk,
            title=f"{title} ({street})",
            place=street,
            district=district,
            topic=topic,
            created_by=city.operator,
        )
        mass_groups.append((group, street, topic))
    MassGroup.objects.bulk_create([g for g, _, _ in mass_groups])
    counts: dict[str, int] = defaultdict(int)
    due_dates: dict[tuple[date, bool], date] = {}
    for index, reg_date in enumerate(dates):
        age = (today - reg_date).days
        channel = _pick(rng, CHANNELS)
        roll = rng.random()
        person_index: int | None = None
        sign = Appeal.Sign.PRIMARY
        subject = Appeal.Subject.INDIVIDUAL
        earlier: _Plan | None = None
        if roll < 0.05 and closed_by_person:
            person_index = rng.choice(list(closed_by_person))
            earlier = closed_by_person[person_index][-1]
            sign = Appeal.Sign.REPEATED
        elif roll < 0.07 and open_by_person:
            person_index = rng.choice(list(open_by_person))
            earlier = open_by_person[person_index][-1]
            sign = Appeal.Sign.DUPLICATE
        if person_index is None:
            person_index = len(people)
            people.append(_person(rng, fake, streets))
        person = people[person_index]
        topic = earlier.topics[0] if earlier else _pick(rng, TOPIC_WEIGHTS)
        topics = [topic]
        if rng.random() < 0.15:
            extra = _pick(rng, TOPIC_WEIGHTS)
            if extra != topic:
                topics.append(extra)
        street = rng.choice(streets)
        mass: MassGroup | None = None
        if sign == Appeal.Sign.PRIMARY and rng.random() < 0.01:
            mass, street, topic = rng.choice(mass_groups)
            topics = [topic]
            sign = Appeal.Sign.MASS
        problem = rng.choice(PROBLEMS.get(topic, ["Прошу розглянути питання щодо {street}"]))
        summary = problem.format(street=street, n=rng.randint(1, 120), k=rng.randint(1, 9))
        text = f"{summary}. " + rng.choice(
            [
                "Звертаюся не вперше, прошу вжити заходів.",
                "Прошу розглянути та повідомити про результати.",
                "Мешканці будинку просять вирішити це питання якнайшвидше.",
                "Прошу надати письмову відповідь.",
            ]
        )
        if sign == Appeal.Sign.REPEATED:
            text += " Попередня відповідь мене не задовольнила."
        anonymous = sign == Appeal.Sign.PRIMARY and rng.random() < 0.02
        collective = not anonymous and sign == Appeal.Sign.PRIMARY and rng.random() < 0.03
        if anonymous:
            subject = Appeal.Subject.ANONYMOUS
        elif collective:
            subject = Appeal.Subject.COLLECTIVE
        body_key = "VK"
        if channel == Channel.VISITING_RECEPTION or (
            channel in (Channel.POST, Channel.IN_PERSON) and rng.random() < 0.35
        ):
            body_key = person.district if person.district in journals else "VK"
        journal = journals[body_key]
        category = rng.choice(CATEGORIES) if rng.random() < 0.18 else ""
        needs_study = rng.random() < 0.75
        due = due_dates.get((reg_date, needs_study))
        if due is None:
            due = due_dates[(reg_date, needs_study)] = terms.initial_due_date(
                reg_date, needs_study=needs_study
            )
        seq = numbers.take(journal, reg_date)
        appeal = Appeal(
            journal=journal,
            unit=journal.body,
            state=State.REGISTERED,
            channel=channel,
            year=reg_date.year,
            seq=seq,
            reg_index=str(seq),
            reg_date=reg_date,
            registered_at=_at(reg_date, rng.randint(9, 16), rng.randint(0, 59)),
            registered_by=city.operator,
            written_date=reg_date - timedelta(days=rng.randint(0, 3)),
            surname="" if anonymous else person.surname,
            given_name="" if anonymous else person.given_name,
            patronymic="" if anonymous else person.patronymic,
            address="" if anonymous else person.address,
            district=person.district,
            email="" if anonymous else person.email,
            phone="" if anonymous else person.phone,
            sex="" if anonymous else person.sex,
            category="" if anonymous else category,
            social_status="" if anonymous else rng.choice(STATUSES),
            subject=subject,
            signatories=rng.randint(5, 120) if collective else 1,
            kind=_pick(
                rng,
                [
                    (Appeal.Kind.APPLICATION, 80),
                    (Appeal.Kind.PROPOSAL, 8),
                    (Appeal.Kind.COMPLAINT, 12),
                ],
            ),
            sign=sign,
            summary=summary[:500],
            text=text,
            # Benefit holders come first — unless there is nothing to consider.
            priority=bool(category)
            and not anonymous
            and sign != Appeal.Sign.DUPLICATE
            and category not in services.NON_PRIORITY_CATEGORIES,
            mass_group=mass,
            needs_study=needs_study,
            due_date=due,
            first_due_date=due,
            retention_until=date(reg_date.year + 6, 1, 1),
            source_ref=f"{MARKER}:{index}",
        )
        appeal.how_received, appeal.appeal_type = CHANNEL_CODES[channel]
        if channel == Channel.VIRTUAL_ROOM and officials:
            appeal.addressee_id = rng.choice(officials)
        if not anonymous:
            appeal.person_key = " ".join(
                p.casefold() for p in (person.surname, person.given_name, person.patronymic)
            )
            appeal.phone_digits = person.phone[-9:] if person.phone else ""
        plan = _Plan(appeal=appeal, topics=topics)
        plan.events.append(
            (
                AppealEvent.Kind.REGISTERED,
                appeal.registered_at or _at(reg_date),
                f"Зареєстровано за № {seq} від {reg_date:%d.%m.%Y}. "
                f"Строк розгляду — до {due:%d.%m.%Y}.",
            )
        )
        if earlier is not None:
            plan.links.append(
                (
                    earlier.appeal,
                    AppealLink.Kind.REPEATED
                    if sign == Appeal.Sign.REPEATED
                    else AppealLink.Kind.DUPLICATE,
                )
            )
        if anonymous or sign == Appeal.Sign.DUPLICATE:
            appeal.state = State.NOT_CONSIDERED
            appeal.result = "9.6"
            appeal.due_date = None
            appeal.not_considered_reason = (
                "Анонімне звернення: не зазначено автора (ст. 8 Закону «Про звернення громадян»)."
                if anonymous
                else f"Дублетне до звернення № {earlier.appeal.reg_index if earlier else ''}: "
                "розглядається разом з ним."
            )
            plan.events.append(
                (AppealEvent.Kind.NOT_CONSIDERED, _at(reg_date, 17), appeal.not_considered_reason)
            )
            counts["anonymous" if anonymous else "duplicate"] += 1
        else:
            _consider(plan, city, rng, _outcome(rng, age), today, appeal_type, days_list)
            if appeal.state == State.CLOSED and not anonymous:
                closed_by_person[person_index].append(plan)
            elif appeal.is_open:
                open_by_person[person_index].append(plan)
        counts[appeal.state] += 1
        counts["collective"] += int(collective)
        counts["repeated"] += int(sign == Appeal.Sign.REPEATED)
        counts["mass"] += int(sign == Appeal.Sign.MASS)
        plans.append(plan)

    # The demo head gets appeals addressed to him waiting for his resolution; the demo
    # citizen has appeals of her own in the cabinet.
    recent = [p for p in plans if p.appeal.state == State.REGISTERED and p.appeal.sign == "2.1"]
    if city.demo_head is not None:
        for plan in recent[-8:]:
            plan.appeal.addressee = city.demo_head
            plan.appeal.channel = Channel.VIRTUAL_ROOM
    if city.citizen is not None:
        mine = [p for p in plans if p.appeal.subject == Appeal.Subject.INDIVIDUAL][-400::50]
        for plan in mine:
            a = plan.appeal
            a.applicant = city.citizen
            a.surname, a.given_name, a.patronymic = (
                city.citizen.surname,
                city.citizen.given_name,
                city.citizen.patronymic,
            )
            a.email = city.citizen.email
            a.person_key = " ".join(p.casefold() for p in (a.surname, a.given_name, a.patronymic))
    Appeal.objects.bulk_create([p.appeal for p in plans], batch_size=500)
    numbers.save()
    AppealTopic.objects.bulk_create(
        [
            AppealTopic(appeal=p.appeal, code=code, is_main=i == 0)
            for p in plans
            for i, code in enumerate(p.topics)
        ],
        batch_size=1000,
    )
    AppealLink.objects.bulk_create(
        [
            AppealLink(from_appeal=p.appeal, to_appeal=to, kind=kind)
            for p in plans
            for to, kind in p.links
        ],
        batch_size=1000,
    )
    events = [
        AppealEvent(appeal=p.appeal, kind=kind, public_note=note[:500], citizen_notified=True)
        for p in plans
        for kind, _at_, note in p.events
    ]
    AppealEvent.objects.bulk_create(events, batch_size=1000)
    # `at` is set on insert (auto_now_add): put the history on its real days.
    moments = [at for p in plans for _k, at, _n in p.events]
    _set_times(AppealEvent, "at", [(e.pk, m) for e, m in zip(events, moments, strict=True)])
    for plan in plans:
        if plan.resolution is not None:
            plan.resolution.item_id = plan.appeal.pk
            plan.resolution.item_title = plan.appeal.control_title
            plan.resolution.notice_title = plan.appeal.notice_title
    with_resolution = [p for p in plans if p.resolution is not None]
    Resolution.objects.bulk_create([p.resolution for p in with_resolution], batch_size=500)  # type: ignore[misc]
    assignments = []
    for plan in with_resolution:
        for assignment in plan.assignments:
            assignment.resolution = plan.resolution  # type: ignore[assignment]
            assignments.append(assignment)
    Assignment.objects.bulk_create(assignments, batch_size=500)
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(assignment=a, kind=kind, due_date=a.due_date, skipped=True)
            for a in assignments
            if a.state in Assignment.OWED_STATES
            for kind, day_ in reminder_schedule(a.due_date, days_list)
            if day_ <= today
        ],
        batch_size=1000,
    )
    answers = [p.answer for p in plans if p.answer is not None]
    for plan in plans:
        if plan.answer is not None:
            plan.answer.appeal = plan.appeal
    Answer.objects.bulk_create(answers, batch_size=500)
    counts["appeals"] = len(plans)
    counts["resolutions"] = len(with_resolution)
    counts["assignments"] = len(assignments)
    counts["answers"] = len(answers)
    _reception_journal(city, plans, rng)
    return dict(counts)


def _set_times(model: Any, column: str, rows: list[tuple[int, datetime]]) -> None:
    """Set a timestamp column row by row in a few statements (bulk_update is slow here)."""
    table = connection.ops.quote_name(model._meta.db_table)
    name = connection.ops.quote_name(column)
    cast = "%s::timestamptz" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 400):
            chunk = rows[start : start + 400]
            cases = " ".join(f"WHEN %s THEN {cast}" for _ in chunk)
            params: list[Any] = []
            for pk, moment in chunk:
                params += [pk, connection.ops.adapt_datetimefield_value(moment)]
            marks = ", ".join("%s" for _ in chunk)
            cursor.execute(
                f"UPDATE {table} SET {name} = CASE id {cases} END WHERE id IN ({marks})",  # noqa: S608
                [*params, *(pk for pk, _m in chunk)],
            )


def _consider(
    plan: _Plan,
    city: _City,
    rng: random.Random,
    outcome: str,
    today: date,
    appeal_type: ContentType,
    days_list: list[int],
) -> None:
    """Give a registered appeal its resolution, assignments, answer and final state."""
    appeal = plan.appeal
    reg_date = appeal.reg_date
    assert reg_date is not None
    assert appeal.due_date is not None
    if outcome == State.FORWARDED:
        appeal.state = State.FORWARDED
        appeal.result = "9.4"
        appeal.forwarded_to = rng.choice(
            [
                "Головне управління Пенсійного фонду",
                "АТ «ДТЕК Дніпровські електромережі»",
                "Криворізька районна державна адміністрація",
                "Держпродспоживслужба",
            ]
        )
        appeal.forwarded_at = _at(reg_date + timedelta(days=rng.randint(1, 4)), 15)
        plan.events.append(
            (
                AppealEvent.Kind.FORWARDED,
                appeal.forwarded_at,
                f"Надіслано за належністю: {appeal.forwarded_to}.",
            )
        )
        return
    if outcome == State.RETURNED:
        appeal.state = State.RETURNED
        appeal.result = "9.5"
        appeal.returned_at = _at(reg_date + timedelta(days=rng.randint(2, 9)), 15)
        appeal.return_reason = "Звернення не містить суті порушеного питання (ст. 5 Закону)."
        plan.events.append((AppealEvent.Kind.RETURNED, appeal.returned_at, appeal.return_reason))
        return
    if outcome == State.REGISTERED:
        return
    department = TOPIC_UNIT.get(plan.topics[0], "VK-UBZH")
    author = city.heads.get(department) or city.heads.get("VK")
    if author is None:
        return
    pool = city.staff.get(department) or [author]
    executor = rng.choice(pool)
    if department == "VK-UBZH" and rng.random() < 0.15 and city.demo_executor is not None:
        executor = city.demo_executor
    unit = city.posts.get(executor.pk, ("", city.vk))[1]
    resolved_on = min(today, reg_date + timedelta(days=rng.randint(0, 2)))
    controller = rng.choice(city.controllers) if city.controllers else None
    due = appeal.due_date
    resolution = Resolution(
        item_type=appeal_type,
        item_id=0,
        control_type="appeals.appeal",
        item_title="",
        unit=appeal.unit,
        author=author,
        entered_by=author,
        text=rng.choice(
            [
                "Розглянути, вжити заходів, надати відповідь заявнику у встановлений строк",
                "Розглянути та надати відповідь заявнику",
                "Вивчити питання на місці, про результати повідомити заявника",
            ]
        ),
        resolution_date=resolved_on,
        start_date=reg_date,
        term_days=None,
        term_kind="calendar",
        due_date=due,
        control_state="on_control",
        controller=controller,
    )
    assignment = Assignment(
        executor=executor,
        unit=unit,
        assigned_by=author,
        is_responsible=True,
        order=0,
        assigned_on=resolved_on,
        due_date=due,
        reviewer=controller or author,
        accepted_at=_at(resolved_on, 12),
        state=Assignment.State.IN_PROGRESS,
    )
    plan.resolution = resolution
    plan.assignments = [assignment]
    appeal.state = State.IN_WORK
    plan.events.append(
        (
            AppealEvent.Kind.IN_WORK,
            _at(resolved_on, 12),
            f"Передано на розгляд: {unit.short_name or unit.name}.",
        )
    )
    if outcome in (State.ANSWERED, State.CLOSED):
        late = rng.random() < 0.06
        span = max(1, (due - reg_date).days)
        answered_on = min(
            today,
            due + timedelta(days=rng.randint(1, 6))
            if late
            else reg_date + timedelta(days=rng.randint(max(1, span // 4), span)),
        )
        answered_on = max(answered_on, resolved_on)
        result = _pick(rng, [("9.1", 45), ("9.3", 45), ("9.2", 10)])
        appeal.state = State.ANSWERED
        appeal.result = result
        appeal.answered_at = _at(answered_on, 16)
        plan.answer = Answer(
            kind=Answer.Kind.FINAL,
            state=Answer.State.SENT,
            text=ANSWERS[result],
            result=result,
            prepared_by=executor,
            signer=author,
            signed_at=_at(answered_on, 14),
            delivery=Answer.Delivery.EMAIL if appeal.email else Answer.Delivery.POST,
            sent_at=appeal.answered_at,
        )
        plan.events.append((AppealEvent.Kind.ANSWERED, appeal.answered_at, "Надано відповідь."))
        assignment.state = Assignment.State.REPORTED
        assignment.reported_at = _at(answered_on, 15)
        if outcome == State.CLOSED:
            closed_on = min(today, answered_on + timedelta(days=rng.randint(0, 3)))
            appeal.state = State.CLOSED
            appeal.closed_at = _at(closed_on, 17)
            assignment.state = Assignment.State.DONE
            assignment.completed_on = answered_on
            assignment.days_taken = (answered_on - resolved_on).days
            assignment.done_at = appeal.closed_at
            resolution.completed_at = appeal.closed_at
            resolution.control_state = "removed"
            resolution.removed_at = appeal.closed_at
            resolution.removed_by = controller or author
            plan.events.append((AppealEvent.Kind.CLOSED, appeal.closed_at, "Розгляд завершено."))
    if assignment.state in Assignment.OWED_STATES:
        future = [d for _, d in reminder_schedule(due, days_list) if d > today]
        assignment.next_reminder_on = min(future) if future else None


def _reception_journal(city: _City, plans: list[_Plan], rng: random.Random) -> None:
    """Journal entries for the appeals received at receptions, linked to them."""
    mayor = city.heads.get("MR")
    records = []
    for plan in plans:
        a = plan.appeal
        if a.channel not in (Channel.RECEPTION, Channel.VISITING_RECEPTION) or not a.surname:
            continue
        official = a.addressee or mayor or city.heads.get("VK")
        if official is None or a.reg_date is None:
            continue
        title, _unit = city.posts.get(official.pk, ("", city.vk))
        records.append(
            ReceptionRecord(
                unit=a.unit,
                date=a.reg_date,
                official=official,
                official_position=title,
                kind=Kind.VISITING if a.channel == Channel.VISITING_RECEPTION else Kind.PERSONAL,
                surname=a.surname,
                given_name=a.given_name,
                patronymic=a.patronymic,
                address=a.address,
                phone=a.phone,
                summary=a.summary,
                result="Зареєстровано звернення, надано роз'яснення"
                if rng.random() < 0.5
                else "Зареєстровано звернення для розгляду по суті",
                appeal=a,
                recorded_by=city.operator,
            )
        )
    ReceptionRecord.objects.bulk_create(records, batch_size=500)


def _mailbox(city: _City) -> int:
    """A few messages in the mailbox list: drafts for the operators, one that failed."""
    from hromada.appeals import mailbox
    from hromada.appeals.models import MailboxState

    key = f"mayor@mail.{DEMO_DOMAIN}:993/INBOX"
    MailboxState.objects.get_or_create(mailbox=key, defaults={"uid_validity": 1})
    letters = [
        (
            "Бойко Ганна Іванівна <h.boyko@example.org>",
            "Не працює освітлення у дворі",
            "Добрий день! Третій тиждень не працює освітлення у дворі будинку по вул. Свободи, 12.",
        ),
        (
            "Петро Ткачук <tkachuk@example.org>",
            "Яма на дорозі",
            "На перехресті вулиць Миру та Лермонтова велика яма, прошу відремонтувати.",
        ),
        (
            "Мороз Світлана <moroz@example.org>",
            "Субсидія",
            "Прошу роз'яснити, чому мені не призначили субсидію на опалювальний сезон.",
        ),
        ("spam@example.net", "", ""),
    ]
    made = 0
    for uid, (sender, subject, text) in enumerate(letters, start=1):
        message = EmailMessage()
        message["From"] = sender
        message["To"] = "mayor@kr.gov.ua"
        message["Subject"] = subject
        message["Message-ID"] = f"<demo-{uid}@{DEMO_DOMAIN}>"
        message.set_content(text)
        if mailbox.mail_ingest(mailbox=key, uid_validity=1, uid=uid, raw=message.as_bytes()):
            made += 1
    return made


def demo_appeals_loaded() -> bool:
    return (
        ReceptionRoom.objects.exists()
        or Appeal.objects.filter(source_ref__startswith=MARKER).exists()
    )


def load_demo_appeals(*, seed: int = DEFAULT_SEED, appeals: int = DEFAULT_APPEALS) -> str | None:
    """Add the appeals demo data unless it is there (or the demo city is not)."""
    if demo_appeals_loaded():
        return None
    city = _city()
    if city is None:
        return None
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    fake = Faker("uk_UA")
    fake.seed_instance(seed)
    with transaction.atomic():
        room_list = _rooms(city)
        schedules = _schedules(city, rng)
        bookings = _bookings(city, schedules, rng, fake)
        officials = [r.official_id for r in room_list]
        counts = _appeals(city, rng, fake, appeals, officials)
        mails = _mailbox(city)
        audit_record(
            actor=None,
            action="appeals.demo_loaded",
            target=city.vk,
            data={"seed": seed, "rooms": len(room_list), "schedules": len(schedules), **counts},
        )
    seconds = time.monotonic() - started
    return (
        f"Demo appeals loaded in {seconds:.1f} s: {counts['appeals']} appeals "
        f"({counts.get(State.CLOSED, 0)} closed, {counts.get(State.IN_WORK, 0)} in work, "
        f"{counts['repeated']} repeated, {counts.get('duplicate', 0)} duplicate, "
        f"{counts['collective']} collective, {counts.get('anonymous', 0)} anonymous, "
        f"{counts['mass']} mass), {counts['resolutions']} resolutions, "
        f"{counts['answers']} answers, {len(room_list)} reception rooms, "
        f"{len(schedules)} schedules, {bookings} bookings, {mails} mailbox letters."
    )
