"""The public web form /appeals/new/: validation, bad input, robots, rate limits, prefill."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hromada.accounts.factories import UserFactory
from hromada.appeals.models import Appeal, AppealFile, AppealLink, Channel, ReceptionRoom
from hromada.appeals.public_forms import form_token
from hromada.control.factories import Org

pytestmark = pytest.mark.django_db

URL = "/appeals/new/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def no_fill_delay(settings: Any) -> None:
    settings.HROMADA_APPEALS_MIN_FILL_SECONDS = 0


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Run background tasks at once (e-mails land in mail.outbox)."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "mail"],
        }
    }


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "surname": "Коваленко",
        "given_name": "Олена",
        "patronymic": "Петрівна",
        "address": "вул. Свободи, 12",
        "flat": "5",
        "district": "TSM",
        "email": "olena@example.org",
        "phone": "+380 67 123 45 67",
        "kind": "3.2",
        "topic": "109",
        "text": "Прошу відновити освітлення у дворі будинку.",
        "consent": "on",
        "website": "",
        "started": form_token(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def pdf(name: str = "photo.pdf", size: int = 0) -> SimpleUploadedFile:
    body = PDF + b"0" * max(size - len(PDF), 0)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def post(client: Client, files: list[Any] | None = None, **overrides: Any) -> Any:
    data = form_data(**overrides)
    if files is not None:
        data["attachments"] = files
    return client.post(URL, data)


# --- the page ---------------------------------------------------------------------------------


def test_form_page_renders_every_field_without_javascript(client: Client, org: Org) -> None:
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("surname", "given_name", "address", "email", "phone", "topic", "text"):
        assert f'name="{name}"' in body
    assert 'name="attachments"' in body
    assert "multiple" in body
    assert 'enctype="multipart/form-data"' in body
    assert "Комунальні послуги" in body  # topics in plain language


# --- bad input: a clear Ukrainian message, nothing written -------------------------------------


def test_missing_name_is_refused_and_nothing_written(client: Client, org: Org) -> None:
    response = post(client, surname="", given_name="")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Вкажіть прізвище." in body
    assert "Вкажіть ім&#x27;я." in body
    assert not Appeal.objects.exists()


def test_missing_address_is_refused_with_the_law_named(client: Client, org: Org) -> None:
    response = post(client, address="")
    assert response.status_code == 400
    assert "Вкажіть адресу" in response.content.decode()
    assert "ст. 8" in response.content.decode()
    assert not Appeal.objects.exists()


def test_invalid_email_is_refused(client: Client, org: Org) -> None:
    response = post(client, email="olena@@example")
    assert response.status_code == 400
    assert "правильну адресу електронної пошти" in response.content.decode()
    assert not Appeal.objects.exists()


def test_without_an_account_email_is_required(client: Client, org: Org) -> None:
    response = post(client, email="")
    assert response.status_code == 400
    assert "посилання для підтвердження" in response.content.decode()
    assert not Appeal.objects.exists()


def test_missing_consent_is_refused(client: Client, org: Org) -> None:
    response = post(client, consent=None)
    assert response.status_code == 400
    assert "згоди на обробку персональних даних" in response.content.decode()
    assert not Appeal.objects.exists()


def test_unknown_topic_is_refused(client: Client, org: Org) -> None:
    response = post(client, topic="999")
    assert response.status_code == 400
    assert "Оберіть тему зі списку." in response.content.decode()


def test_fifty_attachments_are_refused_and_none_stored(client: Client, org: Org) -> None:
    files = [pdf(f"scan-{i}.pdf") for i in range(50)]
    response = post(client, files=files)
    assert response.status_code == 400
    body = response.content.decode()
    assert "не більше 10 файлів, а ви обрали 50" in body
    assert not Appeal.objects.exists()
    assert not AppealFile.objects.exists()


def test_hundred_megabyte_file_is_refused_and_not_stored(
    client: Client, org: Org, settings: Any
) -> None:
    big = pdf("plan.pdf", size=100 * 1024 * 1024)
    response = post(client, files=[big])
    assert response.status_code == 400
    body = response.content.decode()
    assert "«plan.pdf»: файл завеликий" in body
    assert "10 МБ" in body
    assert not Appeal.objects.exists()
    assert not any(settings.MEDIA_ROOT.rglob("*.pdf"))


def test_file_whose_content_is_not_its_extension_is_refused(client: Client, org: Org) -> None:
    fake = SimpleUploadedFile("photo.pdf", b"<html><script>alert(1)</script></html>")
    response = post(client, files=[fake])
    assert response.status_code == 400
    assert "«photo.pdf»" in response.content.decode()
    assert not Appeal.objects.exists()


def test_html_and_script_are_stored_as_text_and_shown_escaped(client: Client, org: Org) -> None:
    nasty = '<script>alert("x")</script><b>Світло</b>'
    user = UserFactory(email="olena@example.org")
    client.force_login(user)
    response = post(client, text=nasty, surname="<i>Коваленко</i>")
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.text == nasty
    page = client.get(reverse("appeals:cabinet_detail", args=[appeal.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_errors_keep_what_was_typed(client: Client, org: Org) -> None:
    response = post(client, email="bad", text="Мій довгий текст про двір")
    assert "Мій довгий текст про двір" in response.content.decode()


# --- robots -------------------------------------------------------------------------------------


def test_honeypot_filled_saves_nothing(client: Client, org: Org) -> None:
    response = post(client, website="http://spam.example")
    assert response.status_code == 400
    assert not Appeal.objects.exists()
    assert mail.outbox == []


def test_form_sent_too_fast_asks_to_send_again_and_keeps_data(
    client: Client, org: Org, settings: Any
) -> None:
    settings.HROMADA_APPEALS_MIN_FILL_SECONDS = 60
    response = post(client)
    assert response.status_code == 400
    body = response.content.decode()
    assert "надто швидко" in body
    assert "Прошу відновити освітлення" in body
    assert not Appeal.objects.exists()


def test_a_fresh_token_after_a_too_fast_attempt_lets_a_person_through(
    client: Client, org: Org, settings: Any
) -> None:
    settings.HROMADA_APPEALS_MIN_FILL_SECONDS = 60
    post(client)
    settings.HROMADA_APPEALS_MIN_FILL_SECONDS = 0
    assert post(client).status_code == 302


def test_forged_form_token_is_refused(client: Client, org: Org) -> None:
    response = post(client, started="forged")
    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_submissions_are_rate_limited_per_email(client: Client, org: Org, settings: Any) -> None:
    settings.HROMADA_APPEALS_SUBMIT_RATE_LIMIT = "100/h/ip,2/h/key"
    assert post(client).status_code == 302
    assert post(client).status_code == 302
    response = post(client)
    assert response.status_code == 429
    assert "Забагато звернень" in response.content.decode()
    assert Appeal.objects.count() == 2
    # Someone else on the same network is not locked out.
    assert post(client, email="petro@example.org").status_code == 302


def test_submissions_are_rate_limited_per_network(client: Client, org: Org, settings: Any) -> None:
    settings.HROMADA_APPEALS_SUBMIT_RATE_LIMIT = "1/h/ip"
    assert post(client).status_code == 302
    assert post(client, email="petro@example.org").status_code == 429


# --- without an account: a draft and a confirmation e-mail -----------------------------------


def test_without_account_a_draft_is_kept_and_confirmation_sent(
    client: Client, org: Org, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, files=[pdf()])
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.state == Appeal.State.DRAFT
    assert appeal.address == "вул. Свободи, 12, кв. 5"
    assert appeal.district == "TSM"
    assert appeal.consent_at is not None
    assert appeal.files.count() == 1
    assert appeal.channel == Channel.WEB
    assert [m.to for m in mail.outbox] == [["olena@example.org"]]
    assert "/appeals/confirm/" in mail.outbox[0].body
    done = client.get(response["Location"]).content.decode()
    assert "Перевірте пошту" in done
    assert "ol•••@example.org" in done


# --- a signed-in citizen: prefilled, registered at once ----------------------------------------


def test_signed_in_citizen_finds_the_form_prefilled(client: Client, org: Org) -> None:
    user = UserFactory(
        surname="Шевчук", given_name="Марія", patronymic="Іванівна", phone="0671112233"
    )
    client.force_login(user)
    body = client.get(URL).content.decode()
    for value in ("Шевчук", "Марія", "Іванівна", user.email, "0671112233"):
        assert f'value="{value}"' in body


def test_signed_in_citizen_gets_address_from_previous_appeal(client: Client, org: Org) -> None:
    user = UserFactory()
    client.force_login(user)
    post(client, email=user.email, address="вул. Миру, 3", flat="", district="MET")
    body = client.get(URL).content.decode()
    assert 'value="вул. Миру, 3"' in body


def test_signed_in_citizen_appeal_is_registered_at_once_with_index_and_code(
    client: Client, org: Org, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory(email="olena@example.org")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, email="", phone="0671234567")
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.state == Appeal.State.REGISTERED
    assert appeal.applicant == user
    assert appeal.registered_by is None
    assert (appeal.how_received, appeal.appeal_type) == ("1.1", "6.4")
    assert [t.code for t in appeal.topics.all()] == ["109"]
    done = client.get(response["Location"]).content.decode()
    assert appeal.reg_index in done
    code = done.split('id="tracking-code"')[1].split(">")[1].split("<")[0]
    assert len(code) == 8
    # the registration notice carries the same code
    assert code in mail.outbox[0].body
    # shown once: a second look (another person at a kiosk) shows nothing
    assert code not in client.get(response["Location"]).content.decode()


def test_signed_in_citizen_may_give_phone_only(client: Client, org: Org) -> None:
    client.force_login(UserFactory())
    assert post(client, email="", phone="067 123 45 67").status_code == 302


def test_signed_in_without_email_or_phone_is_asked_for_one(client: Client, org: Org) -> None:
    client.force_login(UserFactory())
    response = post(client, email="", phone="")
    assert response.status_code == 400
    assert "e-mail або телефон" in response.content.decode()


def test_double_submission_of_one_form_registers_once(client: Client, org: Org) -> None:
    client.force_login(UserFactory())
    token = form_token()
    post(client, started=token)
    post(client, started=token)
    assert Appeal.objects.count() == 1


def test_citizen_second_appeal_on_same_topic_is_registered_not_blocked(
    client: Client, org: Org
) -> None:
    client.force_login(UserFactory())
    post(client)
    assert post(client, text="Ще одна проблема у дворі").status_code == 302
    assert Appeal.objects.filter(state=Appeal.State.REGISTERED).count() == 2


# --- the virtual reception room and the portal's "report a problem here" ---------------------


def test_room_parameter_addresses_the_official(client: Client, org: Org) -> None:
    room = ReceptionRoom.objects.create(
        official=org.head_d, position_title="Директор департаменту", unit_name="Департамент D"
    )
    page = client.get(f"{URL}?room={room.pk}").content.decode()
    assert "Звернення до:" in page
    assert org.head_d.full_name in page
    client.force_login(UserFactory())
    response = post(client, room=str(room.pk))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.addressee == org.head_d
    assert appeal.channel == Channel.VIRTUAL_ROOM


def test_unpublished_room_is_ignored(client: Client, org: Org) -> None:
    room = ReceptionRoom.objects.create(official=org.head_d, is_public=False)
    page = client.get(f"{URL}?room={room.pk}").content.decode()
    assert "Звернення до:" not in page


def test_portal_problem_link_prefills_address_and_subject(client: Client, org: Org) -> None:
    from hromada.portal.factories import BuildingPassportFactory
    from hromada.portal.views import appeal_url

    passport = BuildingPassportFactory(street="вул. Свободи", number="12", district="POK")
    page = client.get(appeal_url(passport.address, "Дитячий майданчик")).content.decode()
    assert f'value="{passport.address}"' in page
    assert "Дитячий майданчик" in page
    assert '<option value="POK" selected>' in page


def test_address_suggestions_come_from_building_passports(client: Client, org: Org) -> None:
    from hromada.portal.factories import BuildingPassportFactory

    BuildingPassportFactory(street="вул. Свободи", number="12")
    BuildingPassportFactory(street="вул. Миру", number="3")
    body = client.get(reverse("appeals:addresses"), {"address": "Свобод"}).content.decode()
    assert '<option value="вул. Свободи, 12">' in body
    assert "Миру" not in body


def test_district_is_taken_from_the_address_list_when_not_chosen(client: Client, org: Org) -> None:
    from hromada.portal.factories import BuildingPassportFactory

    BuildingPassportFactory(street="вул. Свободи", number="12", district="SAK")
    client.force_login(UserFactory())
    post(client, district="", flat="")
    assert Appeal.objects.get().district == "SAK"


def test_attachment_is_stored_with_a_registered_appeal(client: Client, org: Org) -> None:
    client.force_login(UserFactory())
    post(client, files=[pdf("скан заяви.pdf"), pdf("фото.pdf")])
    appeal = Appeal.objects.get()
    assert sorted(f.name for f in appeal.files.all()) == ["скан заяви.pdf", "фото.pdf"]
    assert not AppealLink.objects.exists()


def test_too_many_files_for_the_server_gives_a_clear_message(
    client: Client, org: Org, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [io.BytesIO(PDF) for _ in range(5)]
    for i, f in enumerate(files):
        f.name = f"f{i}.pdf"
    response = post(client, files=files)
    assert response.status_code == 400
    assert "Забагато файлів" in response.content.decode()
    assert not Appeal.objects.exists()
