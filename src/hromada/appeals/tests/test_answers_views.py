"""Staff screens of answers: the form from a template, sign/send buttons, DOCX/PDF, the queue."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from docx import Document as DocxDocument

from hromada.accounts.models import User
from hromada.appeals import answers
from hromada.appeals.answer_views import sign_panel
from hromada.appeals.factories import register
from hromada.appeals.models import Answer, Appeal
from hromada.control import services as control
from hromada.control.factories import Org

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def in_work(org: Org) -> Appeal:
    appeal = register(org).appeal
    control.resolution_create(
        item=appeal, actor=org.head_d, text="Розглянути", executors=[org.spec_d]
    )
    appeal.refresh_from_db()
    return appeal


def draft(org: Org, appeal: Appeal, **kwargs: object) -> Answer:
    values: dict[str, object] = {
        "actor": org.spec_d,
        "appeal_id": appeal.pk,
        "kind": Answer.Kind.FINAL,
        "text": "Освітлення відновлено 20 травня.",
        "result": "9.1",
    }
    values.update(kwargs)
    return answers.answer_prepare(**values)  # type: ignore[arg-type]


def test_form_is_prefilled_from_the_chosen_template(org: Org, login: Login) -> None:
    appeal = in_work(org)
    page = login(org.spec_d).get(f"/staff/appeals/{appeal.pk}/answers/new/?template=refused")
    assert page.status_code == 200
    html = page.content.decode()
    assert "відмовлено" in html
    assert "Олена Петрівна" in html
    assert 'value="9.2"' in html


def test_posting_the_form_saves_a_draft(org: Org, login: Login) -> None:
    appeal = in_work(org)
    response = login(org.spec_d).post(
        f"/staff/appeals/{appeal.pk}/answers/new/",
        {"kind": "final", "result": "9.3", "text": "Роз'яснюємо порядок.", "template": "explained"},
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert (answer.result, answer.template, answer.state) == ("9.3", "explained", "draft")


def test_refusal_without_grounds_shows_the_error_on_the_field(org: Org, login: Login) -> None:
    appeal = in_work(org)
    response = login(org.spec_d).post(
        f"/staff/appeals/{appeal.pk}/answers/new/",
        {"kind": "final", "result": "9.2", "text": "Відмовлено."},
    )
    assert response.status_code == 400
    assert "підстави відмови" in response.content.decode()
    assert not Answer.objects.exists()


def test_final_answer_without_result_shows_an_error(org: Org, login: Login) -> None:
    appeal = in_work(org)
    response = login(org.spec_d).post(
        f"/staff/appeals/{appeal.pk}/answers/new/", {"kind": "final", "text": "Текст."}
    )
    assert response.status_code == 400
    assert "Оберіть результат розгляду" in response.content.decode()


def test_interim_date_in_wrong_format_is_refused(org: Org, login: Login) -> None:
    appeal = in_work(org)
    response = login(org.spec_d).post(
        f"/staff/appeals/{appeal.pk}/answers/new/",
        {"kind": "interim", "text": "Роботи в травні.", "next_date": "травень"},
    )
    assert response.status_code == 400
    assert "ДД.ММ.РРРР" in response.content.decode()


def test_sign_by_a_non_head_through_the_screen_is_forbidden(org: Org, login: Login) -> None:
    appeal = in_work(org)
    answer = draft(org, appeal)
    response = login(org.spec_d).post(f"/staff/appeals/{appeal.pk}/answers/{answer.pk}/sign/")
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.state == Answer.State.DRAFT


def test_head_signs_and_operator_sends_by_post(org: Org, login: Login) -> None:
    appeal = in_work(org)
    answer = draft(org, appeal)
    signed = login(org.head_d).post(
        f"/staff/appeals/{appeal.pk}/answers/{answer.pk}/sign/", {"signature_kind": "manual"}
    )
    assert signed.status_code == 302
    sent = login(org.operator).post(
        f"/staff/appeals/{appeal.pk}/answers/{answer.pk}/send/", {"delivery": "post"}
    )
    assert sent.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.ANSWERED


def test_pdf_and_docx_downloads(org: Org, login: Login, tmp_path) -> None:  # type: ignore[no-untyped-def]
    appeal = in_work(org)
    answer = answers.answer_sign(actor=org.head_d, answer_id=draft(org, appeal).pk)
    client = login(org.spec_d)
    pdf = client.get(f"/staff/appeals/{appeal.pk}/answers/{answer.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "answer.pdf"
    path.write_bytes(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Освітлення відновлено 20 травня." in text
    docx = client.get(f"/staff/appeals/{appeal.pk}/answers/{answer.pk}/docx/")
    assert docx.status_code == 200
    doc = DocxDocument(io.BytesIO(docx.content))
    assert any("Освітлення відновлено" in p.text for p in doc.paragraphs)


def test_outsiders_get_404_on_every_answer_url(org: Org, login: Login) -> None:
    appeal = in_work(org)
    answer = draft(org, appeal)
    client = login(org.outsider)
    base = f"/staff/appeals/{appeal.pk}/answers"
    for url in (f"{base}/new/", f"{base}/{answer.pk}/", f"{base}/{answer.pk}/pdf/"):
        assert client.get(url).status_code == 404
    for url in (f"{base}/{answer.pk}/sign/", f"{base}/{answer.pk}/send/"):
        assert client.post(url).status_code == 404
    # another appeal's answer under a visible appeal's id
    other = in_work_other(org)
    own = login(org.operator)
    assert own.get(f"/staff/appeals/{other.pk}/answers/{answer.pk}/pdf/").status_code == 404


def in_work_other(org: Org) -> Appeal:
    return register(org, surname="Гончар", phone="0937770000").appeal


def test_section_offers_templates_and_sign_button_to_the_head(org: Org) -> None:
    appeal = in_work(org)
    draft(org, appeal)
    request = RequestFactory().get("/")
    request.user = org.head_d
    html = Template("{% include 'appeals/answers/_section.html' %}").render(
        Context({"appeal": appeal, "request": request})
    )
    assert "Підписати" in html
    assert "Освітлення відновлено" in html
    request.user = org.spec_d
    html = Template("{% include 'appeals/answers/_section.html' %}").render(
        Context({"appeal": appeal, "request": request})
    )
    assert "Підписати" not in html
    assert "Редагувати проєкт" in html


def test_signing_queue_and_dashboard_panel(org: Org, login: Login) -> None:
    appeal = in_work(org)
    draft(org, appeal)
    page = login(org.head_d).get("/staff/appeals/answers/")
    assert page.status_code == 200
    assert str(appeal) in page.content.decode()
    request = RequestFactory().get("/staff/")
    request.user = org.head_d
    assert "Проєкти відповідей" in (sign_panel(request) or "")
    request.user = org.head_x
    assert sign_panel(request) is None
