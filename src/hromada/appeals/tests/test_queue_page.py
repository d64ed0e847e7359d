"""The staff queue page's quick paths: widgets and rows written in Python, the filter's lists.

Each quick path is compared with what Django's templates write for the same input, so the
page's HTML stays what it was (docs/appeals.md, "Performance", sixth session).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, cast

import pytest
from django import forms
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from hromada.accounts.models import OrgUnit, User
from hromada.appeals import queue_html, services, staff_selectors
from hromada.appeals.factories import register
from hromada.appeals.models import Appeal, AppealsJournal
from hromada.appeals.staff_forms import (
    MassForm,
    QueueFilterForm,
    QuickCheckboxInput,
    QuickDateInput,
    QuickHiddenInput,
    QuickNumberInput,
    QuickSelect,
    QuickTextInput,
)
from hromada.control.factories import Org
from hromada.core.models import ClassifierItem

Login = Callable[[User], Client]

CHOICES = [
    ("", "— усі —"),
    ("a", "Перший"),
    ("b&c", "Друге <b>\"лапки\"</b> і 'апостроф'"),
    ("12", "Орган № 12"),
]
ATTRS = [
    None,
    {"class": "govuk-select", "id": "id_unit"},
    {"class": "govuk-select govuk-select--error", "aria-describedby": "id_unit-error"},
    {"id": "x", "disabled": True, "hidden": False, "data-x": 'a"b'},
]


@pytest.mark.parametrize("value", [None, "", "a", "b&c", "12", 12, "zz", ["a"], ["zz", "12"]])
@pytest.mark.parametrize("attrs", ATTRS)
def test_quick_select_writes_what_django_select_writes(value: Any, attrs: Any) -> None:
    quick, django = QuickSelect(choices=CHOICES), forms.Select(choices=CHOICES)
    assert quick.render("unit", value, attrs) == django.render("unit", value, attrs)


def test_quick_select_writes_lazy_labels_in_the_active_language() -> None:
    from django.utils.translation import gettext_lazy

    choices = [("", gettext_lazy("— усі —")), ("x", gettext_lazy("Орган"))]
    with translation.override("en"):
        expected = forms.Select(choices=choices).render("unit", "x")
        assert QuickSelect(choices=choices).render("unit", "x") == expected


def test_quick_select_leaves_option_groups_to_django() -> None:
    grouped = [("", "—"), ("Група", [("a", "A"), ("b", "B")])]
    expected = forms.Select(choices=grouped).render("g", "b")
    assert QuickSelect(choices=grouped).render("g", "b") == expected
    assert "<optgroup" in expected


@pytest.mark.parametrize(
    ("quick", "django", "value"),
    [
        (QuickTextInput(), forms.TextInput(), 'Коваленко "<b>" & Co'),
        (QuickTextInput(), forms.TextInput(), None),
        (QuickTextInput(), forms.TextInput(), ""),
        (
            QuickDateInput(format="%d.%m.%Y", attrs={"autocomplete": "off"}),
            forms.DateInput(format="%d.%m.%Y", attrs={"autocomplete": "off"}),
            date(2026, 11, 27),
        ),
        (
            QuickDateInput(format="%d.%m.%Y"),
            forms.DateInput(format="%d.%m.%Y"),
            "31.02.2026<",
        ),
        (QuickHiddenInput(), forms.HiddenInput(), 7),
        (
            QuickNumberInput(attrs={"min": 1, "step": 1}),
            forms.NumberInput(attrs={"min": 1, "step": 1}),
            "12",
        ),
        (QuickHiddenInput(), forms.HiddenInput(), None),
        (QuickCheckboxInput(), forms.CheckboxInput(), True),
        (QuickCheckboxInput(), forms.CheckboxInput(), False),
        (QuickCheckboxInput(), forms.CheckboxInput(), "on"),
    ],
)
def test_quick_inputs_write_what_django_inputs_write(quick: Any, django: Any, value: Any) -> None:
    attrs = {"class": "govuk-input govuk-input--error", "aria-describedby": "id_q-error"}
    assert quick.render("q", value, attrs) == django.render("q", value, attrs)


DJANGO_WIDGET: dict[type[forms.Widget], type[forms.Widget]] = {
    QuickTextInput: forms.TextInput,
    QuickHiddenInput: forms.HiddenInput,
    QuickCheckboxInput: forms.CheckboxInput,
    QuickNumberInput: forms.NumberInput,
}


def _django_widget(widget: forms.Widget) -> forms.Widget:
    """Django's own widget of the same kind and settings as a quick one."""
    if isinstance(widget, QuickSelect):
        return forms.Select(attrs=widget.attrs, choices=widget.choices)
    if isinstance(widget, QuickDateInput):
        return forms.DateInput(attrs=widget.attrs, format=widget.format)
    return DJANGO_WIDGET[type(widget)](attrs=widget.attrs)


@pytest.mark.django_db
def test_queue_filter_form_renders_as_django_would_for_good_and_bad_input(org: Org) -> None:
    units = staff_selectors.queue_units(None)
    topics = staff_selectors.queue_topics()
    for data in (
        {"state": "open"},
        {"q": '"<x>"', "unit": str(org.d.pk), "topic": "109", "priority": "on"},
        {"unit": "abc", "due_from": "32.13.2026", "channel": "<b>", "mass": "-1"},
        {"due_from": "01.11.2026", "due_to": "2026-11-30", "clock": "overdue"},
    ):
        queue_form = QueueFilterForm(data, units=units, topics=topics)
        mass_form = MassForm({"title": data.get("q", ""), "group": data.get("mass", "")})
        for form in (queue_form, mass_form):
            form.is_valid()
            for name in form.fields:
                bound = form[name]
                attrs = {**bound.build_widget_attrs({}), "id": bound.auto_id}
                args = (bound.html_name, bound.value(), attrs)
                quick = bound.field.widget
                assert quick.render(*args) == _django_widget(quick).render(*args), (data, name)


@pytest.mark.django_db
def test_queue_filter_rejects_a_body_that_has_no_journal(org: Org, login: Login) -> None:
    register(org)
    response = login(org.operator).get(reverse("appeals:queue"), {"unit": str(org.x.pk + 1000)})
    assert "Перевірте фільтри" in response.content.decode()
    assert len(response.context["rows"]) == 1  # no filter applied


@pytest.mark.django_db
def test_queue_filter_lists_a_body_whose_journal_is_opened_after_a_page(
    org: Org, login: Login
) -> None:
    register(org)
    client = login(org.operator)
    client.get(reverse("appeals:queue"))
    body = OrgUnit.objects.create(
        code="NEW", name="Новий орган <ради>", kind=OrgUnit.Kind.DEPARTMENT
    )
    AppealsJournal.objects.create(body=body, code="NEW-J")
    html = client.get(reverse("appeals:queue")).content.decode()
    assert f'<option value="{body.pk}">Новий орган &lt;ради&gt;</option>' in html


@pytest.mark.django_db
def test_queue_filter_shows_a_topic_added_or_renamed_after_a_page(org: Org, login: Login) -> None:
    register(org)
    client = login(org.operator)
    client.get(reverse("appeals:queue"))
    ClassifierItem.objects.create(classifier="858", section="topics", code="999", label="Нова")
    ClassifierItem.objects.filter(classifier="858", section="topics", code="109").update(
        label="Перейменована тема"
    )
    html = client.get(reverse("appeals:queue")).content.decode()
    assert '<option value="999">999 Нова</option>' in html
    assert '<option value="109">109 Перейменована тема</option>' in html


@pytest.mark.django_db
def test_queue_filter_topics_are_those_valid_on_the_day(org: Org) -> None:
    today = timezone.localdate()
    ClassifierItem.objects.create(
        classifier="858", section="topics", code="998", label="Стара", valid_to=today
    )
    assert ("998", "998 Стара") in staff_selectors.queue_topics(today)
    assert ("998", "998 Стара") not in staff_selectors.queue_topics(today + timedelta(days=1))


@pytest.mark.django_db
def test_queue_filter_and_rows_follow_the_active_language(org: Org) -> None:
    appeal = register(org).appeal
    listing = staff_selectors.queue_listing_page(
        Appeal.objects.filter(pk=appeal.pk), page=1, size=50
    )
    seen = []
    for language in ("uk", "en", "uk"):
        with translation.override(language):
            channel = QueueFilterForm({}, units=[], topics=[]).fields["channel"]
            assert isinstance(channel, forms.ChoiceField)
            row = staff_selectors.queue_rows(listing.appeals, timezone.localdate())[0]
            labels = dict(cast(list[tuple[str, str]], channel.choices))
            seen.append((labels["hotline"], row.channel, row.state))
    assert seen == [
        ("гаряча лінія", "гаряча лінія", "зареєстровано"),
        ("hotline", "hotline", "registered"),
        ("гаряча лінія", "гаряча лінія", "зареєстровано"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "коротко",
        "е\u0301" * 70,  # 140 code points, 70 characters with combining accents
        "я" * 120,
        "я" * 121,
        "Cafe\u0301 " * 40,
        "x" * 119 + "e\u0301",
    ],
)
def test_truncate_is_truncators_chars(text: str) -> None:
    from hromada.appeals.staff_selectors import _truncate

    assert _truncate(text, 120) == Truncator(text).chars(120)
    assert _truncate(text, 120) == unicodedata.normalize("NFC", _truncate(text, 120))


# The loop `appeals/staff/queue.html` had before its rows were written in Python.
TEMPLATE_LOOP = """{% load i18n appeals_staff %}\
{% translate "пільгова категорія" as t_priority %}{% translate "масове" as t_mass %}\
{% translate "прострочено на" as t_overdue %}{% translate "сьогодні" as t_today %}\
{% translate "залишилось" as t_left %}{% translate "продовжено" as t_extended %}\
{% translate "переслати до" as t_forward %}\
{% for r in rows %}{% with a=r.appeal c=r.clocks %}
    <tr class="govuk-table__row">
      {% if can_mark_mass %}<td class="govuk-table__cell"><div class="govuk-checkboxes govuk-checkboxes--small"><div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" type="checkbox" name="appeal" value="{{ a.pk }}" id="sel-{{ a.pk }}"><label class="govuk-label govuk-checkboxes__label" for="sel-{{ a.pk }}"><span class="govuk-visually-hidden">{{ r.select_label }}</span></label></div></div></td>{% endif %}
      <td class="govuk-table__cell"><a class="govuk-link" href="{{ r.detail_url }}">№ {{ a.reg_index }}</a><br><span class="govuk-body-s">{{ r.reg_date }} · {{ r.channel }}</span>
        {% if a.priority %}<br><strong class="govuk-tag govuk-tag--orange">{{ t_priority }}</strong>{% endif %}
        {% if r.mass_url %}<br><a class="govuk-link govuk-body-s" href="{{ r.mass_url }}">{{ t_mass }}</a>{% endif %}</td>
      <td class="govuk-table__cell">{{ a.full_name|default:"—" }}</td>
      <td class="govuk-table__cell">{{ r.summary }}<br><span class="govuk-body-s">{{ r.topics }} · {{ r.unit }}</span></td>
      <td class="govuk-table__cell">{{ r.state }}{% if r.sign %}<br><span class="govuk-body-s">{{ r.sign }}</span>{% endif %}</td>
      <td class="govuk-table__cell">{% if c.due_date %}{{ r.due_date }}<br>
{% if c.overdue %}<span class="hromada-clock--overdue">{{ t_overdue }} {{ c.days_left|absval }} {{ c.days_left|days_word }}</span>
{% elif c.due_soon %}<span class="hromada-clock--soon">{% if c.days_left == 0 %}{{ t_today }}{% else %}{{ t_left }} {{ c.days_left }} {{ c.days_left|days_word }}{% endif %}</span>
{% else %}<span class="govuk-body-s">{{ t_left }} {{ c.days_left }} {{ c.days_left|days_word }}</span>{% endif %}
{% if c.extended %}<br><span class="govuk-body-s">{{ t_extended }}</span>{% endif %}
{% if c.forward_by %}<br><span class="govuk-body-s{% if c.forward_late %} hromada-clock--overdue{% endif %}">{{ t_forward }} {{ r.forward_by }}</span>{% endif %}
{% else %}—{% endif %}</td>
    </tr>
  {% endwith %}{% endfor %}"""  # noqa: E501


@pytest.mark.django_db
def test_rows_html_is_what_the_template_loop_wrote(org: Org) -> None:
    plain = register(org).appeal
    benefit = register(
        org, surname="Бондар <b>", given_name="Іван & Ко", phone="0631112233", category="7.5"
    ).appeal
    third = register(org, surname="Шевченко", phone="0501112233").appeal
    Appeal.objects.filter(pk=benefit.pk).update(
        sign=Appeal.Sign.REPEATED, summary='Світло "<script>" & ' + "довгий текст " * 20
    )
    services.mass_group_mark(actor=org.operator, appeal_ids=[plain.pk, third.pk], title="Група")
    in_work = register(org, surname="Ткач", phone="0671112299").appeal
    assert in_work.due_date is not None
    Appeal.objects.filter(pk=in_work.pk).update(
        state=Appeal.State.IN_WORK,
        first_due_date=in_work.due_date,
        due_date=in_work.due_date + timedelta(days=10),
    )
    closed = register(org, surname="Закрите", phone="0671112200").appeal
    Appeal.objects.filter(pk=closed.pk).update(state=Appeal.State.NOT_CONSIDERED)
    ids = [plain.pk, benefit.pk, third.pk, in_work.pk, closed.pk]
    listing = staff_selectors.queue_listing_page(
        Appeal.objects.filter(pk__in=ids).order_by("pk"), page=1, size=50
    )
    registered = min(a.reg_date for a in listing.appeals if a.reg_date)
    due = min(a.due_date for a in listing.appeals if a.due_date)
    # Days that put the clocks in every state: plenty left, due soon, due today, overdue,
    # forwarding late, the extended term.
    days = [registered, due - timedelta(days=2), due, due + timedelta(days=1)]
    days += [registered + timedelta(days=9), due + timedelta(days=12)]
    template = Template(TEMPLATE_LOOP)
    seen = set()
    for today in days:
        rows = staff_selectors.queue_rows(listing.appeals, today, listing.topics)
        for can_mark_mass in (True, False):
            expected = template.render(Context({"rows": rows, "can_mark_mass": can_mark_mass}))
            got = queue_html.rows_html(rows, can_mark_mass=can_mark_mass)
            assert got == expected, today
            seen |= {
                word
                for word in ("прострочено", "сьогодні", "hromada-clock--soon", "продовжено")
                if word in got
            }
            seen |= {"sign" for r in rows if r.sign} | {"mass" for r in rows if r.mass_url}
            seen |= {"late" for r in rows if r.clocks.forward_late}
    assert seen == {
        "прострочено",
        "сьогодні",
        "hromada-clock--soon",
        "продовжено",
        "sign",
        "mass",
        "late",
    }


@pytest.mark.django_db
def test_queue_rows_topics_main_first(org: Org) -> None:
    appeal = register(org, topics=["103", "109"]).appeal
    listing = staff_selectors.queue_listing_page(
        Appeal.objects.filter(pk=appeal.pk), page=1, size=50
    )
    row = staff_selectors.queue_rows(listing.appeals, timezone.localdate(), listing.topics)[0]
    prefetched = staff_selectors.queue_rows(
        list(staff_selectors.queue(user=org.operator, criteria=staff_selectors.QueueFilter())),
        timezone.localdate(),
    )[0]
    assert row.topics == prefetched.topics == "103, 109"
