"""The demo city: a deterministic, Kryvyi Rih-like organisation with staff and demo logins.

``load_demo()`` builds a plan from a seed (``plan_city``, pure Python, no database) and
writes it in a few bulk inserts with one audit event ``demo.loaded``. The same seed and
the same Faker version always give the same city: the same units, positions and names.

Unit codes are stable: later modules, fixtures and tests refer to them.

Codes under the executive committee and under a district are prefixed with their
parent's code; every code is upper-case ASCII.

======================  ==============================================================
code                    unit
======================  ==============================================================
``MR``                  Криворізька міська рада (council; the root of the tree)
``VK``                  виконавчий комітет міської ради (executive committee)
``VK-ZV``               загальний відділ (канцелярія: registers documents)
``VK-ZG``               відділ звернень громадян (registers citizens' appeals)
``VK-KON``              відділ контролю (execution control, city-wide)
``VK-ORG``              відділ організаційно-протокольної роботи
``VK-KADR``             відділ кадрової роботи та служби персоналу
``VK-BUH``              відділ бухгалтерського обліку
``VK-YU``               юридичне управління
``VK-IKZ``              відділ інформаційно-комп'ютерного забезпечення
``VK-IKZ-ZI``           сектор технічного захисту інформації
``VK-VP``               відділ з питань внутрішньої політики (petitions, civic bodies)
``VK-INF``              відділ інформаційної діяльності та комунікацій з громадськістю
``VK-ARH``              архівний відділ
``VK-EK``               управління економіки (municipal programmes)
``VK-URP``              управління розвитку підприємництва
``VK-DF``               департамент фінансів (``-BUD`` бюджетний відділ, ``-DOH`` доходів)
``VK-DSP``              департамент соціальної політики (``-PIL`` пільг, ``-ADR`` допомоги)
``VK-UBZH``             управління благоустрою та житлової політики
                        (``-BL`` відділ благоустрою, ``-ZHP`` відділ житлової політики)
``VK-DRI``              департамент розвитку інфраструктури міста
``VK-INB``              інспекція з питань благоустрою
``VK-DMZ``              департамент регулювання містобудівної діяльності та земельних
                        відносин (``-MBA`` містобудування й архітектури, ``-ZEM`` земельних)
``VK-UOS``              управління освіти і науки
``VK-UOZ``              управління охорони здоров'я
``VK-UTZ``              управління транспорту та зв'язку
``VK-KUL``              відділ культури
``VK-TUR``              відділ туризму
``VK-SMS``              управління у справах сім'ї, молоді та спорту
``VK-CNAP``             управління адміністративних послуг (ЦНАП)
``VK-NS``               управління з питань надзвичайних ситуацій та цивільного захисту
``VK-UKV``              управління комунальної власності міста
``VK-EKO``              управління екології
``R-DOV`` … ``R-TSM``   the seven district councils: ``R-DOV`` Довгинцівська, ``R-ING``
                        Інгулецька, ``R-MET`` Металургійна, ``R-POK`` Покровська,
                        ``R-SAK`` Саксаганська, ``R-TER`` Тернівська, ``R-TSM``
                        Центрально-Міська районна у місті рада
``R-xxx-VK``            the district council's executive committee, with ``R-xxx-VK-ZV``
                        загальний відділ, ``-ZG`` відділ звернень громадян, ``-KG``
                        відділ комунального господарства, ``-UPSZN`` управління праці та
                        соціального захисту населення, ``-FIN`` фінансовий відділ
``KP-IRM`` …            communal enterprises of the council: ``KP-IRM`` Інститут розвитку
                        міста, ``KP-RUD`` ТРК «Рудана», ``KP-TROL`` Міський тролейбус,
                        ``KP-TRAM`` Швидкісний трамвай, ``KP-VOD`` Кривбасводоканал,
                        ``KP-CHH`` газета «Червоний гірник»
======================  ==============================================================

Roles: the holder of a unit's head position is ``head`` of the unit and its subunits;
other staff are ``executor`` of their own unit. The mayor heads ``MR``; the mayor's
deputies head the units of their portfolios. Operators sit in ``VK-ZG``/``VK-ZV``
(scope ``VK``) and in each district's ``-ZG``/``-ZV`` (scope the district); the staff of
``VK-KON`` are city-wide controllers, and every department of ``VK`` has one controller
of its own. Demo logins (``DEMO_LOGINS``) share the password ``DEMO_PASSWORD``.
See docs/demo.md.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from faker import Faker

from hromada.accounts.models import (
    Employment,
    OrgUnit,
    Position,
    RoleAssignment,
    Substitution,
    User,
)
from hromada.accounts.roles import Role
from hromada.core.audit import audit_record
from hromada.core.calendar import holidays_working_period_create

DEFAULT_SEED = 2015
DEFAULT_OFFICIALS = 760
DEMO_PASSWORD = "demo-hromada-2026"  # noqa: S105 - documented, shared by the demo logins only
DEMO_LOGIN_DOMAIN = "demo.hromada.local"
STAFF_EMAIL_DOMAIN = "demo.kryvyirih.example"
MARKER_CODE = "MR"  # the council; its presence means the demo (or a real city) is loaded

Kind = OrgUnit.Kind
M = TypeVar("M", bound=models.Model)


# --- transliteration (Resolution of the Cabinet of Ministers No. 55 of 27.01.2010) ---------
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia",
}  # fmt: skip
# At the start of a word these letters are written differently (Yenakiieve, Yurii).
_TRANSLIT_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_APOSTROPHES = frozenset("'’ʼ`")


def transliterate(text: str) -> str:
    """Return Ukrainian text in Latin letters by the official table of 2010."""
    out: list[str] = []
    at_word_start = True
    previous = ""
    for char in text:
        if char in _APOSTROPHES:
            continue
        lower = char.lower()
        if lower not in _TRANSLIT:
            out.append(char)
            at_word_start = not char.isalpha()
            previous = ""
            continue
        if lower == "г" and previous == "з":
            latin = "gh"  # зг → zgh, so that it is not read as "zh"
        elif at_word_start and lower in _TRANSLIT_INITIAL:
            latin = _TRANSLIT_INITIAL[lower]
        else:
            latin = _TRANSLIT[lower]
        if char != lower and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
        at_word_start = False
        previous = lower
    return "".join(out)


def email_local_part(surname: str) -> str:
    """Return a lower-case ASCII mailbox name made from a surname."""
    latin = transliterate(surname).lower()
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c == "-") else "-" for c in latin)
    return "-".join(p for p in cleaned.split("-") if p) or "staff"


# --- the structure --------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitSpec:
    """A unit of the demo city; `size` weighs its share of the staff."""

    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    size: int = 0


# Units as text tables, one per line: code, parent, kind, weight of the staff, then
# "name | short name". A district's rows are repeated for each district, with the code
# and parent prefixed by the district's executive committee code.
_EXECUTIVE_UNITS = """
VK-ZV        VK       division     14  Загальний відділ | Загальний відділ
VK-ZG        VK       division     12  Відділ звернень громадян | Відділ звернень
VK-KON       VK       division      8  Відділ контролю | Відділ контролю
VK-ORG       VK       division      9  Відділ організаційно-протокольної роботи | Оргвідділ
VK-KADR      VK       division      7  Відділ кадрової роботи та служби персоналу | Відділ кадрів
VK-BUH       VK       division      7  Відділ бухгалтерського обліку | Бухгалтерія
VK-YU        VK       department   14  Юридичне управління | Юридичне управління
VK-IKZ       VK       division     10  Відділ інформаційно-комп'ютерного забезпечення | Відділ ІКЗ
VK-IKZ-ZI    VK-IKZ   sector        3  Сектор технічного захисту інформації | Сектор ТЗІ
VK-VP        VK       division      8  Відділ з питань внутрішньої політики | Відділ внутрішньої політики
VK-INF       VK       division      7  Відділ інформаційної діяльності та комунікацій з громадськістю | Інформаційний відділ
VK-ARH       VK       division      6  Архівний відділ | Архівний відділ
VK-EK        VK       department   16  Управління економіки | Управління економіки
VK-URP       VK       department   12  Управління розвитку підприємництва | Управління підприємництва
VK-DF        VK       department   16  Департамент фінансів | Департамент фінансів
VK-DF-BUD    VK-DF    division     12  Бюджетний відділ | Бюджетний відділ
VK-DF-DOH    VK-DF    division     10  Відділ доходів | Відділ доходів
VK-DSP       VK       department   16  Департамент соціальної політики | Департамент соцполітики
VK-DSP-PIL   VK-DSP   division     14  Відділ пільг і компенсацій | Відділ пільг
VK-DSP-ADR   VK-DSP   division     12  Відділ адресної допомоги | Відділ допомоги
VK-UBZH      VK       department   10  Управління благоустрою та житлової політики | Управління благоустрою
VK-UBZH-BL   VK-UBZH  division     10  Відділ благоустрою | Відділ благоустрою
VK-UBZH-ZHP  VK-UBZH  division      9  Відділ житлової політики | Відділ житлової політики
VK-DRI       VK       department   22  Департамент розвитку інфраструктури міста | Департамент інфраструктури
VK-INB       VK       other        12  Інспекція з питань благоустрою | Інспекція з благоустрою
VK-DMZ       VK       department   12  Департамент регулювання містобудівної діяльності та земельних відносин | Департамент містобудування
VK-DMZ-MBA   VK-DMZ   division     14  Відділ містобудування та архітектури | Відділ архітектури
VK-DMZ-ZEM   VK-DMZ   division     14  Відділ земельних відносин | Відділ земельних відносин
VK-UOS       VK       department   28  Управління освіти і науки | Управління освіти
VK-UOZ       VK       department   18  Управління охорони здоров'я | Управління охорони здоров'я
VK-UTZ       VK       department   12  Управління транспорту та зв'язку | Управління транспорту
VK-KUL       VK       division      9  Відділ культури | Відділ культури
VK-TUR       VK       division      5  Відділ туризму | Відділ туризму
VK-SMS       VK       department   13  Управління у справах сім'ї, молоді та спорту | Управління сім'ї, молоді та спорту
VK-CNAP      VK       department   34  Управління адміністративних послуг (ЦНАП «Муніципальний центр послуг») | ЦНАП
VK-NS        VK       department   12  Управління з питань надзвичайних ситуацій та цивільного захисту населення | Управління з питань НС
VK-UKV       VK       department   14  Управління комунальної власності міста | Управління власності
VK-EKO       VK       department    8  Управління екології | Управління екології
"""  # noqa: E501

_DISTRICT_UNITS = """
ZV           -        division      6  Загальний відділ | Загальний відділ
ZG           -        division      4  Відділ звернень громадян | Відділ звернень
KG           -        division      6  Відділ комунального господарства | Відділ комунгоспу
UPSZN        -        department   22  Управління праці та соціального захисту населення | Управління соцзахисту
FIN          -        division      5  Фінансовий відділ | Фінансовий відділ
"""  # noqa: E501

_ENTERPRISES = """
KP-IRM       MR       enterprise    8  Комунальне підприємство «Інститут розвитку міста Кривого Рогу» | КП «Інститут розвитку міста»
KP-RUD       MR       enterprise    5  Комунальне підприємство «Телерадіокомпанія «Рудана» | КП ТРК «Рудана»
KP-TROL      MR       enterprise    6  Комунальне підприємство «Міський тролейбус» | КП «Міський тролейбус»
KP-TRAM      MR       enterprise    6  Комунальне підприємство «Швидкісний трамвай» | КП «Швидкісний трамвай»
KP-VOD       MR       enterprise    8  Комунальне підприємство «Кривбасводоканал» | КП «Кривбасводоканал»
KP-CHH       MR       enterprise    4  Редакція міської комунальної газети «Червоний гірник» | Газета «Червоний гірник»
"""  # noqa: E501

# (code suffix, adjective, genitive adjective, weight of the district's staff)
DISTRICTS: tuple[tuple[str, str, str, float], ...] = (
    ("DOV", "Довгинцівська", "Довгинцівської", 1.0),
    ("ING", "Інгулецька", "Інгулецької", 0.7),
    ("MET", "Металургійна", "Металургійної", 1.1),
    ("POK", "Покровська", "Покровської", 1.2),
    ("SAK", "Саксаганська", "Саксаганської", 1.2),
    ("TER", "Тернівська", "Тернівської", 0.9),
    ("TSM", "Центрально-Міська", "Центрально-Міської", 0.9),
)


def _parse_units(table: str) -> list[UnitSpec]:
    specs = []
    for line in table.strip().splitlines():
        code, parent, kind, size, names = line.split(maxsplit=4)
        name, short_name = (part.strip() for part in names.split("|"))
        specs.append(UnitSpec(code, name, short_name, Kind(kind), parent, int(size)))
    return specs


def city_units() -> list[UnitSpec]:
    """Return every unit of the demo city, parents before children, in display order."""
    units = [
        UnitSpec("MR", "Криворізька міська рада", "Міська рада", Kind.COUNCIL, None),
        UnitSpec(
            "VK", "Виконавчий комітет Криворізької міської ради", "Виконком",
            Kind.EXECUTIVE_COMMITTEE, "MR",
        ),
        *_parse_units(_EXECUTIVE_UNITS),
    ]  # fmt: skip
    for suffix, adjective, genitive, weight in DISTRICTS:
        council, executive = f"R-{suffix}", f"R-{suffix}-VK"
        units.append(
            UnitSpec(
                council, f"{adjective} районна у місті рада", f"{adjective} райрада",
                Kind.DISTRICT_COUNCIL, "MR",
            )
        )  # fmt: skip
        units.append(
            UnitSpec(
                executive, f"Виконавчий комітет {genitive} районної у місті ради",
                f"Виконком {genitive} райради", Kind.DISTRICT_EXECUTIVE, council,
            )
        )  # fmt: skip
        for row in _parse_units(_DISTRICT_UNITS):
            units.append(
                UnitSpec(
                    code=f"{executive}-{row.code}",
                    name=f"{row.name} виконкому {genitive} районної у місті ради",
                    short_name=row.short_name,
                    kind=row.kind,
                    parent=executive,
                    size=max(1, round(row.size * weight)),
                )
            )
    units += _parse_units(_ENTERPRISES)
    return units


# The mayor's deputies and the units each oversees (розподіл обов'язків).
_PORTFOLIOS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("перший заступник міського голови", ("VK-DF", "VK-EK", "VK-URP", "VK-UKV", "VK-DMZ")),
    ("заступник міського голови", ("VK-UBZH", "VK-DRI", "VK-INB", "VK-UTZ", "VK-EKO", "VK-NS")),
    ("заступник міського голови", ("VK-DSP", "VK-UOS", "VK-UOZ", "VK-KUL", "VK-TUR", "VK-SMS")),
    ("заступник міського голови", ("VK-VP", "VK-INF", "VK-YU", "VK-CNAP", "VK-IKZ")),
    (
        "керуючий справами виконкому",
        ("VK-ZV", "VK-ZG", "VK-KON", "VK-ORG", "VK-KADR", "VK-BUH", "VK-ARH"),
    ),
)


def _head_title(spec: UnitSpec) -> str:
    if spec.kind == Kind.ENTERPRISE:
        return "головний редактор" if spec.code == "KP-CHH" else "директор"
    if spec.kind == Kind.SECTOR:
        return "завідувач сектору"
    if spec.name.startswith("Департамент"):
        return "директор департаменту"
    if spec.name.startswith("Інспекція"):
        return "начальник інспекції"
    if spec.kind == Kind.DEPARTMENT:
        return "начальник управління"
    return "начальник відділу"


_DEPUTY_TITLES = {
    "директор": "заступник директора",
    "головний редактор": "заступник головного редактора",
    "директор департаменту": "заступник директора департаменту",
    "начальник інспекції": "заступник начальника інспекції",
    "начальник управління": "заступник начальника управління",
    "начальник відділу": "заступник начальника відділу",
}

_OFFICIAL_GRADES = (
    ("головний спеціаліст", 40),
    ("провідний спеціаліст", 25),
    ("спеціаліст I категорії", 20),
    ("спеціаліст II категорії", 10),
    ("спеціаліст", 5),
)
_ENTERPRISE_GRADES = (
    ("інженер", 30),
    ("провідний інженер", 15),
    ("фахівець", 25),
    ("економіст", 10),
    ("юрисконсульт", 5),
    ("диспетчер", 15),
)


# --- the plan -------------------------------------------------------------------------------
# A role to hold: (role, unit code or None for the whole city, include subunits).
GrantSpec = tuple[str, str | None, bool]


@dataclass
class PersonPlan:
    """One person of the demo: name, e-mail, position and roles."""

    surname: str
    given_name: str
    patronymic: str
    email: str
    unit: str | None  # None: no position (the demo citizen)
    title: str = ""
    is_head: bool = False
    start: date = date(2020, 1, 1)
    grants: list[GrantSpec] = field(default_factory=list)
    login_role: str = ""  # set for the demo logins
    is_superuser: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.given_name} {self.patronymic}"


@dataclass(frozen=True)
class SubstitutionPlan:
    """A head away on leave and the deputy acting for them, in days from today."""

    absent: int  # index into CityPlan.people
    substitute: int
    starts_in: int
    days: int
    reason: str


@dataclass
class CityPlan:
    """Everything the demo writes, built without touching the database."""

    units: list[UnitSpec]
    people: list[PersonPlan]
    substitutions: list[SubstitutionPlan]

    @property
    def officials(self) -> list[PersonPlan]:
        return [p for p in self.people if not p.login_role]

    def names_digest(self) -> str:
        """Return a SHA-256 of the sorted full names (a fingerprint of the generated people)."""
        names = sorted(p.full_name for p in self.officials)
        return hashlib.sha256("\n".join(names).encode()).hexdigest()


@dataclass(frozen=True)
class DemoLogin:
    """A demo account: one per role, all with DEMO_PASSWORD."""

    role: str
    surname: str
    given_name: str
    patronymic: str
    unit: str | None
    title: str
    scope: str | None  # unit code of the role, None: the whole city
    mailbox: str = ""  # the e-mail's local part when not the role's name (a second login)

    @property
    def email(self) -> str:
        return f"{self.mailbox or self.role.replace('_', '-')}@{DEMO_LOGIN_DOMAIN}"


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(Role.CITIZEN, "Коваленко", "Марія", "Іванівна", None, "", None),
    DemoLogin(
        Role.OPERATOR, "Шевчук", "Оксана", "Петрівна", "VK-ZG", "головний спеціаліст", "VK"
    ),
    DemoLogin(
        Role.EXECUTOR, "Бондаренко", "Андрій", "Миколайович", "VK-UBZH-BL",
        "провідний спеціаліст", "VK-UBZH-BL",
    ),
    DemoLogin(
        Role.HEAD, "Ткаченко", "Василь", "Олександрович", "VK-UBZH", "начальник управління",
        "VK-UBZH",
    ),
    DemoLogin(
        Role.CONTROLLER, "Мельник", "Ірина", "Василівна", "VK-KON", "головний спеціаліст", None
    ),
    DemoLogin(
        Role.COORDINATOR, "Кравченко", "Наталія", "Сергіївна", "VK-EK", "головний спеціаліст",
        None,
    ),
    DemoLogin(
        Role.EDITOR, "Олійник", "Дмитро", "Юрійович", "VK-INF", "провідний спеціаліст", None
    ),
    # A department's editor (the city-wide editor above is the press office): writes in the
    # section "Освіта і наука" and submits for the press office's approval (docs/content.md).
    DemoLogin(
        Role.EDITOR, "Гнатюк", "Олена", "Миколаївна", "VK-UOS", "головний спеціаліст",
        "VK-UOS", mailbox="section-editor",
    ),
    DemoLogin(
        Role.MODERATOR, "Лисенко", "Тетяна", "Володимирівна", "VK-VP", "головний спеціаліст",
        None,
    ),
    DemoLogin(
        Role.ADMIN, "Марченко", "Олег", "Вікторович", "VK-IKZ",
        "головний спеціаліст (адміністратор системи)", None,
    ),
    DemoLogin(
        Role.SECURITY_OFFICER, "Савченко", "Юлія", "Андріївна", "VK-IKZ-ZI",
        "головний спеціаліст з питань захисту інформації", None,
    ),
)  # fmt: skip


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder; ties by position)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


@dataclass
class _Slot:
    unit: str
    title: str
    is_head: bool
    grants: list[GrantSpec]
    female_share: float


def _leadership_slots() -> list[_Slot]:
    slots = [
        _Slot("MR", "міський голова", True, [(Role.HEAD, "MR", True)], 0.3),
        _Slot("MR", "секретар міської ради", False, [(Role.EXECUTOR, "MR", False)], 0.4),
    ]
    for title, portfolio in _PORTFOLIOS:
        grants: list[GrantSpec] = [(Role.HEAD, code, True) for code in portfolio]
        slots.append(_Slot("VK", title, False, grants, 0.4))
    for suffix, *_ in DISTRICTS:
        council, executive = f"R-{suffix}", f"R-{suffix}-VK"
        slots += [
            _Slot(council, "голова районної у місті ради", True, [(Role.HEAD, council, True)],
                  0.3),
            _Slot(council, "секретар районної у місті ради", False,
                  [(Role.EXECUTOR, council, False)], 0.5),
            _Slot(executive, "заступник голови районної у місті ради", False,
                  [(Role.HEAD, executive, True)], 0.4),
            _Slot(executive, "заступник голови районної у місті ради", False,
                  [(Role.HEAD, executive, True)], 0.4),
            _Slot(executive, "керуючий справами виконкому районної у місті ради", False,
                  [(Role.HEAD, f"{executive}-ZV", True), (Role.HEAD, f"{executive}-ZG", True)],
                  0.6),
        ]  # fmt: skip
    return slots


def _staff_slots(units: list[UnitSpec], officials: int, rng: random.Random) -> list[_Slot]:
    """Return the officials' posts, most important first, exactly `officials` of them."""
    reserved_heads = {login.unit for login in DEMO_LOGINS if login.role == Role.HEAD}
    ordinary = [u for u in units if u.size > 0]
    slots = _leadership_slots()
    for unit in ordinary:
        if unit.code not in reserved_heads:
            slots.append(
                _Slot(unit.code, _head_title(unit), True, [(Role.HEAD, unit.code, True)], 0.5)
            )
    if len(slots) >= officials:
        return slots[:officials]
    # The heads are placed; the other staff are shared out by the units' sizes.
    shares = _apportion(officials - len(slots), [u.size for u in ordinary])
    for unit, share in zip(ordinary, shares, strict=True):
        head = _head_title(unit)
        deputies = (2 if share >= 30 else 1 if share >= 7 else 0) if head in _DEPUTY_TITLES else 0
        grades = _ENTERPRISE_GRADES if unit.kind == Kind.ENTERPRISE else _OFFICIAL_GRADES
        titles = [t for t, _ in grades]
        weights = [w for _, w in grades]
        for i in range(share):
            title = _DEPUTY_TITLES[head] if i < deputies else rng.choices(titles, weights)[0]
            slots.append(_Slot(unit.code, title, False, [(Role.EXECUTOR, unit.code, False)], 0.72))
    return slots


def _add_special_roles(slots: list[_Slot], units: list[UnitSpec], rng: random.Random) -> None:
    """Give operators, controllers, coordinators, editors, moderators and admins their roles."""
    by_unit: dict[str, list[_Slot]] = defaultdict(list)
    for slot in slots:
        by_unit[slot.unit].append(slot)

    def pick(unit: str, count: int, heads: bool = False) -> list[_Slot]:
        pool = [s for s in by_unit.get(unit, []) if s.is_head == heads]
        return rng.sample(pool, min(count, len(pool)))

    def grant(chosen: Iterable[_Slot], role: str, scope: str | None) -> None:
        for slot in chosen:
            slot.grants.append((role, scope, True))

    grant(pick("VK-ZG", 3), Role.OPERATOR, "VK")
    grant(pick("VK-ZV", 2), Role.OPERATOR, "VK")
    grant(by_unit.get("VK-KON", []), Role.CONTROLLER, None)
    for unit in units:
        if unit.parent == "VK" and unit.kind == Kind.DEPARTMENT:
            grant(pick(unit.code, 1), Role.CONTROLLER, unit.code)
    for suffix, *_ in DISTRICTS:
        council, executive = f"R-{suffix}", f"R-{suffix}-VK"
        grant(pick(f"{executive}-ZG", 1), Role.OPERATOR, council)
        # The district's general office registers, controls, administers and publishes.
        roles = (Role.OPERATOR, Role.CONTROLLER, Role.ADMIN, Role.EDITOR)
        for slot, role in zip(pick(f"{executive}-ZV", len(roles)), roles, strict=False):
            slot.grants.append((role, council, True))
    grant(pick("VK-EK", 2), Role.COORDINATOR, None)
    grant(pick("VK-DF", 1), Role.COORDINATOR, None)
    grant(pick("VK-INF", 2), Role.EDITOR, None)
    grant(pick("VK-VP", 1), Role.MODERATOR, None)
    grant(pick("VK-IKZ", 1, heads=True) + pick("VK-IKZ", 1), Role.ADMIN, None)
    grant(pick("VK-IKZ-ZI", 1, heads=True), Role.SECURITY_OFFICER, None)


def _name(fake: Any, female: bool) -> tuple[str, str, str]:
    if female:
        return fake.last_name_female(), fake.first_name_female(), fake.middle_name_female()
    return fake.last_name_male(), fake.first_name_male(), fake.middle_name_male()


def plan_city(*, seed: int = DEFAULT_SEED, officials: int = DEFAULT_OFFICIALS) -> CityPlan:
    """Return the demo city for a seed: units, officials with posts and roles, demo logins."""
    if officials < 0:
        raise ValueError("The number of officials must not be negative.")
    rng = random.Random(seed)
    fake = Faker("uk_UA")
    fake.seed_instance(seed)
    units = city_units()
    slots = _staff_slots(units, officials, rng)
    _add_special_roles(slots, units, rng)

    mailboxes: dict[str, int] = defaultdict(int)
    people: list[PersonPlan] = []
    first_day = date(2005, 1, 1).toordinal()
    last_day = date(2024, 12, 31).toordinal()
    for slot in slots:
        surname, given_name, patronymic = _name(fake, rng.random() < slot.female_share)
        local = email_local_part(surname)
        mailboxes[local] += 1
        people.append(
            PersonPlan(
                surname=surname,
                given_name=given_name,
                patronymic=patronymic,
                email=f"{local}.{mailboxes[local]}@{STAFF_EMAIL_DOMAIN}",
                unit=slot.unit,
                title=slot.title,
                is_head=slot.is_head,
                start=date.fromordinal(rng.randint(first_day, last_day)),
                grants=list(dict.fromkeys(slot.grants)),
            )
        )
    for login in DEMO_LOGINS:
        people.append(
            PersonPlan(
                surname=login.surname,
                given_name=login.given_name,
                patronymic=login.patronymic,
                email=login.email,
                unit=login.unit,
                title=login.title,
                is_head=login.role == Role.HEAD,
                grants=[(login.role, login.scope, login.role != Role.EXECUTOR)],
                login_role=login.role,
                is_superuser=login.role == Role.ADMIN,
            )
        )
    return CityPlan(units=units, people=people, substitutions=_substitutions(people, rng))


def _substitutions(people: list[PersonPlan], rng: random.Random) -> list[SubstitutionPlan]:
    """Return a few heads on leave with a deputy acting for them (now and soon)."""
    heads: dict[str, int] = {}
    deputies: dict[str, int] = {}
    for index, person in enumerate(people):
        if person.login_role or person.unit is None:
            continue
        if person.is_head:
            heads.setdefault(person.unit, index)
        elif person.title.startswith("заступник ") and person.unit.startswith("VK-"):
            deputies.setdefault(person.unit, index)
    pairs = sorted((heads[u], deputies[u]) for u in deputies if u in heads)
    chosen = rng.sample(pairs, min(5, len(pairs)))
    plans = []
    for n, (absent, substitute) in enumerate(chosen):
        # Most are under way today; the last one starts next month.
        starts_in = 20 if n == len(chosen) - 1 else -rng.randint(0, 10)
        reason = "щорічна основна відпустка" if n % 2 == 0 else "відрядження"
        plans.append(SubstitutionPlan(absent, substitute, starts_in, 14, reason))
    return plans


# --- writing --------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoSummary:
    """What load_demo wrote (or found, when the demo was already there)."""

    created: bool
    units: int
    positions: int
    officials: int
    demo_accounts: int
    role_assignments: int
    substitutions: int
    seconds: float = 0.0
    names_digest: str = ""

    def as_dict(self) -> dict[str, int]:
        return {
            "units": self.units,
            "positions": self.positions,
            "officials": self.officials,
            "demo_accounts": self.demo_accounts,
            "role_assignments": self.role_assignments,
            "substitutions": self.substitutions,
        }


def demo_is_loaded() -> bool:
    """Return whether the demo city (its council unit) is already in the database."""
    return OrgUnit.objects.filter(code=MARKER_CODE).exists()


def _bulk_create(model: type[M], objects: list[M]) -> list[M]:
    """Insert rows in batches and make sure each object has its primary key."""
    if connection.features.can_return_rows_from_bulk_insert:
        return model._default_manager.bulk_create(objects, batch_size=500)
    for obj in objects:  # pragma: no cover - every supported database returns the keys
        obj.save(force_insert=True)
    return objects


def _write_units(specs: list[UnitSpec], rng: random.Random, fake: Any) -> dict[str, OrgUnit]:
    """Insert the units level by level; paths are set here because bulk_create skips save()."""
    by_code: dict[str, OrgUnit] = {}
    order_in_parent: dict[str | None, int] = defaultdict(int)
    depth_of: dict[str, int] = {}
    levels: dict[int, list[UnitSpec]] = defaultdict(list)
    for spec in specs:
        depth_of[spec.code] = 0 if spec.parent is None else depth_of[spec.parent] + 1
        levels[depth_of[spec.code]].append(spec)
    district_address: dict[str, str] = {}
    for depth in sorted(levels):
        rows = []
        for spec in levels[depth]:
            order_in_parent[spec.parent] += 1
            district = spec.code[:5] if spec.code.startswith("R-") else ""
            if district and district not in district_address:
                district_address[district] = f"{fake.street_address()}, м. Кривий Ріг"
            rows.append(
                OrgUnit(
                    code=spec.code,
                    name=spec.name,
                    short_name=spec.short_name,
                    kind=spec.kind,
                    parent=by_code[spec.parent] if spec.parent else None,
                    order=order_in_parent[spec.parent] * 10,
                    email=f"{spec.code.lower()}@{STAFF_EMAIL_DOMAIN}",
                    phone=f"(056) 4{rng.randint(10, 99)}-{rng.randint(10, 99)}-"
                    f"{rng.randint(10, 99)}",
                    address=district_address.get(district)
                    or "пл. Молодіжна, 1, м. Кривий Ріг, 50101",
                )
            )
        _bulk_create(OrgUnit, rows)
        for unit in rows:
            parent_path = unit.parent.path if unit.parent else "/"
            unit.path = f"{parent_path}{OrgUnit.path_segment(unit.pk)}/"
            unit.depth = depth
            by_code[unit.code] = unit
        OrgUnit.objects.bulk_update(rows, ["path", "depth"], batch_size=500)
    return by_code


@transaction.atomic
def load_demo(*, seed: int = DEFAULT_SEED, officials: int = DEFAULT_OFFICIALS) -> DemoSummary:
    """Load the demo city unless it is already there (then change nothing)."""
    began = time.monotonic()
    if demo_is_loaded():
        return DemoSummary(
            created=False,
            units=OrgUnit.objects.count(),
            positions=Position.objects.count(),
            officials=User.objects.filter(email__endswith=f"@{STAFF_EMAIL_DOMAIN}").count(),
            demo_accounts=User.objects.filter(email__endswith=f"@{DEMO_LOGIN_DOMAIN}").count(),
            role_assignments=RoleAssignment.objects.count(),
            substitutions=Substitution.objects.count(),
        )
    plan = plan_city(seed=seed, officials=officials)
    rng = random.Random(seed + 1)
    fake = Faker("uk_UA")
    fake.seed_instance(seed + 1)
    units = _write_units(plan.units, rng, fake)

    # Positions in the order of the plan; a unit's head post is listed first.
    counter: dict[str, int] = defaultdict(int)
    positions: list[Position | None] = []
    for person in plan.people:
        if person.unit is None:
            positions.append(None)
            continue
        counter[person.unit] += 1
        positions.append(
            Position(
                unit=units[person.unit],
                title=person.title,
                is_head=person.is_head,
                order=0 if person.is_head else counter[person.unit],
            )
        )
    _bulk_create(Position, [p for p in positions if p is not None])

    # Officials cannot log in until they set a password (no Argon2 cost per row); the
    # demo logins share one hash, computed once.
    demo_hash = make_password(DEMO_PASSWORD)
    users = _bulk_create(
        User,
        [
            User(
                email=p.email,
                surname=p.surname,
                given_name=p.given_name,
                patronymic=p.patronymic,
                password=demo_hash if p.login_role else make_password(None),
                is_staff=p.unit is not None,
                is_superuser=p.is_superuser,
            )
            for p in plan.people
        ],
    )
    _write_email_addresses(users)

    _bulk_create(
        Employment,
        [
            Employment(user=user, position=position, start=person.start)
            for person, user, position in zip(plan.people, users, positions, strict=True)
            if position is not None
        ],
    )
    grants = _bulk_create(
        RoleAssignment,
        [
            RoleAssignment(
                user=user,
                role=role,
                unit=units[scope] if scope else None,
                include_subunits=with_subunits,
            )
            for person, user in zip(plan.people, users, strict=True)
            for role, scope, with_subunits in person.grants
        ],
    )
    today = timezone.localdate()
    substitutions = _bulk_create(
        Substitution,
        [
            Substitution(
                absent=users[s.absent],
                substitute=users[s.substitute],
                start=today + timedelta(days=s.starts_in),
                end=today + timedelta(days=s.starts_in + s.days - 1),
                reason=s.reason,
            )
            for s in plan.substitutions
        ],
    )
    summary = DemoSummary(
        created=True,
        units=len(units),
        positions=sum(1 for p in positions if p is not None),
        officials=len(plan.officials),
        demo_accounts=len(DEMO_LOGINS),
        role_assignments=len(grants),
        substitutions=len(substitutions),
        seconds=round(time.monotonic() - began, 2),
        names_digest=plan.names_digest(),
    )
    # Under martial law (from 24.02.2022) public holidays are working days; the demo city
    # runs under it, so its terms count holidays as working days.
    holidays_working_period_create(
        start=date(2022, 2, 24), note="Воєнний стан (Указ Президента № 64/2022)"
    )
    audit_record(
        actor=None,
        action="demo.loaded",
        target=units[MARKER_CODE],
        data={"seed": seed, **summary.as_dict()},
    )
    return summary


def _write_email_addresses(users: list[User]) -> None:
    """Mark every demo address verified and primary, so that allauth lets them log in."""
    from allauth.account.models import EmailAddress

    _bulk_create(
        EmailAddress,
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
    )


def format_logins() -> str:
    """Return the demo logins as a plain-text table (role, e-mail, password, post)."""
    rows = [("role", "e-mail", "password", "post")]
    for login in DEMO_LOGINS:
        post = f"{login.title}, {login.unit}" if login.unit else "—"
        rows.append((login.role, login.email, DEMO_PASSWORD, post))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for row in rows:
        lines.append("  ".join([*(row[i].ljust(widths[i]) for i in range(3)), row[3]]))
    lines.insert(1, "  ".join("-" * w for w in [*widths, 4]))
    return "\n".join(lines)
