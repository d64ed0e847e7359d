"""Staff screens of appeals: operator entry, drafts, queue, card, actions, permissions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hromada.accounts.factories import UserFactory
from hromada.accounts.models import User
from hromada.appeals import services, terms
from hromada.appeals.factories import card, register
from hromada.appeals.models import Appeal, AppealFile, Channel, MassGroup
from hromada.control.factories import Org
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _entry(**overrides: Any) -> dict[str, Any]:
    data = {
        "channel": "hotline",
        "surname": "Коваленко",
        "given_name": "Олена",
        "patronymic": "Петрівна",
        "phone": "+380 67 123 45 67",
        "address": "вул. Свободи, 12, кв. 5",
        "district": "",
        "email": "",
        "text": "Не працює освітлення у дворі будинку № 12.",
        "summary": "",
        "topic_main": "109",
        "topics_more": "",
        "kind": "3.2",
        "needs_study": "no",
        "subject": "5.1",
        "signatories": "1",
        "sex": "4.2",
        "category": "",
        "social_status": "",
        "how_received": "",
        "written_date": timezone.localdate().strftime("%d.%m.%Y"),
        "token": "",
    }
    data.update(overrides)
    return data


def _post_entry(client: Client, org: Org, **overrides: Any) -> Any:
    return client.post(reverse("appeals:staff_new"), _entry(body=org.d.pk, **overrides))


# --- operator entry -----------------------------------------------------------------------------


def test_entry_form_starts_on_the_surname_with_hotline_and_phone_code(
    org: Org, login: Login
) -> None:
    response = login(org.operator).get(reverse("appeals:staff_new"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="surname"' in html
    assert "autofocus" in html.split('name="surname"')[1][:400]
    assert response.context["form"]["how_received"].value() == "1.1.1"


def test_operator_registers_a_phone_call_and_the_card_opens_with_the_index(
    org: Org, login: Login
) -> None:
    client = login(org.operator)
    response = _post_entry(client, org)
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("appeals:detail", args=[appeal.pk]))
    page = client.get(response["Location"])
    text = page.content.decode()
    assert f"Звернення зареєстровано: № {appeal.reg_index}" in text
    assert appeal.channel == Channel.HOTLINE
    assert (appeal.how_received, appeal.needs_study, appeal.sex) == ("1.1.1", False, "4.2")
    assert appeal.registered_by == org.operator


def test_several_topics_first_is_main(org: Org, login: Login) -> None:
    _post_entry(login(org.operator), org, topic_main="110", topics_more="109, 125")
    appeal = Appeal.objects.get()
    assert list(appeal.topics.filter(is_main=True).values_list("code", flat=True)) == ["110"]
    assert set(appeal.topics.values_list("code", flat=True)) == {"109", "110", "125"}


def test_the_same_form_token_registers_once(org: Org, login: Login) -> None:
    client = login(org.operator)
    _post_entry(client, org, token="abc123")
    _post_entry(client, org, token="abc123")
    assert Appeal.objects.count() == 1


def test_missing_address_asks_for_anonymous_confirmation(org: Org, login: Login) -> None:
    client = login(org.operator)
    response = _post_entry(client, org, address="")
    assert response.status_code == 400
    text = response.content.decode()
    assert "анонімне" in text
    assert 'name="confirm_anonymous"' in text
    assert not Appeal.objects.exists()
    _post_entry(client, org, address="", confirm_anonymous="on")
    assert Appeal.objects.get().state == Appeal.State.NOT_CONSIDERED


def test_possible_duplicate_is_offered_to_mark_as_duplicate(org: Org, login: Login) -> None:
    original = register(org).appeal
    client = login(org.operator)
    response = _post_entry(client, org, channel="post")
    text = response.content.decode()
    assert response.status_code == 400
    assert f'value="{original.pk}"' in text
    assert "Можливий дублікат" in text
    _post_entry(client, org, channel="post", duplicate=str(original.pk))
    duplicate = Appeal.objects.exclude(pk=original.pk).get()
    assert duplicate.sign == Appeal.Sign.DUPLICATE


def test_possible_duplicate_can_be_confirmed_as_a_new_appeal(org: Org, login: Login) -> None:
    register(org)
    _post_entry(login(org.operator), org, channel="post", duplicate="new")
    assert Appeal.objects.filter(state=Appeal.State.REGISTERED).count() == 2


def test_unknown_topic_code_shows_a_ukrainian_error(org: Org, login: Login) -> None:
    response = _post_entry(login(org.operator), org, topics_more="999")
    assert response.status_code == 400
    assert "Невідомий код питання: 999" in response.content.decode()
    assert not Appeal.objects.exists()


def test_earlier_appeals_panel_shows_the_callers_appeals_with_state_and_result(
    org: Org, login: Login
) -> None:
    earlier = register(org).appeal
    Appeal.objects.filter(pk=earlier.pk).update(state=Appeal.State.CLOSED, result="9.3")
    response = login(org.operator).get(
        reverse("appeals:earlier"), {"surname": "", "given_name": "", "phone": "067 123 45 67"}
    )
    text = response.content.decode()
    assert f"№ {earlier.reg_index}" in text
    assert "9.3 дано роз" in text
    assert AuditEvent.objects.filter(action="appeals.appeal.earlier_viewed").exists()


def test_earlier_appeals_panel_hides_other_bodies_appeals(org: Org, login: Login) -> None:
    services.appeal_register(
        actor=_operator_of_x(org), body=org.x, channel=Channel.POST, card=card()
    )
    response = login(org.operator).get(
        reverse("appeals:earlier"), {"surname": "Коваленко", "given_name": "Олена"}
    )
    assert "Раніше звернень" in response.content.decode()


def test_without_javascript_the_check_button_shows_earlier_appeals(org: Org, login: Login) -> None:
    earlier = register(org).appeal
    response = login(org.operator).post(
        reverse("appeals:staff_new"), _entry(body=org.d.pk, check="1", text="")
    )
    assert response.status_code == 200
    assert f"№ {earlier.reg_index}" in response.content.decode()
    assert Appeal.objects.count() == 1


def test_an_executor_cannot_open_operator_entry(org: Org, login: Login) -> None:
    assert login(org.spec_d).get(reverse("appeals:staff_new")).status_code == 403


# --- drafts ------------------------------------------------------------------------------------


def _draft(org: Org) -> Appeal:
    return services.appeal_draft_create(
        body=org.d,
        channel=Channel.EMAIL,
        card=services.AppealCard(
            text="Прошу полагодити ліфт.", surname="Гнатюк", given_name="Іван", email="i@ex.org"
        ),
    )


def test_drafts_list_shows_drafts_to_check(org: Org, login: Login) -> None:
    draft = _draft(org)
    response = login(org.operator).get(reverse("appeals:drafts"))
    assert reverse("appeals:draft", args=[draft.pk]) in response.content.decode()


def test_checking_a_draft_prefills_the_card_and_registers_it(org: Org, login: Login) -> None:
    draft = _draft(org)
    client = login(org.operator)
    form = client.get(reverse("appeals:draft", args=[draft.pk])).context["form"]
    assert form["surname"].value() == "Гнатюк"
    response = client.post(
        reverse("appeals:draft", args=[draft.pk]),
        _entry(
            body=org.d.pk,
            channel="email",
            surname="Гнатюк",
            given_name="Іван",
            patronymic="",
            phone="",
            email="i@ex.org",
            address="вул. Лісова, 1",
            text="Прошу полагодити ліфт.",
            topic_main="110",
        ),
    )
    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.state == Appeal.State.REGISTERED
    assert draft.seq == 1
    assert draft.channel == Channel.EMAIL


def test_discarding_a_draft_needs_a_reason(org: Org, login: Login) -> None:
    draft = _draft(org)
    client = login(org.operator)
    client.post(reverse("appeals:draft_discard", args=[draft.pk]), {"reason": ""})
    draft.refresh_from_db()
    assert draft.state == Appeal.State.DRAFT
    client.post(reverse("appeals:draft_discard", args=[draft.pk]), {"reason": "спам"})
    draft.refresh_from_db()
    assert (draft.state, draft.not_considered_reason) == (Appeal.State.DISCARDED, "спам")


# --- the queue -----------------------------------------------------------------------------------


def _operator_of_x(org: Org) -> User:
    from hromada.accounts.roles import Role
    from hromada.control.factories import person

    return person(org.x, Role.OPERATOR, email="operator-x@example.org")


def test_queue_shows_only_visible_appeals_benefit_holders_first(org: Org, login: Login) -> None:
    plain = register(org).appeal
    veteran = register(org, surname="Бондар", phone="0631112233", category="7.5").appeal
    services.appeal_register(
        actor=_operator_of_x(org),
        body=org.x,
        channel=Channel.POST,
        card=card(surname="Чужий", phone="0991112233"),
    )
    rows = login(org.operator).get(reverse("appeals:queue")).context["rows"]
    assert [r.appeal.pk for r in rows] == [veteran.pk, plain.pk]


def test_queue_filters_overdue_and_by_text(org: Org, login: Login) -> None:
    late = register(org).appeal
    other = register(org, surname="Шевченко", given_name="Тарас", phone="0501112233").appeal
    Appeal.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    client = login(org.operator)
    overdue = client.get(reverse("appeals:queue"), {"clock": "overdue"}).context["rows"]
    assert [r.appeal.pk for r in overdue] == [late.pk]
    found = client.get(reverse("appeals:queue"), {"q": "шевченко"}).context["rows"]
    assert [r.appeal.pk for r in found] == [other.pk]
    by_index = client.get(reverse("appeals:queue"), {"q": other.reg_index}).context["rows"]
    assert [r.appeal.pk for r in by_index] == [other.pk]


def test_queue_filters_by_topic_channel_and_state(org: Org, login: Login) -> None:
    lights = register(org).appeal
    roads = register(
        org, surname="Шевченко", phone="0501112233", topics=["103"], channel=Channel.POST
    ).appeal
    client = login(org.operator)
    by_topic = client.get(reverse("appeals:queue"), {"topic": "103"}).context["rows"]
    assert [r.appeal.pk for r in by_topic] == [roads.pk]
    by_channel = client.get(reverse("appeals:queue"), {"channel": "hotline"}).context["rows"]
    assert [r.appeal.pk for r in by_channel] == [lights.pk]
    by_state = client.get(reverse("appeals:queue"), {"state": "forwarded"}).context["rows"]
    assert by_state == []


def test_queue_query_count_does_not_grow_with_rows(org: Org, login: Login) -> None:
    client = login(org.operator)
    register(org)
    client.get(reverse("appeals:queue"))  # warm caches (content types, classifiers)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("appeals:queue"))
    for i in range(12):
        register(org, surname=f"Особа{i}", phone=f"05011122{i:02d}", category="7.5")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("appeals:queue"))
    assert len(response.context["rows"]) == 13
    assert len(many) == len(few)


def test_a_heads_queue_reads_their_units_once(org: Org, login: Login) -> None:
    register(org)
    client = login(org.head_d)
    client.get(reverse("appeals:queue"))  # warm caches (content types, the id-list choice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("appeals:queue"))
    assert response.status_code == 200
    unit_reads = [
        q["sql"] for q in queries if 'FROM "accounts_orgunit"' in q["sql"] and "LIKE" in q["sql"]
    ]
    assert len(unit_reads) == 1, unit_reads
    assert len(response.context["rows"]) == 1


def test_queue_filters_by_unit(org: Org, login: Login) -> None:
    from hromada.accounts.roles import Role
    from hromada.control.factories import person

    mine = register(org).appeal
    central = person(org.x, Role.OPERATOR, email="operator-x-d@example.org")
    from hromada.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=central, role=Role.OPERATOR, unit=org.d)
    theirs = services.appeal_register(
        actor=central,
        body=org.x,
        channel=Channel.POST,
        card=card(surname="Чужий", given_name="Іван", phone="0991112233"),
    ).appeal
    client = login(central)
    in_d = client.get(reverse("appeals:queue"), {"unit": org.d.pk}).context["rows"]
    in_x = client.get(reverse("appeals:queue"), {"unit": org.x.pk}).context["rows"]
    assert ([r.appeal.pk for r in in_d], [r.appeal.pk for r in in_x]) == (
        [mine.pk],
        [theirs.pk],
    )


def test_queue_row_shows_labels_dates_clocks_and_links(org: Org, login: Login) -> None:
    first = register(org).appeal
    repeated = register(org, surname="Бондар", phone="0631112233", category="7.5").appeal
    Appeal.objects.filter(pk=repeated.pk).update(sign=Appeal.Sign.REPEATED)
    third = register(org, surname="Шевченко", phone="0501112233").appeal
    group = services.mass_group_mark(
        actor=org.operator, appeal_ids=[first.pk, third.pk], title="Темно у дворі"
    )
    html = login(org.operator).get(reverse("appeals:queue")).content.decode()
    repeated.refresh_from_db()
    assert f'href="{reverse("appeals:detail", args=[repeated.pk])}">№ {repeated.reg_index}' in html
    assert f'href="{reverse("appeals:mass_group", args=[group.pk])}">масове' in html
    assert f"{repeated.reg_date:%d.%m.%Y} · гаряча лінія" in html
    assert "повторне" in html
    assert "пільгова категорія" in html
    assert f"Вибрати № {repeated.reg_index}" in html
    assert repeated.due_date is not None
    assert repeated.reg_date is not None
    assert f"{repeated.due_date:%d.%m.%Y}<br>" in html
    assert f"переслати до {terms.forward_by(repeated.reg_date):%d.%m}" in html


def test_queue_page_reads_a_fixed_number_of_queries_with_filters_and_mass_groups(
    org: Org, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hromada.appeals import selectors

    monkeypatch.setattr(selectors, "_few_visible_memo", {})  # decided afresh, restored after
    first = register(org).appeal
    client = login(org.operator)
    filters = {"unit": str(org.d.pk), "topic": "109", "state": "open"}
    client.get(reverse("appeals:queue"), filters)  # warm caches (content types, classifiers)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("appeals:queue"), filters)
    second = register(org, surname="Шевченко", phone="0501112233").appeal
    services.mass_group_mark(actor=org.operator, appeal_ids=[first.pk, second.pk], title="Група")
    with CaptureQueriesContext(connection) as two:
        response = client.get(reverse("appeals:queue"), filters)
    assert len(response.context["rows"]) == 2
    # session with its user and grants (one statement), the bodies of the unit filter (whose
    # ids also check the chosen unit), topics' classifier, substitutions, the ids of the
    # operator's units, the page's ids, its rows, their topics; a mass group adds none (its
    # id is on the row).
    assert len(two) == len(one) == 8


@pytest.mark.parametrize("few_visible", [0, 10**9], ids=["row-by-row", "id-list"])
def test_staff_lists_show_what_the_rule_allows_in_either_query_shape(
    org: Org, monkeypatch: pytest.MonkeyPatch, few_visible: int
) -> None:
    from hromada.appeals import selectors
    from hromada.control import services as control

    in_d = register(org).appeal
    assigned_to_d1 = register(org, surname="Шевченко", phone="0501112233").appeal
    control.resolution_create(
        item=assigned_to_d1, actor=org.head_d, text="Розглянути", executors=[org.spec_d1]
    )
    other_x = services.appeal_register(
        actor=_operator_of_x(org),
        body=org.x,
        channel=Channel.POST,
        card=card(surname="Чужий", given_name="Іван", phone="0991112233"),
    ).appeal
    monkeypatch.setattr(selectors, "FEW_VISIBLE", few_visible)
    monkeypatch.setattr(selectors, "_few_visible_memo", {})  # a fresh memo, restored after
    everyone = [in_d, assigned_to_d1, other_x]
    for user in (org.head_d, org.head_d1, org.head_x, org.spec_d1, org.operator, org.outsider):
        allowed = {a.pk for a in everyone if user.has_perm("appeals.view_appeal", a)}
        listed = set(selectors.visible_appeals(user).values_list("pk", flat=True))
        assert listed == allowed, user.email
    assert {a.pk for a in everyone if org.head_d1.has_perm("appeals.view_appeal", a)} == {
        assigned_to_d1.pk
    }


def test_queue_pages_without_counting(org: Org, login: Login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hromada.appeals import staff_views

    monkeypatch.setattr(staff_views, "PAGE_SIZE", 2)
    for i in range(3):
        register(org, surname=f"Особа{i}", phone=f"05011122{i:02d}")
    client = login(org.operator)
    first = client.get(reverse("appeals:queue"))
    second = client.get(reverse("appeals:queue"), {"page": "2"})
    assert (len(first.context["rows"]), first.context["has_next"]) == (2, True)
    assert (len(second.context["rows"]), second.context["has_next"]) == (1, False)


def test_selected_appeals_are_marked_as_a_mass_appeal(org: Org, login: Login) -> None:
    first = register(org).appeal
    second = register(org, surname="Шевченко", phone="0501112233").appeal
    client = login(org.operator)
    response = client.post(
        reverse("appeals:mass_mark"),
        {"appeal": [first.pk, second.pk], "title": "Темно у дворі", "place": "вул. Свободи, 12"},
    )
    group = MassGroup.objects.get()
    assert response["Location"] == reverse("appeals:mass_group", args=[group.pk])
    page = client.get(response["Location"]).content.decode()
    assert f"№ {first.reg_index}" in page
    assert f"№ {second.reg_index}" in page
    assert "Темно у дворі" in client.get(reverse("appeals:mass_groups")).content.decode()


# --- the card and its actions -----------------------------------------------------------------


def test_viewing_the_card_is_audited_and_shows_the_clocks(org: Org, login: Login) -> None:
    appeal = register(org).appeal
    response = login(org.head_d).get(reverse("appeals:detail", args=[appeal.pk]))
    text = response.content.decode()
    assert "Коваленко Олена Петрівна" in text
    assert "Граничний строк (45 днів)" in text
    assert "Переслати за належністю (5 днів)" in text
    assert AuditEvent.objects.filter(
        action="appeals.appeal.viewed", object_id=str(appeal.pk), actor=org.head_d
    ).exists()


def test_repeated_appeal_card_shows_the_earlier_answer(org: Org, login: Login) -> None:
    from hromada.appeals.models import Answer

    earlier = register(org).appeal
    Appeal.objects.filter(pk=earlier.pk).update(
        state=Appeal.State.CLOSED,
        result="9.3",
        reg_date=timezone.localdate() - timedelta(days=60),
    )
    Answer.objects.create(
        appeal=earlier,
        text="Освітлення відновлено 12 травня.",
        state=Answer.State.SENT,
        sent_at=timezone.now(),
        result="9.3",
        prepared_by=org.spec_d,
    )
    repeated = register(org, phone="+380671234567").appeal
    text = login(org.operator).get(reverse("appeals:detail", args=[repeated.pk])).content
    assert "Освітлення відновлено 12 травня." in text.decode()


def test_file_download_is_checked_and_audited(org: Org, login: Login) -> None:
    upload = SimpleUploadedFile("скан.png", PNG, content_type="image/png")
    appeal = register(org, files=[upload]).appeal
    stored = AppealFile.objects.get(appeal=appeal)
    response = login(org.operator).get(reverse("appeals:file", args=[stored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(
        action="appeals.appeal.viewed", data__what=f"file:{stored.pk}"
    ).exists()


def test_extension_beyond_45_days_shows_a_ukrainian_error(org: Org, login: Login) -> None:
    appeal = register(org).appeal
    assert appeal.reg_date is not None
    response = login(org.head_d).post(
        reverse("appeals:extend", args=[appeal.pk]),
        {
            "new_due_date": (appeal.reg_date + timedelta(days=50)).strftime("%d.%m.%Y"),
            "reason": "експертиза",
        },
    )
    assert response.status_code == 400
    assert "не може перевищувати 45 днів" in response.content.decode()


def test_head_extends_the_term_from_the_card(org: Org, login: Login) -> None:
    appeal = register(org).appeal
    assert appeal.reg_date is not None
    new = terms.latest_due_date(appeal.reg_date)
    client = login(org.head_d)
    response = client.post(
        reverse("appeals:extend", args=[appeal.pk]),
        {"new_due_date": new.strftime("%d.%m.%Y"), "reason": "експертиза"},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.due_date == new


def test_forwarding_late_shows_the_warning_then_is_flagged_on_the_card(
    org: Org, login: Login
) -> None:
    appeal = register(org).appeal
    Appeal.objects.filter(pk=appeal.pk).update(reg_date=timezone.localdate() - timedelta(days=7))
    client = login(org.operator)
    form_page = client.get(reverse("appeals:forward", args=[appeal.pk])).content.decode()
    assert "більше 5 днів" in form_page
    client.post(
        reverse("appeals:forward", args=[appeal.pk]),
        {"to_body": "ДСНС", "covering_letter": "Надсилаємо за належністю."},
    )
    card_page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "пізніше 5 днів" in card_page


def test_card_correction_from_the_card(org: Org, login: Login) -> None:
    appeal = register(org).appeal
    client = login(org.operator)
    initial = client.get(reverse("appeals:correct", args=[appeal.pk])).context["form"].initial
    data = {k: ("" if v is None else v) for k, v in initial.items()}
    data["address"] = "вул. Нова, 1"
    response = client.post(reverse("appeals:correct", args=[appeal.pk]), data)
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.address == "вул. Нова, 1"


def test_not_consider_and_return_from_the_card(org: Org, login: Login) -> None:
    first = register(org).appeal
    second = register(org, surname="Шевченко", phone="0501112233").appeal
    client = login(org.operator)
    client.post(reverse("appeals:not_consider", args=[first.pk]), {"reason": "incapable"})
    client.post(reverse("appeals:return", args=[second.pk]), {"explanation": "Немає підпису."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.result, second.result) == ("9.6", "9.5")


# --- permissions ----------------------------------------------------------------------------------


def _id_urls(appeal: Appeal, stored: AppealFile) -> list[str]:
    return [
        reverse("appeals:detail", args=[appeal.pk]),
        reverse("appeals:correct", args=[appeal.pk]),
        reverse("appeals:extend", args=[appeal.pk]),
        reverse("appeals:forward", args=[appeal.pk]),
        reverse("appeals:return", args=[appeal.pk]),
        reverse("appeals:not_consider", args=[appeal.pk]),
        reverse("appeals:file", args=[stored.pk]),
    ]


@pytest.mark.parametrize("who", ["outsider", "head_x", "operator_x"])
def test_another_departments_staff_get_404_on_every_url_by_id(
    org: Org, login: Login, who: str
) -> None:
    upload = SimpleUploadedFile("скан.png", PNG, content_type="image/png")
    appeal = register(org, files=[upload]).appeal
    stored = AppealFile.objects.get()
    draft = _draft(org)
    user = _operator_of_x(org) if who == "operator_x" else getattr(org, who)
    client = login(user)
    for url in _id_urls(appeal, stored):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x", "explanation": "x"}).status_code in (404, 405)
    assert client.get(reverse("appeals:draft", args=[draft.pk])).status_code == 404
    discard = client.post(reverse("appeals:draft_discard", args=[draft.pk]), {"reason": "x"})
    assert discard.status_code == 404
    mark = client.post(reverse("appeals:mass_mark"), {"appeal": [appeal.pk], "title": "x"})
    assert mark.status_code == 404
    group = services.mass_group_mark(
        actor=org.operator,
        appeal_ids=[appeal.pk, register(org, surname="Інша", phone="0931112233").appeal.pk],
        title="Група",
    )
    assert client.get(reverse("appeals:mass_group", args=[group.pk])).status_code == 404
    rows = client.get(reverse("appeals:queue")).context["rows"]
    assert rows == []
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.REGISTERED


def test_a_citizen_gets_404_on_staff_urls(org: Org, client: Client) -> None:
    appeal = register(org).appeal
    citizen: User = UserFactory()  # type: ignore[no-untyped-call,assignment]
    Appeal.objects.filter(pk=appeal.pk).update(applicant=citizen)
    client.force_login(citizen)
    stored_pk = 10**6
    for url in [
        reverse("appeals:queue"),
        reverse("appeals:staff_new"),
        reverse("appeals:drafts"),
        reverse("appeals:mass_groups"),
        reverse("appeals:earlier"),
        reverse("appeals:detail", args=[appeal.pk]),
        reverse("appeals:extend", args=[appeal.pk]),
        reverse("appeals:file", args=[stored_pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_an_executor_sees_the_card_of_an_appeal_assigned_to_them_but_cannot_forward(
    org: Org, login: Login
) -> None:
    from hromada.control import services as control

    appeal = register(org).appeal
    control.resolution_create(
        item=appeal, actor=org.head_d, text="Розглянути", executors=[org.spec_d1]
    )
    client = login(org.spec_d1)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 200
    assert client.get(reverse("appeals:forward", args=[appeal.pk])).status_code == 403


def test_dashboard_panel_counts_overdue_appeals(org: Org, login: Login) -> None:
    from hromada.appeals.staff_views import dashboard_panel

    appeal = register(org).appeal
    Appeal.objects.filter(pk=appeal.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    client = login(org.operator)
    request = client.get(reverse("appeals:queue")).wsgi_request
    html = dashboard_panel(request)
    assert html is not None
    assert "Прострочені" in html


def test_dashboard_counts_are_the_users_open_overdue_due_soon_and_drafts(org: Org) -> None:
    from hromada.appeals.staff_selectors import dashboard_counts

    today = timezone.localdate()
    due = {"Бондар": -1, "Шевченко": 1, "Ткаченко": 30, "Мельник": -3, "Кравець": 5}
    ids = {}
    for n, (surname, days) in enumerate(due.items()):
        appeal = register(
            org, surname=surname, phone=f"+380 67 000 00 {n:02d}", email=f"c{n}@example.org"
        ).appeal
        Appeal.objects.filter(pk=appeal.pk).update(due_date=today + timedelta(days=days))
        ids[surname] = appeal.pk
    Appeal.objects.filter(pk=ids["Мельник"]).update(state=Appeal.State.CLOSED)
    Appeal.objects.filter(pk=ids["Кравець"]).update(state=Appeal.State.DRAFT)

    dashboard_counts(org.operator, today=today)  # the per-process visibility probe, once
    with CaptureQueriesContext(connection) as queries:
        counts = dashboard_counts(org.operator, today=today)

    assert counts == {"overdue": 1, "due_soon": 1, "open": 3, "drafts": 1}
    reads = [q for q in queries.captured_queries if "appeals_appeal" in q["sql"]]
    assert len(reads) == 1  # the four counts in one aggregate


def test_dashboard_counts_of_an_outsider_are_zero_and_show_no_panel(org: Org, login: Login) -> None:
    from hromada.appeals.staff_selectors import dashboard_counts
    from hromada.appeals.staff_views import dashboard_panel

    appeal = register(org).appeal
    Appeal.objects.filter(pk=appeal.pk).update(due_date=timezone.localdate() - timedelta(days=1))

    assert dashboard_counts(org.outsider) == {"overdue": 0, "due_soon": 0, "open": 0, "drafts": 0}
    request = login(org.outsider).get(reverse("staff_home")).wsgi_request
    assert dashboard_panel(request) is None
