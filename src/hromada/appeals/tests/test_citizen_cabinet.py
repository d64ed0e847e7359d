"""The citizen cabinet: my appeals, history, units, answers, follow-ups; nobody else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hromada.accounts.factories import UserFactory
from hromada.accounts.models import User
from hromada.appeals.factories import register
from hromada.appeals.models import Answer, Appeal, AppealFile, AppealLink
from hromada.control import services as control
from hromada.control.factories import Org
from hromada.core.audit import AuditEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def citizen() -> User:
    return UserFactory(email="olena@example.org", surname="Коваленко", given_name="Олена")


@pytest.fixture
def other() -> User:
    return UserFactory(email="petro@example.org", surname="Бондар", given_name="Петро")


def mine(org: Org, user: User, **overrides: Any) -> Appeal:
    return register(org, applicant=user, **overrides).appeal


def in_work(org: Org, appeal: Appeal) -> Appeal:
    control.resolution_create(
        item=appeal, actor=org.head_d, text="Розглянути", executors=[org.spec_d1]
    )
    appeal.refresh_from_db()
    return appeal


def answered(org: Org, appeal: Appeal, *, state: str = Answer.State.SENT) -> Answer:
    pdf = AppealFile(
        appeal=appeal,
        kind=AppealFile.Kind.ANSWER,
        name="vidpovid.pdf",
        mime="application/pdf",
        size=len(PDF),
    )
    pdf.blob.save("vidpovid.pdf", ContentFile(PDF), save=False)
    pdf.save()
    answer = Answer.objects.create(
        appeal=appeal,
        kind=Answer.Kind.FINAL,
        state=state,
        text="Освітлення відновлено 20.11.",
        result="9.1",
        prepared_by=org.spec_d1,
        signer=org.head_d,
        sent_at=timezone.now() if state == Answer.State.SENT else None,
        pdf=pdf,
    )
    if state == Answer.State.SENT:
        Appeal.objects.filter(pk=appeal.pk).update(state=Appeal.State.ANSWERED, result="9.1")
    return answer


def test_cabinet_lists_only_my_appeals(
    client: Client, org: Org, citizen: User, other: User
) -> None:
    my = mine(org, citizen)
    theirs = mine(org, other, surname="Бондар", given_name="Петро", phone="0501112233")
    client.force_login(citizen)
    body = client.get(reverse("appeals:cabinet")).content.decode()
    assert reverse("appeals:cabinet_detail", args=[my.pk]) in body
    assert reverse("appeals:cabinet_detail", args=[theirs.pk]) not in body


def test_cabinet_list_query_count_does_not_grow(
    client: Client, org: Org, citizen: User, django_assert_max_num_queries: Any
) -> None:
    for i in range(5):
        mine(org, citizen, surname=f"Коваленко{i}", phone="")
    client.force_login(citizen)
    with django_assert_max_num_queries(12):
        client.get(reverse("appeals:cabinet"))


def test_detail_shows_history_terms_and_executor_unit_without_staff_names(
    client: Client, org: Org, citizen: User
) -> None:
    appeal = in_work(org, mine(org, citizen))
    client.force_login(citizen)
    response = client.get(reverse("appeals:cabinet_detail", args=[appeal.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "зареєстровано" in body
    assert "передано на розгляд" in body
    assert appeal.due_date is not None
    assert appeal.due_date.strftime("%d.%m.%Y") in body
    assert "Відділ D1" in body.split('id="appeal-units"')[1][:200]
    for staff in (org.head_d, org.spec_d1, org.operator):
        assert staff.surname not in body
    assert AuditEvent.objects.filter(action="appeals.appeal.viewed").exists()


def test_sent_answer_is_shown_and_downloadable(client: Client, org: Org, citizen: User) -> None:
    appeal = in_work(org, mine(org, citizen))
    answer = answered(org, appeal)
    client.force_login(citizen)
    body = client.get(reverse("appeals:cabinet_detail", args=[appeal.pk])).content.decode()
    assert "Освітлення відновлено" in body
    url = reverse("appeals:cabinet_file", args=[appeal.pk, answer.pdf_id])
    assert url in body
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_unsent_answer_is_neither_shown_nor_downloadable(
    client: Client, org: Org, citizen: User
) -> None:
    appeal = in_work(org, mine(org, citizen))
    answer = answered(org, appeal, state=Answer.State.SIGNED)
    client.force_login(citizen)
    body = client.get(reverse("appeals:cabinet_detail", args=[appeal.pk])).content.decode()
    assert "Освітлення відновлено" not in body
    url = reverse("appeals:cabinet_file", args=[appeal.pk, answer.pdf_id])
    assert client.get(url).status_code == 404


def test_complaint_about_the_answer_creates_a_linked_complaint(
    client: Client, org: Org, citizen: User
) -> None:
    appeal = in_work(org, mine(org, citizen))
    answered(org, appeal)
    client.force_login(citizen)
    url = reverse("appeals:cabinet_complaint", args=[appeal.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Світло знову не працює.", "consent": "on"})
    assert response.status_code == 302
    complaint = Appeal.objects.exclude(pk=appeal.pk).get()
    assert complaint.kind == Appeal.Kind.COMPLAINT
    assert complaint.applicant == citizen
    assert complaint.state == Appeal.State.REGISTERED
    assert AppealLink.objects.filter(
        from_appeal=complaint, to_appeal=appeal, kind=AppealLink.Kind.COMPLAINT
    ).exists()
    page = client.get(response["Location"]).content.decode()
    assert complaint.reg_index in page


def test_complaint_needs_a_sent_final_answer(client: Client, org: Org, citizen: User) -> None:
    appeal = mine(org, citizen)
    client.force_login(citizen)
    assert client.get(reverse("appeals:cabinet_complaint", args=[appeal.pk])).status_code == 404


def test_follow_up_creates_a_linked_appeal_with_the_same_topic(
    client: Client, org: Org, citizen: User
) -> None:
    appeal = mine(org, citizen)
    client.force_login(citizen)
    response = client.post(
        reverse("appeals:cabinet_follow_up", args=[appeal.pk]),
        {"text": "Додаю фото опори.", "consent": "on"},
    )
    assert response.status_code == 302
    follow_up = Appeal.objects.exclude(pk=appeal.pk).get()
    assert [t.code for t in follow_up.topics.all()] == ["109"]
    assert AppealLink.objects.filter(
        from_appeal=follow_up, to_appeal=appeal, kind=AppealLink.Kind.FOLLOW_UP
    ).exists()


def test_follow_up_without_consent_is_refused(client: Client, org: Org, citizen: User) -> None:
    appeal = mine(org, citizen)
    client.force_login(citizen)
    response = client.post(
        reverse("appeals:cabinet_follow_up", args=[appeal.pk]), {"text": "Додаю."}
    )
    assert response.status_code == 400
    assert Appeal.objects.count() == 1


# --- isolation: another citizen's appeal is 404 on every URL that takes an id -----------------


def _urls(appeal: Appeal, file_id: int) -> list[str]:
    return [
        reverse("appeals:cabinet_detail", args=[appeal.pk]),
        reverse("appeals:cabinet_file", args=[appeal.pk, file_id]),
        reverse("appeals:cabinet_follow_up", args=[appeal.pk]),
        reverse("appeals:cabinet_complaint", args=[appeal.pk]),
    ]


def test_another_citizen_gets_404_on_every_url(
    client: Client, org: Org, citizen: User, other: User
) -> None:
    appeal = in_work(org, mine(org, citizen))
    answer = answered(org, appeal)
    client.force_login(other)
    for url in _urls(appeal, answer.pdf_id or 0):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "чуже", "consent": "on"}).status_code in (404, 405), url
    assert Appeal.objects.count() == 1


def test_my_file_id_under_another_appeal_is_404(
    client: Client, org: Org, citizen: User, other: User
) -> None:
    my = in_work(org, mine(org, citizen))
    theirs = in_work(org, mine(org, other, surname="Бондар", given_name="Петро", phone=""))
    their_answer = answered(org, theirs)
    client.force_login(citizen)
    url = reverse("appeals:cabinet_file", args=[my.pk, their_answer.pdf_id])
    assert client.get(url).status_code == 404


def test_staff_who_may_see_the_appeal_still_get_404_in_the_cabinet(
    client: Client, org: Org, citizen: User, login: Any
) -> None:
    appeal = mine(org, citizen)
    login(org.operator)
    assert client.get(reverse("appeals:cabinet_detail", args=[appeal.pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client: Client, org: Org, citizen: User) -> None:
    appeal = mine(org, citizen)
    for url in [reverse("appeals:cabinet"), *_urls(appeal, 1)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_discarded_draft_is_not_in_my_cabinet(client: Client, org: Org, citizen: User) -> None:
    appeal = mine(org, citizen)
    Appeal.objects.filter(pk=appeal.pk).update(state=Appeal.State.DISCARDED)
    client.force_login(citizen)
    assert client.get(reverse("appeals:cabinet_detail", args=[appeal.pk])).status_code == 404


def test_cabinet_page_links_to_my_appeals(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    body = client.get("/cabinet/").content.decode()
    assert reverse("appeals:cabinet") in body
