"""The demo city's resource centre: 15 rubrics, 167 resources, 17,000 objects, 5,000 passports.

Everything is generated deterministically from a seed and written in bulk (a few seconds
on SQLite). Owners are units of the demo city (``hromada.accounts.demo``).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from hromada.accounts.models import OrgUnit
from hromada.core.audit import audit_record
from hromada.portal.models import (
    BuildingPassport,
    BuildingRepair,
    ManagerKind,
    Poll,
    PollOption,
    PollVote,
    Resource,
    ResourceObject,
    Rubric,
    Supply,
    WallMaterial,
    passport_address,
)
from hromada.portal.search import normalise
from hromada.portal.search_counts import counts_change, object_row, objects_counted
from hromada.portal.sorting import natural_key

DEMO_SEED = 6
DEMO_OBJECTS = 17_000
DEMO_PASSPORTS = 5_000

# District: (code, genitive adjective for names, centre latitude, centre longitude, weight).
DISTRICTS: tuple[tuple[str, str, float, float, float], ...] = (
    ("DOV", "Довгинцівського", 47.925, 33.495, 1.0),
    ("ING", "Інгулецького", 47.720, 33.255, 0.6),
    ("MET", "Металургійного", 47.890, 33.400, 1.1),
    ("POK", "Покровського", 47.980, 33.430, 1.2),
    ("SAK", "Саксаганського", 47.940, 33.440, 1.2),
    ("TER", "Тернівського", 48.030, 33.405, 0.9),
    ("TSM", "Центрально-Міського", 47.910, 33.360, 0.9),
)

STREETS = (
    "вул. Шевченка",
    "вул. Лесі Українки",
    "вул. Івана Франка",
    "просп. Миру",
    "просп. Металургів",
    "просп. Поштовий",
    "просп. Гагаріна",
    "просп. Південний",
    "вул. Володимира Великого",
    "вул. Соборності",
    "вул. Героїв АТО",
    "вул. Європейська",
    "вул. Віталія Матусевича",
    "вул. Церковна",
    "вул. Кобилянського",
    "вул. Симонова",
    "вул. Тбіліська",
    "вул. Каховська",
    "вул. Недєліна",
    "вул. Електрозаводська",
    "вул. Вечірньокутська",
    "вул. Мелешкіна",
    "вул. Співдружності",
    "вул. Підлісна",
    "вул. Бикова",
    "вул. Короленка",
    "вул. Ватутіна",
    "вул. Тернівська",
    "вул. Купріна",
    "вул. Коротченка",
    "вул. Дніпровське шосе",
    "вул. Кропивницького",
    "вул. Нікопольське шосе",
    "вул. Сергія Колачевського",
    "вул. Спаська",
    "вул. Водоспусковий узвіз",
    "вул. Степана Тільги",
    "вул. Отто Шмідта",
    "вул. Криворіжсталі",
    "вул. Бородінська",
    "вул. Січеславська",
    "вул. Олександра Поля",
    "вул. Святомиколаївська",
    "вул. Юрія Кондратюка",
    "вул. Костенка",
    "вул. Гетьманська",
    "вул. Пушкіна",
    "вул. Незалежності України",
    "вул. Миколаївське шосе",
    "вул. Мусоргського",
)

# Attribute schemas: (name, label, type, required, choices).
_A = tuple[str, str, str, bool, list[str]]
SCHEMAS: dict[str, list[_A]] = {
    "school": [
        ("number", "Номер закладу", "integer", False, []),
        ("pupils", "Кількість учнів", "integer", False, []),
        ("inclusive", "Інклюзивне навчання", "boolean", False, []),
        ("shelter", "Є укриття", "boolean", False, []),
    ],
    "kindergarten": [
        ("places", "Кількість місць", "integer", False, []),
        ("groups", "Кількість груп", "integer", False, []),
        ("inclusive", "Інклюзивні групи", "boolean", False, []),
    ],
    "health": [
        ("ownership", "Форма власності", "choice", True, ["комунальна", "приватна"]),
        ("declarations", "Приймає декларації", "boolean", False, []),
        ("accessible", "Доступно для маломобільних", "boolean", False, []),
    ],
    "pharmacy": [
        ("open_sunday", "Працює в неділю", "boolean", False, []),
        ("round_clock", "Цілодобово", "boolean", False, []),
        ("affordable", "Програма «Доступні ліки»", "boolean", False, []),
    ],
    "sport": [
        ("surface", "Покриття", "choice", False, ["штучне", "асфальт", "ґрунт", "паркет"]),
        ("lighting", "Освітлення", "boolean", False, []),
        ("free", "Безоплатний доступ", "boolean", False, []),
    ],
    "culture": [
        ("capacity", "Місткість, осіб", "integer", False, []),
        ("free", "Вхід вільний", "boolean", False, []),
        ("accessible", "Доступно для маломобільних", "boolean", False, []),
    ],
    "stop": [
        ("transport", "Вид транспорту", "choice", True, ["автобус", "тролейбус", "трамвай"]),
        ("routes", "Маршрути", "text", False, []),
        ("pavilion", "Є павільйон", "boolean", False, []),
    ],
    "shop": [
        ("open_sunday", "Працює в неділю", "boolean", False, []),
        ("card", "Оплата карткою", "boolean", False, []),
    ],
    "service": [
        ("accessible", "Доступно для маломобільних", "boolean", False, []),
        ("online", "Запис онлайн", "boolean", False, []),
    ],
    "shelter": [
        ("kind", "Тип", "choice", True, ["найпростіше укриття", "сховище", "ПРУ"]),
        ("capacity", "Місткість, осіб", "integer", False, []),
        ("round_clock", "Відкрите цілодобово", "boolean", False, []),
    ],
    "generic": [("accessible", "Доступно для маломобільних", "boolean", False, [])],
}


@dataclass(frozen=True)
class ResourceSpec:
    slug: str
    name: str  # for a per-district resource: "… {district} району"
    schema: str
    weight: float  # share of the demo objects (divided among districts)
    object_name: str  # "{n}" number, "{street}" street name
    per_district: bool = False
    unit: str = ""  # unit code; default: the rubric's


# (slug, name, owner unit code, resources)
RUBRICS: tuple[tuple[str, str, str, tuple[ResourceSpec, ...]], ...] = (
    (
        "osvita",
        "Освіта",
        "VK-UOS",
        (
            ResourceSpec(
                "shkoly",
                "Заклади загальної середньої освіти {district} району",
                "school",
                6,
                "Криворізька гімназія № {n}",
                True,
            ),
            ResourceSpec(
                "sadky",
                "Заклади дошкільної освіти {district} району",
                "kindergarten",
                8,
                "Заклад дошкільної освіти № {n}",
                True,
            ),
            ResourceSpec(
                "pozashkilni",
                "Заклади позашкільної освіти",
                "generic",
                1.2,
                "Центр дитячої та юнацької творчості № {n}",
            ),
            ResourceSpec(
                "profosvita",
                "Заклади професійної освіти",
                "generic",
                0.5,
                "Криворізький професійний ліцей № {n}",
            ),
            ResourceSpec(
                "vyshcha", "Заклади вищої освіти", "generic", 0.3, "Корпус університету № {n}"
            ),
        ),
    ),
    (
        "zdorovia",
        "Охорона здоров'я",
        "VK-UOZ",
        (
            ResourceSpec(
                "ambulatorii",
                "Амбулаторії загальної практики {district} району",
                "health",
                5,
                "Амбулаторія загальної практики № {n}",
                True,
            ),
            ResourceSpec(
                "polikliniky",
                "Поліклініки {district} району",
                "health",
                2,
                "Поліклініка № {n}",
                True,
            ),
            ResourceSpec("likarni", "Лікарні", "health", 0.8, "Міська лікарня № {n}"),
            ResourceSpec(
                "stomatolohii",
                "Стоматологічні поліклініки",
                "health",
                1.5,
                "Стоматологічна поліклініка № {n}",
            ),
            ResourceSpec("shcheplennia", "Пункти щеплення", "health", 1.0, "Пункт щеплення № {n}"),
        ),
    ),
    (
        "apteky",
        "Аптеки",
        "VK-UOZ",
        (
            ResourceSpec(
                "apteky", "Аптеки {district} району", "pharmacy", 14, "Аптека № {n}", True
            ),
            ResourceSpec(
                "apteky-tsilodobovi",
                "Цілодобові аптеки",
                "pharmacy",
                1.0,
                "Цілодобова аптека № {n}",
            ),
            ResourceSpec(
                "apteky-pilhovi",
                "Аптеки пільгового відпуску ліків",
                "pharmacy",
                1.5,
                "Аптечний пункт № {n}",
            ),
        ),
    ),
    (
        "sport",
        "Спорт",
        "VK-SMS",
        (
            ResourceSpec(
                "maidanchyky",
                "Спортивні майданчики {district} району",
                "sport",
                10,
                "Спортивний майданчик № {n}",
                True,
            ),
            ResourceSpec("stadiony", "Стадіони", "sport", 0.4, "Стадіон № {n}"),
            ResourceSpec("baseiny", "Басейни", "sport", 0.3, "Басейн № {n}"),
            ResourceSpec(
                "sportshkoly",
                "Спортивні школи",
                "sport",
                0.5,
                "Дитячо-юнацька спортивна школа № {n}",
            ),
            ResourceSpec("sportzaly", "Спортивні зали", "sport", 2, "Спортивний зал № {n}"),
        ),
    ),
    (
        "kultura",
        "Культура",
        "VK-KUL",
        (
            ResourceSpec(
                "biblioteky",
                "Бібліотеки {district} району",
                "culture",
                3,
                "Бібліотека-філія № {n}",
                True,
            ),
            ResourceSpec("muzei", "Музеї", "culture", 0.3, "Музей № {n}"),
            ResourceSpec("teatry", "Театри", "culture", 0.2, "Театр № {n}"),
            ResourceSpec(
                "palatsy-kultury",
                "Палаци і будинки культури",
                "culture",
                0.6,
                "Палац культури № {n}",
            ),
            ResourceSpec("kinoteatry", "Кінотеатри", "culture", 0.2, "Кінотеатр № {n}"),
            ResourceSpec(
                "pamiatky", "Пам'ятки історії та архітектури", "culture", 2.5, "Пам'ятка № {n}"
            ),
        ),
    ),
    (
        "transport",
        "Транспорт",
        "VK-UTZ",
        (
            ResourceSpec(
                "zupynky",
                "Зупинки громадського транспорту {district} району",
                "stop",
                60,
                "Зупинка «{street}»",
                True,
            ),
            ResourceSpec(
                "shvydkisnyi-tramvai",
                "Станції швидкісного трамваю",
                "stop",
                0.3,
                "Станція швидкісного трамваю № {n}",
                unit="KP-TRAM",
            ),
            ResourceSpec("avtostantsii", "Автостанції", "generic", 0.1, "Автостанція № {n}"),
            ResourceSpec(
                "parkuvannia",
                "Майданчики для паркування",
                "generic",
                6,
                "Майданчик для паркування № {n}",
            ),
            ResourceSpec("veloparkovky", "Велопарковки", "generic", 3, "Велопарковка № {n}"),
            ResourceSpec("taksi", "Стоянки таксі", "generic", 1.5, "Стоянка таксі № {n}"),
        ),
    ),
    (
        "torhivlia",
        "Торгівля і побутові послуги",
        "VK-URP",
        (
            ResourceSpec(
                "mahazyny",
                "Продовольчі магазини {district} району",
                "shop",
                30,
                "Магазин «Продукти» № {n}",
                True,
            ),
            ResourceSpec("rynky", "Ринки", "shop", 0.6, "Ринок № {n}"),
            ResourceSpec("perukarni", "Перукарні", "shop", 5, "Перукарня № {n}"),
            ResourceSpec(
                "remont-vzuttia", "Ремонт взуття", "shop", 2, "Майстерня з ремонту взуття № {n}"
            ),
            ResourceSpec("khimchystky", "Хімчистки і пральні", "shop", 1, "Хімчистка № {n}"),
        ),
    ),
    (
        "posluhy",
        "Адміністративні послуги",
        "VK-CNAP",
        (
            ResourceSpec(
                "tsnap",
                "Центри надання адміністративних послуг",
                "service",
                0.3,
                "ЦНАП, віддалене робоче місце № {n}",
            ),
            ResourceSpec(
                "poshta",
                "Відділення поштового зв'язку {district} району",
                "service",
                4,
                "Відділення поштового зв'язку № {n}",
                True,
            ),
            ResourceSpec("banky", "Відділення банків", "service", 4, "Відділення банку № {n}"),
            ResourceSpec(
                "notariusy", "Нотаріальні контори", "service", 1.5, "Нотаріальна контора № {n}"
            ),
            ResourceSpec(
                "rats",
                "Відділи реєстрації актів цивільного стану",
                "service",
                0.2,
                "Відділ ДРАЦС № {n}",
            ),
        ),
    ),
    (
        "sotszakhyst",
        "Соціальний захист",
        "VK-DSP",
        (
            ResourceSpec(
                "terytsentry",
                "Територіальні центри соціального обслуговування {district} району",
                "service",
                0.8,
                "Відділення територіального центру № {n}",
                True,
            ),
            ResourceSpec(
                "punkty-nezlamnosti", "Пункти незламності", "service", 3, "Пункт незламності № {n}"
            ),
            ResourceSpec(
                "internaty",
                "Будинки-інтернати і центри догляду",
                "service",
                0.2,
                "Центр догляду № {n}",
            ),
        ),
    ),
    (
        "bezpeka",
        "Безпека і цивільний захист",
        "VK-NS",
        (
            ResourceSpec(
                "ukryttia", "Укриття {district} району", "shelter", 40, "Укриття № {n}", True
            ),
            ResourceSpec(
                "pozhezhni",
                "Пожежно-рятувальні частини",
                "generic",
                0.3,
                "Пожежно-рятувальна частина № {n}",
            ),
            ResourceSpec(
                "politsiia",
                "Поліцейські станції {district} району",
                "service",
                0.8,
                "Поліцейська станція № {n}",
                True,
            ),
        ),
    ),
    (
        "zhytlo",
        "Житлово-комунальне господарство",
        "VK-UBZH-ZHP",
        (
            ResourceSpec(
                "upravyteli",
                "Управителі багатоквартирних будинків",
                "service",
                1,
                "Управитель будинків № {n}",
            ),
            ResourceSpec(
                "osbb",
                "Об'єднання співвласників багатоквартирних будинків",
                "service",
                6,
                "ОСББ «{street}»",
            ),
            ResourceSpec("kotelni", "Котельні", "generic", 2, "Котельня № {n}"),
            ResourceSpec(
                "avariini", "Аварійні служби", "service", 0.3, "Аварійно-диспетчерська служба № {n}"
            ),
            ResourceSpec(
                "kolonky",
                "Водорозбірні колонки {district} району",
                "generic",
                14,
                "Водорозбірна колонка № {n}",
                True,
                "KP-VOD",
            ),
            ResourceSpec(
                "konteinery",
                "Контейнерні майданчики {district} району",
                "generic",
                45,
                "Контейнерний майданчик № {n}",
                True,
            ),
        ),
    ),
    (
        "blahoustrii",
        "Благоустрій і довкілля",
        "VK-UBZH-BL",
        (
            ResourceSpec("parky", "Парки і сквери", "generic", 1, "Сквер № {n}"),
            ResourceSpec(
                "dytiachi-maidanchyky",
                "Дитячі майданчики {district} району",
                "sport",
                24,
                "Дитячий майданчик № {n}",
                True,
            ),
            ResourceSpec("fontany", "Фонтани", "generic", 0.2, "Фонтан № {n}"),
            ResourceSpec(
                "vtorsyrovyna",
                "Пункти приймання вторинної сировини",
                "service",
                1,
                "Пункт приймання вторсировини № {n}",
            ),
            ResourceSpec(
                "zeleni-zony",
                "Зелені зони відпочинку",
                "generic",
                0.8,
                "Зелена зона № {n}",
                unit="VK-EKO",
            ),
        ),
    ),
    (
        "turyzm",
        "Туризм і відпочинок",
        "VK-TUR",
        (
            ResourceSpec("hoteli", "Готелі", "service", 0.6, "Готель № {n}"),
            ResourceSpec(
                "turobiekty", "Туристичні об'єкти", "culture", 1, "Туристичний об'єкт № {n}"
            ),
            ResourceSpec("zaklady-kharchuvannia", "Заклади харчування", "shop", 6, "Кафе № {n}"),
            ResourceSpec("pliazhi", "Пляжі", "generic", 0.2, "Пляж № {n}"),
            ResourceSpec("pamiatnyky", "Пам'ятники", "culture", 1, "Пам'ятник № {n}"),
        ),
    ),
    (
        "molod",
        "Молодь і сім'я",
        "VK-SMS",
        (
            ResourceSpec(
                "molodizhni-tsentry", "Молодіжні центри", "culture", 0.3, "Молодіжний центр № {n}"
            ),
            ResourceSpec(
                "tsentry-simei",
                "Центри соціальних служб для сім'ї",
                "service",
                0.3,
                "Центр соціальних служб № {n}",
            ),
            ResourceSpec("hurtky", "Гуртки і секції", "culture", 4, "Гурток № {n}"),
            ResourceSpec(
                "taboru", "Дитячі заклади оздоровлення", "generic", 0.2, "Заклад оздоровлення № {n}"
            ),
            ResourceSpec(
                "inkliuzyvni",
                "Інклюзивно-ресурсні центри",
                "service",
                0.2,
                "Інклюзивно-ресурсний центр № {n}",
            ),
        ),
    ),
    (
        "vpo",
        "Допомога ВПО і захисникам",
        "VK-DSP",
        (
            ResourceSpec(
                "vpo-punkty",
                "Пункти допомоги внутрішньо переміщеним особам",
                "service",
                0.6,
                "Пункт допомоги ВПО № {n}",
            ),
            ResourceSpec(
                "veterany", "Центри для ветеранів", "service", 0.2, "Ветеранський простір № {n}"
            ),
            ResourceSpec(
                "humanitarni", "Гуманітарні хаби", "service", 0.4, "Гуманітарний хаб № {n}"
            ),
            ResourceSpec(
                "tymchasove-zhytlo",
                "Місця тимчасового проживання",
                "service",
                0.5,
                "Місце тимчасового проживання № {n}",
            ),
        ),
    ),
)

REPAIR_KINDS = (
    "капітальний ремонт покрівлі",
    "заміна ліфтового обладнання",
    "утеплення фасаду",
    "заміна вікон у місцях загального користування",
    "ремонт внутрішньобудинкових мереж теплопостачання",
    "ремонт внутрішньобудинкових мереж водопостачання",
    "встановлення індивідуального теплового пункту",
    "ремонт під'їздів",
)
MANAGERS = (
    "ТОВ «Житлосервіс-Кривбас»",
    "ТОВ «Комфортне житло»",
    "КП «Житлобуд»",
    "ТОВ «Управитель-Центр»",
    "ТОВ «Домоуправління № 5»",
    "ТОВ «Житлоплюс»",
)


def _schema(key: str) -> list[dict[str, Any]]:
    return [
        {"name": n, "label": label, "type": t, "required": r, "choices": c}
        for n, label, t, r, c in SCHEMAS[key]
    ]


def _attributes(key: str, rng: random.Random, n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, _label, kind, _required, choices in SCHEMAS[key]:
        if kind == "boolean":
            out[name] = rng.random() < 0.5
        elif kind == "choice":
            out[name] = rng.choice(choices)
        elif kind == "integer":
            out[name] = n if name == "number" else rng.randint(20, 1200)
        elif kind == "text":
            out[name] = ", ".join(str(rng.randint(1, 60)) for _ in range(rng.randint(1, 4)))
    return out


def _point(
    rng: random.Random, district: tuple[str, str, float, float, float]
) -> tuple[float, float]:
    lat = min(max(rng.gauss(district[2], 0.018), 47.62), 48.13)
    lon = min(max(rng.gauss(district[3], 0.025), 33.12), 33.63)
    return round(lat, 6), round(lon, 6)


def _hours(rng: random.Random, open_sunday: bool | None) -> str:
    if open_sunday is None:
        open_sunday = rng.random() < 0.3
    week = rng.choice(("пн–пт 8:00–17:00", "пн–пт 9:00–18:00", "пн–сб 8:00–20:00"))
    return week + ("; нд 9:00–15:00" if open_sunday else "; нд вихідний")


def _phone(rng: random.Random) -> str:
    return f"(056) {rng.randint(400, 499)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split a total by weights (largest remainders), each share at least 1 if possible."""
    s = sum(weights)
    exact = [total * w / s for w in weights]
    counts = [max(1, int(x)) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    i = 0
    while sum(counts) < total:
        counts[order[i % len(order)]] += 1
        i += 1
    heaviest = sorted(range(len(weights)), key=lambda i: counts[i], reverse=True)
    i = 0
    while sum(counts) > total and any(c > 1 for c in counts):
        j = heaviest[i % len(heaviest)]
        if counts[j] > 1:
            counts[j] -= 1
        i += 1
    return counts


def demo_plan() -> list[tuple[str, str, str, ResourceSpec, str, str]]:
    """Return (rubric slug, resource slug, name, spec, district code, unit code) per resource."""
    out = []
    for rubric_slug, _name, unit, specs in RUBRICS:
        for spec in specs:
            if spec.per_district:
                for code, genitive, *_rest in DISTRICTS:
                    out.append(
                        (
                            rubric_slug,
                            f"{spec.slug}-{code.lower()}",
                            spec.name.format(district=genitive),
                            spec,
                            code,
                            spec.unit or unit,
                        )
                    )
            else:
                out.append((rubric_slug, spec.slug, spec.name, spec, "", spec.unit or unit))
    return out


def load_demo_portal(
    *, seed: int = DEMO_SEED, objects: int = DEMO_OBJECTS, passports: int = DEMO_PASSPORTS
) -> str | None:
    """Generate the demo resource centre unless it is there or the demo city is missing."""
    if Rubric.objects.exists():
        return None
    units = {u.code: u for u in OrgUnit.objects.filter(code__startswith="VK")}
    units.update({u.code: u for u in OrgUnit.objects.filter(code__startswith="KP-")})
    if "VK" not in units:
        return None
    started = time.monotonic()
    with transaction.atomic():
        counts = _load(seed=seed, units=units, objects=objects, passports=passports)
        audit_record(actor=None, action="portal.demo_loaded", data=counts)
    return (
        f"Demo resource centre loaded in {time.monotonic() - started:.1f} s: "
        f"{counts['rubrics']} rubrics, {counts['resources']} resources, "
        f"{counts['objects']} objects, {counts['passports']} building passports."
    )


def _load(*, seed: int, units: dict[str, OrgUnit], objects: int, passports: int) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
    rubrics = Rubric.objects.bulk_create(
        [Rubric(name=name, slug=slug, order=i) for i, (slug, name, _u, _s) in enumerate(RUBRICS)]
    )
    rubric_by_slug = {r.slug: r for r in rubrics}
    plan = demo_plan()
    resources = Resource.objects.bulk_create(
        [
            Resource(
                rubric=rubric_by_slug[rubric_slug],
                slug=slug,
                name=name,
                unit=units.get(unit_code) or units["VK"],
                attribute_schema=_schema(spec.schema),
                order=i,
                description=f"Реєстр: {name.lower()}.",
            )
            for i, (rubric_slug, slug, name, spec, _d, unit_code) in enumerate(plan)
        ]
    )
    weights = [spec.weight / (7 if spec.per_district else 1) for *_x, spec, _d, _u in plan]
    counts = _apportion(objects, weights)
    districts = {d[0]: d for d in DISTRICTS}
    district_weights = [d[4] for d in DISTRICTS]
    today = date(2026, 11, 1)
    rows: list[ResourceObject] = []
    for resource, count, (_r, _s, _n, spec, district_code, _u) in zip(
        resources, counts, plan, strict=True
    ):
        for n in range(1, count + 1):
            district = (
                districts[district_code]
                if district_code
                else rng.choices(DISTRICTS, weights=district_weights)[0]
            )
            street = rng.choice(STREETS)
            name = spec.object_name.format(n=n, street=street.split(" ", 1)[1])
            address = f"{street}, {rng.randint(1, 180)}"
            lat, lon = _point(rng, district)
            attributes = _attributes(spec.schema, rng, n)
            rows.append(
                ResourceObject(
                    resource=resource,
                    name=name,
                    address=address,
                    district=district[0],
                    latitude=lat,
                    longitude=lon,
                    phone=_phone(rng),
                    opening_hours="цілодобово"
                    if attributes.get("round_clock")
                    else _hours(rng, attributes.get("open_sunday")),
                    attributes=attributes,
                    last_checked=today - timedelta(days=rng.randint(0, 400)),
                    search_text=normalise(name, address),
                    sort_key=natural_key(name),
                )
            )
    ResourceObject.objects.bulk_create(rows, batch_size=2000)
    counts_change(objects_counted(object_row(obj) for obj in rows))
    made = _passports(rng, passports)
    return {
        "rubrics": len(rubrics),
        "resources": len(resources),
        "objects": len(rows),
        "passports": made,
    }


def _passports(rng: random.Random, total: int) -> int:
    passports: list[BuildingPassport] = []
    for i in range(total):
        street = STREETS[i % len(STREETS)]
        number = str(i // len(STREETS) + 1)
        if rng.random() < 0.08:
            number += rng.choice("АБ")
        district = rng.choices(DISTRICTS, weights=[d[4] for d in DISTRICTS])[0]
        lat, lon = _point(rng, district)
        floors = rng.choice((5, 5, 5, 9, 9, 12, 16, 4, 3))
        entrances = rng.randint(1, 8)
        apartments = floors * entrances * rng.choice((3, 4))
        total_area = Decimal(apartments * rng.randint(48, 62) + rng.randint(0, 9)) + Decimal("0.5")
        kind = rng.choices(
            (ManagerKind.COMPANY, ManagerKind.CONDOMINIUM, ManagerKind.NONE), weights=(6, 3, 1)
        )[0]
        short = street.split(" ", 1)[1]
        manager = {
            ManagerKind.COMPANY: rng.choice(MANAGERS),
            ManagerKind.CONDOMINIUM: f"ОСББ «{short} {number}»",
            ManagerKind.NONE: "",
        }[kind]
        year = rng.randint(1952, 1995)
        passports.append(
            BuildingPassport(
                street=street,
                number=number,
                address=passport_address(street, number),
                district=district[0],
                latitude=lat,
                longitude=lon,
                year_built=year,
                floors=floors,
                entrances=entrances,
                apartments=apartments,
                total_area=total_area,
                living_area=(total_area * Decimal("0.62")).quantize(Decimal("0.1")),
                wall_material=rng.choice(
                    (WallMaterial.PANEL, WallMaterial.PANEL, WallMaterial.BRICK, WallMaterial.BLOCK)
                ),
                elevators=entrances if floors >= 9 else 0,
                heating=rng.choices(
                    (Supply.CENTRAL, Supply.BUILDING, Supply.INDIVIDUAL), weights=(8, 1, 1)
                )[0],
                hot_water=rng.choices(
                    (Supply.CENTRAL, Supply.INDIVIDUAL, Supply.NONE), weights=(5, 4, 1)
                )[0],
                gas=floors < 12,
                manager_kind=kind,
                manager_name=manager,
                manager_phone=_phone(rng) if manager else "",
                energy_class=rng.choice(("C", "D", "D", "E", "E", "F", "G")),
                planned_works=rng.choice(
                    ("", "", "Ремонт покрівлі у 2027 році.", "Заміна ліфтів.")
                ),
                search_text=normalise(street, number, manager),
                sort_key=natural_key(street, number),
            )
        )
    BuildingPassport.objects.bulk_create(passports, batch_size=2000)
    ids = list(BuildingPassport.objects.order_by("pk").values_list("pk", "year_built"))
    repairs = [
        BuildingRepair(
            passport_id=pk,
            year=rng.randint(max(built or 1960, 1990), 2025),
            kind=rng.choice(REPAIR_KINDS),
            cost=Decimal(rng.randint(80, 4000) * 1000),
        )
        for pk, built in ids
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3)))
    ]
    BuildingRepair.objects.bulk_create(repairs, batch_size=2000)
    return len(passports)


# --- Visitor polls ------------------------------------------------------------------------

# (question, options, days since opening, days open, votes per option)
DEMO_POLLS: list[tuple[str, list[str], int, int, list[int]]] = [
    (
        "Який вид транспорту в місті варто розвивати насамперед?",
        ["Швидкісний трамвай", "Тролейбуси", "Велодоріжки", "Автобусні маршрути"],
        5,
        30,
        [412, 288, 197, 143],
    ),
    (
        "Чи користуєтеся ви сервісом електронних петицій?",
        ["Так, регулярно", "Іноді", "Ні, але хочу спробувати", "Ні"],
        2,
        21,
        [61, 140, 96, 58],
    ),
    (
        "Які простори для молоді потрібні вашому району?",
        ["Молодіжний центр", "Спортивний майданчик", "Коворкінг", "Скейт-парк"],
        60,
        30,
        [534, 611, 289, 176],
    ),
    (
        "Як ви оцінюєте роботу центрів надання адміністративних послуг?",
        ["Відмінно", "Добре", "Задовільно", "Погано"],
        120,
        45,
        [298, 507, 231, 88],
    ),
]


def load_demo_polls() -> str | None:
    """Add the demo visitor polls (two open, two closed with results) unless there are polls."""
    if Poll.objects.exists():
        return None
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    votes = 0
    with transaction.atomic():
        for question, options, since, length, counts in DEMO_POLLS:
            opens = now - timedelta(days=since)
            poll = Poll.objects.create(
                question=question,
                opens_at=opens,
                closes_at=opens + timedelta(days=length),
                is_published=True,
                on_home=True,
            )
            made = PollOption.objects.bulk_create(
                PollOption(poll=poll, text=text, order=i) for i, text in enumerate(options)
            )
            rows = [
                PollVote(poll=poll, option=option, voter=f"demo:{option.pk}:{n}")
                for option, count in zip(made, counts, strict=True)
                for n in range(count)
            ]
            PollVote.objects.bulk_create(rows, batch_size=2000)
            votes += len(rows)
        audit_record(actor=None, action="portal.demo_polls_loaded", data={"polls": len(DEMO_POLLS)})
    return f"Demo polls loaded: {len(DEMO_POLLS)} polls, {votes} votes."
