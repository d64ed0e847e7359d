"""The demo city's website: the seed's sections, a year of materials (5,400) and banners.

Generated from a seed (the same seed gives the same titles, texts, sections and units;
dates count back from the day of loading, so the newest news is always fresh). Sections
are created through Wagtail's tree API (a few dozen pages); the materials are written in
bulk: their tree paths are computed here (treebeard's materialised path: four base-36
characters a level) and each of the page's tables gets one INSERT per 500 rows.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Locale, Page

from hromada.accounts.models import OrgUnit
from hromada.content.models import (
    AnnouncementPage,
    Banner,
    MaterialPage,
    MaterialTag,
    NewsPage,
    PortalIndexPage,
    ProcurementPage,
    RegulatoryActPage,
    RelatedMaterial,
    SectionPage,
)
from hromada.content.services import (
    content_cache_invalidate,
    section_groups_ensure,
    site_setup,
)
from hromada.core.audit import audit_record
from hromada.portal.search import normalise

DEMO_SEED = 20151
DEMO_MATERIALS = 5400
BATCH = 500


@dataclass(frozen=True)
class SectionSpec:
    """A section of the demo site: its unit, its share of the materials and their kinds."""

    slug: str
    title: str
    unit: str
    weight: int
    kinds: tuple[tuple[str, int], ...]  # (kind, weight)
    topics: tuple[str, ...]
    intro: str = ""
    children: tuple[SectionSpec, ...] = field(default=())
    authors: tuple[str, ...] = ()  # units preparing materials (default: the section's unit)


_DEPARTMENTS: tuple[tuple[str, str, str, str], ...] = (
    ("osvita", "Освіта і наука", "VK-UOS", "school"),
    ("zdorovia", "Охорона здоров'я", "VK-UOZ", "health"),
    ("sotsialnyi-zakhyst", "Соціальний захист", "VK-DSP", "social"),
    ("blahoustrii", "Благоустрій і житлова політика", "VK-UBZH", "housing"),
    ("infrastruktura", "Розвиток інфраструктури", "VK-DRI", "infra"),
    ("transport", "Транспорт і зв'язок", "VK-UTZ", "transport"),
    ("kultura", "Культура і туризм", "VK-KUL", "culture"),
    ("molod-sport", "Сім'я, молодь і спорт", "VK-SMS", "sport"),
    ("tsnap", "Адміністративні послуги (ЦНАП)", "VK-CNAP", "services"),
    ("tsyvilnyi-zakhyst", "Цивільний захист", "VK-NS", "safety"),
    ("ekolohiia", "Екологія", "VK-EKO", "ecology"),
    ("mistobuduvannia", "Містобудування і земельні відносини", "VK-DMZ", "land"),
)

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "podii", "Події в місті", "VK-INF", 1600, (("news", 9), ("announcement", 1)),
        ("events", "culture", "sport", "housing", "social"),
        "Новини міста щодня: події, зустрічі, свята та робочі поїздки.",
        authors=("VK-INF", "VK-UOS", "VK-KUL", "VK-SMS", "VK-UBZH", "VK-DSP", "VK-TUR"),
    ),
    SectionSpec(
        "samovriaduvannia", "Місцеве самоврядування", "VK-ORG", 0, (),
        (), "Робота міської ради, виконавчого комітету та його органів.",
        children=tuple(
            SectionSpec(slug, title, unit, 150, (("news", 6), ("announcement", 4)), (topic,))
            for slug, title, unit, topic in _DEPARTMENTS
        ),
    ),
    SectionSpec(
        "rehuliatorna-polityka", "Регуляторна політика", "VK-URP", 300, (("act", 1),),
        ("regulation",),
        "Проєкти регуляторних актів для обговорення, плани діяльності та відстеження "
        "результативності (Закон України «Про засади державної регуляторної політики у сфері "
        "господарської діяльності»).",
    ),
    SectionSpec(
        "zakonodavstvo", "Законодавство", "VK-YU", 500, (("act", 7), ("news", 3)),
        ("law",), "Рішення міської ради, виконавчого комітету та розпорядження міського голови.",
    ),
    SectionSpec(
        "zakupivli", "Публічні закупівлі", "VK-EK", 800, (("procurement", 1),),
        ("procurement",), "Оголошення про закупівлі розпорядників бюджетних коштів (ProZorro).",
        authors=("VK-UOS", "VK-UOZ", "VK-DRI", "VK-UBZH", "VK-UTZ", "VK-EK", "VK-DSP", "VK-KUL"),
    ),
    SectionSpec(
        "stratehichnyi-plan", "Розробка Стратегічного плану розвитку міста", "VK-EK", 150,
        (("news", 6), ("announcement", 4)), ("strategy",),
        "Робочі групи, громадські обговорення та опитування щодо Стратегічного плану.",
    ),
    SectionSpec(
        "molodizhnyi-vykonkom", "Молодіжний виконком", "VK-SMS", 150,
        (("news", 7), ("announcement", 3)), ("youth",),
        "Молодіжний виконавчий комітет: засідання, проєкти, конкурси.",
    ),
    SectionSpec(
        "elektronni-petytsii", "Сервіс електронних петицій", "VK-VP", 100,
        (("news", 5), ("announcement", 5)), ("petitions",),
        "Як подати електронну петицію і як її розглядають (сервіс — у розділі «Петиції»).",
    ),
)  # fmt: skip

_DISTRICT_LOC = (
    "у Довгинцівському районі", "в Інгулецькому районі", "у Металургійному районі",
    "у Покровському районі", "у Саксаганському районі", "у Тернівському районі",
    "у Центрально-Міському районі",
)  # fmt: skip
_STREETS = (
    "Шевченка", "Соборності", "Героїв АТО", "Володимира Великого", "Лермонтова", "Металургів",
    "Каховській", "Січеславській", "Гагаріна", "Волгоградській", "Коротченка", "Дніпровському шосе",
)  # fmt: skip

# Per topic: (title patterns, sentence patterns). {loc} a district, {street} a street, {n} a number.
_TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "events": (
        (
            "{loc} відкрили оновлений сквер",
            "Міський голова зустрівся з мешканцями {loc}",
            "У місті відзначили День Незалежності України",
            "На площі Праці відбувся ярмарок місцевих виробників",
            "Містяни долучилися до хвилини мовчання",
            "{loc} провели толоку на вулиці {street}",
        ),
        (
            "У заході взяли участь представники виконавчого комітету та депутати міської ради.",
            "Мешканці висловили свої пропозиції щодо благоустрою прибудинкових територій.",
            "Захід відбувся з дотриманням вимог безпеки в умовах воєнного стану.",
            "Наступна зустріч запланована на кінець місяця.",
        ),
    ),
    "culture": (
        (
            "У міському палаці культури відкрилася виставка художників",
            "Бібліотеки міста запрошують на літні читання",
            "{loc} відбувся фестиваль народної творчості",
        ),
        (
            "Вхід вільний для всіх охочих.",
            "Виставка триватиме до кінця місяця, її можна відвідати щодня, крім понеділка.",
            "Організатори подякували волонтерам і учасникам.",
        ),
    ),
    "sport": (
        (
            "Юні спортсмени міста вибороли медалі чемпіонату України",
            "{loc} відкрили новий спортивний майданчик",
            "Стартувала міська спартакіада школярів",
        ),
        (
            "Майданчик обладнано тренажерами та безпечним покриттям.",
            "Змагання проводяться за підтримки управління у справах сім'ї, молоді та спорту.",
        ),
    ),
    "housing": (
        (
            "Відремонтували покрівлю житлового будинку на вулиці {street}, {n}",
            "{loc} утеплюють фасади багатоквартирних будинків",
            "Триває підготовка житлових будинків до опалювального сезону",
            "У будинку на вулиці {street}, {n} замінили ліфт",
            "Мешканці будинків створюють об'єднання співвласників (ОСББ)",
        ),
        (
            "Роботи виконано за кошти міського бюджету в межах програми капітального ремонту.",
            "Управителі будинків перевіряють готовність теплових пунктів і систем опалення.",
            "Про недоліки мешканці можуть повідомити через сервіс звернень громадян.",
            "Енергоефективні заходи зменшать витрати на опалення будинку.",
        ),
    ),
    "social": (
        (
            "Внутрішньо переміщені особи можуть отримати допомогу в управлінні соцзахисту",
            "Для захисників і захисниць України та їхніх родин діють пільги",
            "Оновлено порядок надання адресної допомоги",
            "{loc} працює пункт видачі гуманітарної допомоги",
        ),
        (
            "Звертатися можна до управління праці та соціального захисту населення "
            "за місцем проживання.",
            "При собі потрібно мати паспорт і довідку про взяття на облік.",
            "Консультації надають також у Центрі надання адміністративних послуг.",
        ),
    ),
    "school": (
        (
            "У школах міста облаштовують укриття",
            "Розпочався прийом заяв до перших класів",
            "Заклади освіти отримали нові мультимедійні комплекси",
            "{loc} відремонтували дитячий садок",
        ),
        (
            "Навчання організовано у змішаному форматі з урахуванням безпекової ситуації.",
            "Батьки можуть подати заяву онлайн або в закладі освіти.",
        ),
    ),
    "health": (
        (
            "Амбулаторії сімейної медицини працюють у посиленому режимі",
            "У лікарні відкрили оновлене приймальне відділення",
            "Триває вакцинація дорослих і дітей",
        ),
        (
            "Записатися до лікаря можна телефоном або через електронну систему охорони здоров'я.",
            "Обладнання придбано за кошти міського бюджету.",
        ),
    ),
    "infra": (
        (
            "Ремонтують дорогу на вулиці {street}",
            "{loc} замінюють мережі водопостачання",
            "Встановлено нові зупинки громадського транспорту",
            "Модернізовано вуличне освітлення на вулиці {street}",
        ),
        (
            "Роботи планують завершити до кінця кварталу.",
            "На час робіт рух транспорту частково обмежено.",
        ),
    ),
    "transport": (
        (
            "Змінено розклад руху швидкісного трамвая",
            "На маршрут вийшли нові тролейбуси",
            "Оновлено схему руху маршруту № {n}",
        ),
        (
            "Інтервали руху в години пік скорочено.",
            "Інформацію про рух транспорту можна отримати на диспетчерській лінії.",
        ),
    ),
    "services": (
        (
            "ЦНАП розширив перелік адміністративних послуг",
            "{loc} відкрито віддалене робоче місце ЦНАП",
            "Паспорт громадянина України можна оформити в ЦНАП",
        ),
        (
            "Прийом відвідувачів — за попереднім записом та в порядку живої черги.",
            "Перелік документів опубліковано на сторінці послуги.",
        ),
    ),
    "safety": (
        (
            "Нагадуємо правила поведінки під час повітряної тривоги",
            "Перевірено стан укриттів {loc}",
            "Оновлено перелік пунктів незламності",
        ),
        (
            "Адреси укриттів позначено на карті міської інфраструктури.",
            "Під час тривоги негайно пройдіть до найближчого укриття.",
        ),
    ),
    "ecology": (
        (
            "Результати моніторингу якості атмосферного повітря",
            "{loc} висадили нові дерева",
            "Місто долучилося до Всеукраїнського дня довкілля",
        ),
        (
            "Дані моніторингу оприлюднюються щотижня.",
            "Акцію підтримали школярі та громадські організації.",
        ),
    ),
    "land": (
        (
            "Громадські слухання щодо детального плану території {loc}",
            "Оприлюднено проєкт внесення змін до генерального плану",
        ),
        (
            "Пропозиції приймаються протягом місяця з дня оприлюднення.",
            "Матеріали доступні в управлінні містобудування та архітектури.",
        ),
    ),
    "regulation": (
        (
            "Проєкт рішення «Про встановлення ставок єдиного податку»",
            "Проєкт рішення «Про встановлення ставок та пільг зі сплати податку на нерухоме майно»",
            "Проєкт рішення «Про затвердження Правил розміщення зовнішньої реклами»",
            "Проєкт рішення «Про встановлення тарифів на послуги з вивезення побутових відходів»",
            "Проєкт рішення «Про порядок розміщення тимчасових споруд для провадження "
            "підприємницької діяльності»",
        ),
        (
            "Зауваження та пропозиції від фізичних та юридичних осіб приймаються протягом місяця.",
            "До проєкту додано аналіз регуляторного впливу.",
            "Відстеження результативності регуляторного акта здійснюватиметься "
            "за статистичними показниками.",
        ),
    ),
    "law": (
        (
            "Про затвердження Програми розвитку освіти",
            "Про внесення змін до міського бюджету",
            "Про затвердження Порядку надання матеріальної допомоги",
            "Про організацію громадських робіт",
            "Про встановлення режиму роботи закладів торгівлі",
        ),
        (
            "Рішення набирає чинності з дня його оприлюднення.",
            "Контроль за виконанням рішення покладено на заступника міського голови.",
        ),
    ),
    "procurement": (
        (
            "Закупівля продуктів харчування для закладів освіти",
            "Закупівля послуг з поточного ремонту покрівлі будинку на вулиці {street}, {n}",
            "Закупівля лікарських засобів",
            "Закупівля послуг з утримання вулично-дорожньої мережі",
            "Закупівля комп'ютерного обладнання",
            "Закупівля паливно-мастильних матеріалів",
        ),
        (
            "Тендерна документація розміщена в електронній системі закупівель ProZorro.",
            "Очікувана вартість визначена відповідно до аналізу ринкових цін.",
        ),
    ),
    "strategy": (
        (
            "Засідання робочої групи зі Стратегічного плану розвитку міста",
            "Громадське обговорення стратегічних цілей розвитку міста",
            "Опитування мешканців щодо пріоритетів розвитку міста",
        ),
        (
            "До роботи залучено експертів, представників бізнесу та громадськості.",
            "Пропозиції мешканців враховуються у проєкті Стратегічного плану.",
        ),
    ),
    "youth": (
        (
            "Засідання Молодіжного виконкому",
            "Молодіжний виконком оголосив конкурс молодіжних проєктів",
            "Члени Молодіжного виконкому провели благодійну акцію",
        ),
        (
            "До складу Молодіжного виконкому входять учні та студенти закладів освіти міста.",
            "Найкращі проєкти отримають фінансування з міського бюджету.",
        ),
    ),
    "petitions": (
        (
            "Петиція набрала необхідну кількість підписів",
            "Як подати електронну петицію до міської ради",
            "Розглянуто електронну петицію щодо благоустрою парку",
        ),
        (
            "Петиції розглядаються в порядку, визначеному Законом України "
            "«Про звернення громадян».",
            "Відповідь на петицію оприлюднюється на сторінці петиції.",
        ),
    ),
}
_TAGS = (
    "благоустрій", "освіта", "медицина", "соціальний захист", "транспорт", "ремонт",
    "молодь", "спорт", "культура", "безпека", "ВПО", "ветерани", "бюджет", "екологія",
    "ЦНАП", "громадське обговорення",
)  # fmt: skip
_TOPIC_TAGS = {
    "housing": ("благоустрій", "ремонт"), "events": ("культура", "благоустрій"),
    "social": ("соціальний захист", "ВПО", "ветерани"), "school": ("освіта", "ремонт"),
    "health": ("медицина",), "infra": ("благоустрій", "ремонт"), "transport": ("транспорт",),
    "services": ("ЦНАП",), "safety": ("безпека",), "ecology": ("екологія",),
    "land": ("громадське обговорення",), "regulation": ("громадське обговорення", "бюджет"),
    "law": ("бюджет",), "procurement": ("бюджет",), "strategy": ("громадське обговорення",),
    "youth": ("молодь",), "petitions": ("громадське обговорення",), "culture": ("культура",),
    "sport": ("спорт", "молодь"),
}  # fmt: skip
_CPV = ("15800000-6", "45260000-7", "33600000-6", "45233000-9", "30210000-4", "09130000-9")


def _fill(pattern: str, rng: random.Random) -> str:
    return pattern.format(
        loc=rng.choice(_DISTRICT_LOC), street=rng.choice(_STREETS), n=rng.randint(1, 120)
    )


def _flatten(specs: Sequence[SectionSpec]) -> list[SectionSpec]:
    out: list[SectionSpec] = []
    for spec in specs:
        out.append(spec)
        out += _flatten(spec.children)
    return out


def _apportion(total: int, weights: Sequence[int]) -> list[int]:
    weight_sum = sum(weights)
    shares = [total * w // weight_sum for w in weights]
    for i in range(total - sum(shares)):
        shares[i % len(shares)] += 1
    return shares


def load_demo_content(*, seed: int = DEMO_SEED, materials: int = DEMO_MATERIALS) -> str | None:
    """Generate the demo site unless it is there or the demo city is missing."""
    if MaterialPage.objects.exists() or not OrgUnit.objects.filter(code="VK").exists():
        return None
    started = time.monotonic()
    with transaction.atomic():
        index = site_setup()
        units = {u.code: u for u in OrgUnit.objects.all()}
        sections = _sections(index, units)
        section_groups_ensure()
        written = _materials(
            seed=seed, total=materials, sections=sections, units=units, today=timezone.localdate()
        )
        banners = _banners(sections)
        audit_record(
            actor=None,
            action="content.demo_loaded",
            data={"sections": len(sections), "materials": written, "banners": banners},
        )
        content_cache_invalidate()
    return (
        f"Demo website loaded in {time.monotonic() - started:.1f} s: {len(sections)} sections, "
        f"{written} materials, {banners} banners."
    )


def _sections(index: PortalIndexPage, units: dict[str, OrgUnit]) -> dict[str, SectionPage]:
    """Create the sections (Wagtail's tree API: a few dozen pages), parents first."""
    out: dict[str, SectionPage] = {}

    def add(parent: Page, spec: SectionSpec) -> None:
        section = SectionPage.objects.child_of(parent).filter(slug=spec.slug).first()
        if section is None:
            section = SectionPage(
                title=spec.title,
                slug=spec.slug,
                intro=f"<p>{escape(spec.intro)}</p>" if spec.intro else "",
                unit=units.get(spec.unit),
                live=True,
            )
            parent.add_child(instance=section)
        out[spec.slug] = section
        for child in spec.children:
            add(section, child)

    for spec in SECTIONS:
        add(index, spec)
    return out


@dataclass
class _Plan:
    page: MaterialPage
    section: str
    tags: tuple[str, ...]


def _materials(
    *,
    seed: int,
    total: int,
    sections: dict[str, SectionPage],
    units: dict[str, OrgUnit],
    today: date,
) -> int:
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
    specs = [s for s in _flatten(SECTIONS) if s.weight]
    shares = _apportion(total, [s.weight for s in specs])
    plans: list[_Plan] = []
    for spec, share in zip(specs, shares, strict=True):
        kinds = [k for k, _w in spec.kinds]
        weights = [w for _k, w in spec.kinds]
        for i in range(share):
            kind = rng.choices(kinds, weights)[0]
            topic = rng.choice(spec.topics)
            author = rng.choice(spec.authors) if spec.authors else spec.unit
            day = today - timedelta(days=rng.randint(0, 364))
            plans.append(_plan(rng, spec, i, kind, topic, units.get(author), day))
    plans.sort(key=lambda p: (p.section, p.page.date, p.page.slug))
    by_section: dict[str, list[_Plan]] = {}
    for plan in plans:
        by_section.setdefault(plan.section, []).append(plan)
    locale = Locale.get_default()
    for slug, group in by_section.items():
        _bulk_add_children(sections[slug], [p.page for p in group], locale, rng)
    _write_tags(plans)
    _write_related(by_section)
    return len(plans)


def _plan(
    rng: random.Random,
    spec: SectionSpec,
    i: int,
    kind: str,
    topic: str,
    unit: OrgUnit | None,
    day: date,
) -> _Plan:
    titles, sentences = _TOPICS[topic]
    title = _fill(rng.choice(titles), rng)
    paragraphs = [
        " ".join(_fill(s, rng) for s in rng.sample(sentences, k=min(2, len(sentences))))
        for _ in range(rng.randint(2, 3))
    ]
    summary = paragraphs[0]
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    common: dict[str, Any] = {
        "title": title,
        "slug": f"{slugify(_translit(title))[:60].strip('-')}-{spec.slug[:12]}-{i + 1}",
        "date": day,
        "summary": summary,
        "body": body,
        "unit": unit,
    }
    page: MaterialPage
    if kind == "news":
        page = NewsPage(**common, event_date=day, location="")
    elif kind == "announcement":
        page = AnnouncementPage(
            **common, valid_until=day + timedelta(days=30), contact="(056) 490-00-00"
        )
    elif kind == "act":
        draft = spec.slug == "rehuliatorna-polityka" and rng.random() < 0.5
        page = RegulatoryActPage(
            **common,
            act_kind=rng.choice(RegulatoryActPage.ActKind.values),
            act_number="" if draft else f"{rng.randint(1, 4000)}",
            act_date=None if draft else day,
            status=RegulatoryActPage.Status.DRAFT if draft else RegulatoryActPage.Status.ADOPTED,
            comments_until=day + timedelta(days=30) if draft else None,
        )
    else:
        deadline = timezone.make_aware(
            datetime.combine(day + timedelta(days=14), datetime.min.time())
        )
        page = ProcurementPage(
            **common,
            procedure=rng.choice(ProcurementPage.Procedure.values),
            expected_value=Decimal(rng.randint(50, 20000) * 1000),
            deadline=deadline.replace(hour=18),
            prozorro_id=f"UA-{day:%Y-%m-%d}-{rng.randint(0, 999999):06d}-{rng.choice('abc')}",
            cpv=rng.choice(_CPV),
        )
    tags = tuple(rng.sample(_TOPIC_TAGS.get(topic, ("бюджет",)), k=1))
    page.search_text = normalise(title, summary, " ".join(paragraphs), " ".join(tags))
    return _Plan(page, spec.slug, tags)


_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
        "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
        "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
        "я": "ia", "'": "", "’": "",
    }
)  # fmt: skip


def _translit(text: str) -> str:
    return text.lower().translate(_TRANSLIT)


def _bulk_add_children(
    parent: Page, pages: list[MaterialPage], locale: Locale, rng: random.Random
) -> None:
    """Insert material pages under a parent in bulk: tree paths, then each table's rows."""
    parent.refresh_from_db()
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    now = timezone.now()
    for page in pages:
        step += 1
        stamp = timezone.make_aware(datetime.combine(page.date, datetime.min.time())) + timedelta(
            hours=9, minutes=rng.randint(0, 480)
        )
        page.path = parent.path + Page._int2str(step).rjust(Page.steplen, "0")
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = min(stamp, now)
        page.last_published_at = min(stamp, now)
        page.locale = locale
        page.translation_key = uuid.UUID(int=rng.getrandbits(128), version=4)
    by_model: dict[type[MaterialPage], list[MaterialPage]] = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, rows in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        for page in rows:
            page.content_type = content_type
        # Multi-table inheritance: Page rows first (ids back), then each child table.
        Page.objects.bulk_create(rows, batch_size=BATCH)
        for page in rows:
            page.page_ptr_id = page.id
            page.materialpage_ptr_id = page.id
        for table in (MaterialPage, model):
            fields = table._meta.local_concrete_fields
            for start in range(0, len(rows), BATCH):
                table._base_manager._insert(
                    rows[start : start + BATCH], fields=fields, using="default"
                )
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def _write_tags(plans: list[_Plan]) -> None:
    tags: dict[str, Tag] = {}
    for name in _TAGS:
        tags[name], _created = Tag.objects.get_or_create(
            name=name, defaults={"slug": slugify(_translit(name))}
        )
    MaterialTag.objects.bulk_create(
        [
            MaterialTag(content_object_id=plan.page.pk, tag_id=tags[name].pk)
            for plan in plans
            for name in plan.tags
        ],
        batch_size=BATCH,
    )


def _write_related(by_section: dict[str, list[_Plan]]) -> None:
    """Link every fifth material to the two before it in its section."""
    links = []
    for group in by_section.values():
        for i in range(2, len(group), 5):
            for order, other in enumerate((group[i - 1], group[i - 2])):
                links.append(
                    RelatedMaterial(
                        page_id=group[i].page.pk, material_id=other.page.pk, sort_order=order
                    )
                )
    RelatedMaterial.objects.bulk_create(links, batch_size=BATCH)


def _banners(sections: dict[str, SectionPage]) -> int:
    """Create the seed's long-term banners (home) and one banner in two sections."""
    start = timezone.localdate() - timedelta(days=365)
    social = sections["sotsialnyi-zakhyst"]
    rows = [
        Banner(
            title="Інформація для переміщених осіб",
            link=f"{social.url_path}?tag=vpo",
            placement=Banner.Placement.HOME,
            start=start,
            order=1,
        ),
        Banner(
            title="Захисникам Батьківщини",
            link=f"{social.url_path}?tag=veterany",
            placement=Banner.Placement.HOME,
            start=start,
            order=2,
        ),
        Banner(
            title="Подати електронну петицію",
            link="/petitions/",
            placement=Banner.Placement.SECTION,
            section=sections["elektronni-petytsii"],
            start=start,
            order=1,
        ),
        Banner(
            title="Долучайтеся до Молодіжного виконкому",
            link=f"{sections['molodizhnyi-vykonkom'].url_path}?kind=announcement",
            placement=Banner.Placement.SECTION,
            section=sections["molodizhnyi-vykonkom"],
            start=start,
            order=1,
        ),
    ]
    for banner in rows:
        banner.full_clean()
    Banner.objects.bulk_create(rows)
    return len(rows)
