from __future__ import annotations

import io

import pytest
from django.core import mail
from openpyxl import Workbook

from hromada.accounts.factories import OrgUnitFactory, StaffFactory, staff_with_role
from hromada.accounts.importing import import_staff, import_units
from hromada.accounts.models import Employment, OrgUnit, Position, RoleAssignment, User
from hromada.accounts.roles import Role
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db

UNITS_CSV = """code,parent_code,kind,name,short_name,email,phone,address
01-15,01,division,Відділ кадрів,ВК,kadry@rada.example,+380 56 123 45 67,пл. Молодіжна 1
01,,executive_committee,Виконавчий комітет,Виконком,,,
01-15-1,01-15,sector,Сектор обліку,,,,
"""


def seg(pk: int) -> str:
    return OrgUnit.path_segment(pk)


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def messages(result) -> list[str]:
    return [str(e) for e in result.errors]


# --- units ---------------------------------------------------------------------------------------
def test_units_import_creates_a_tree_with_parents_defined_later(city_admin):
    result = import_units(actor=city_admin, data=csv_bytes(UNITS_CSV), filename="org.csv")
    assert result.ok, messages(result)
    assert result.created == 3
    committee = OrgUnit.objects.get(code="01")
    kadry = OrgUnit.objects.get(code="01-15")
    sector = OrgUnit.objects.get(code="01-15-1")
    assert kadry.parent == committee
    assert sector.path == f"/{seg(committee.pk)}/{seg(kadry.pk)}/{seg(sector.pk)}/"
    assert kadry.phone == "+380 56 123 45 67"
    assert AuditEvent.objects.filter(action="orgunit.created").count() == 3


def test_units_import_reads_semicolon_separated_csv_with_bom():
    text = "код;вид;назва\n07;department;Управління освіти\n"
    result = import_units(actor=None, data=b"\xef\xbb\xbf" + text.encode(), filename="o.csv")
    assert result.ok, messages(result)
    assert OrgUnit.objects.get(code="07").kind == OrgUnit.Kind.DEPARTMENT


def test_units_import_accepts_kind_labels_in_ukrainian():
    text = "code,kind,name\n09,відділ,Відділ культури\n"
    result = import_units(actor=None, data=csv_bytes(text), filename="o.csv")
    assert result.ok, messages(result)
    assert OrgUnit.objects.get(code="09").kind == OrgUnit.Kind.DIVISION


def test_units_import_reads_xlsx_with_numeric_codes():
    data = xlsx_bytes(
        [
            ["code", "parent_code", "kind", "name"],
            [1, None, "council", "Міська рада"],
            [2, 1, "other", "Комісія"],
        ]
    )
    result = import_units(actor=None, data=data, filename="org.xlsx")
    assert result.ok, messages(result)
    assert OrgUnit.objects.get(code="2").parent == OrgUnit.objects.get(code="1")


def test_units_import_reports_an_unknown_parent_with_its_line_and_imports_nothing():
    text = UNITS_CSV + "01-16,01-99,division,Відділ X,,,,\n"
    result = import_units(actor=None, data=csv_bytes(text), filename="org.csv")
    assert messages(result) == ["Рядок 5: невідомий батьківський підрозділ «01-99»."]
    assert not OrgUnit.objects.exists()


def test_units_import_rolls_back_every_row_when_a_service_refuses_one():
    OrgUnitFactory(code="X", name="Existing")
    text = "code,kind,name,email\nN1,division,Новий,\nN2,division,Інший,not-an-email\n"
    result = import_units(actor=None, data=csv_bytes(text), filename="org.csv")
    assert len(result.errors) == 1
    assert result.errors[0].line == 3
    assert "e-mail" in result.errors[0].message
    assert result.created == 0
    assert not OrgUnit.objects.filter(code__in=["N1", "N2"]).exists()
    assert not AuditEvent.objects.filter(action="orgunit.created").exists()


def test_units_import_reports_every_bad_row():
    text = "code,kind,name\nA,castle,Замок\n,division,Без коду\nA,division,Дубль\nB,division,\n"
    result = import_units(actor=None, data=csv_bytes(text), filename="org.csv")
    assert messages(result)[:3] == [
        "Рядок 2: невідомий вид підрозділу «castle».",
        "Рядок 3: не вказано код підрозділу.",
        "Рядок 4: код «A» уже зустрічається в рядку 2.",
    ]


def test_units_import_reports_a_cycle():
    text = "code,parent_code,kind,name\nA,B,division,A\nB,A,division,B\n"
    result = import_units(actor=None, data=csv_bytes(text), filename="org.csv")
    assert len(result.errors) == 1
    assert "циклічне" in result.errors[0].message
    assert not OrgUnit.objects.exists()


def test_units_import_updates_and_moves_existing_units(city_admin):
    old_parent = OrgUnitFactory(code="P1")
    new_parent = OrgUnitFactory(code="P2")
    unit = OrgUnitFactory(code="U1", name="Стара назва", parent=old_parent)
    text = (
        f"code,parent_code,kind,name\nU1,P2,division,Нова назва\nP1,,division,{old_parent.name}\n"
    )
    result = import_units(actor=city_admin, data=csv_bytes(text), filename="org.csv")
    assert result.ok, messages(result)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    unit.refresh_from_db()
    assert unit.name == "Нова назва"
    assert unit.parent == new_parent


def test_units_import_refuses_a_file_in_windows_1251():
    result = import_units(actor=None, data=csv_bytes(UNITS_CSV, "cp1251"), filename="org.csv")
    assert messages(result) == [
        "Файл не в кодуванні UTF-8. Збережіть таблицю як «CSV UTF-8» і спробуйте ще раз."
    ]


def test_units_import_names_the_missing_columns():
    result = import_units(actor=None, data=csv_bytes("code,title\nA,B\n"), filename="org.csv")
    assert messages(result) == ["Рядок 1: бракує стовпців: kind, name."]


def test_units_import_refuses_a_broken_xlsx():
    result = import_units(actor=None, data=b"PK\x03\x04garbage", filename="org.xlsx")
    assert messages(result) == ["Файл XLSX пошкоджений або має інший формат."]


def test_units_import_refuses_an_unknown_file_type():
    result = import_units(actor=None, data=b"%PDF-1.4", filename="org.pdf")
    assert messages(result) == ["Підтримуються файли CSV (UTF-8) і XLSX."]


def test_units_import_refuses_an_empty_file():
    result = import_units(actor=None, data=b"", filename="org.csv")
    assert messages(result) == ["Файл порожній: немає рядка заголовків."]


def test_units_import_stores_html_in_names_as_text():
    text = 'code,kind,name\nH1,division,"<script>alert(1)</script> Відділ"\n'
    result = import_units(actor=None, data=csv_bytes(text), filename="org.csv")
    assert result.ok
    assert OrgUnit.objects.get(code="H1").name == "<script>alert(1)</script> Відділ"


def test_units_import_is_refused_to_a_unit_administrator(city):
    with pytest.raises(ApplicationError):
        import_units(
            actor=staff_with_role(Role.ADMIN, city.a), data=csv_bytes(UNITS_CSV), filename="o.csv"
        )


# --- staff ---------------------------------------------------------------------------
STAFF_CSV = """email,surname,given_name,patronymic,phone,unit_code,position,is_head,roles
head@rada.example,Петренко,Ольга,Іванівна,+380501112233,A,начальник відділу,так,"head, admin:A1"
clerk@rada.example,Коваль,Іван,,,A1,головний спеціаліст,ні,operator
boss@rada.example,Мельник,Петро,,,,,,admin:*
"""


def test_staff_import_creates_people_positions_and_roles(
    city, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = import_staff(actor=None, data=csv_bytes(STAFF_CSV), filename="staff.csv")
    assert result.ok, messages(result)
    assert result.created == 3
    head = User.objects.get(email="head@rada.example")
    position = Position.objects.get(unit=city.a, title="начальник відділу")
    assert position.is_head
    assert Employment.objects.current().filter(user=head, position=position).exists()
    assert set(RoleAssignment.objects.filter(user=head).values_list("role", "unit__code")) == {
        (Role.HEAD, "A"),
        (Role.ADMIN, "A1"),
    }
    assert RoleAssignment.objects.filter(
        user__email="boss@rada.example", role=Role.ADMIN, unit=None
    ).exists()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "boss@rada.example",
        "clerk@rada.example",
        "head@rada.example",
    ]


def test_staff_import_without_invitations_sends_nothing(
    city, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = import_staff(
            actor=None, data=csv_bytes(STAFF_CSV), filename="staff.csv", send_invitations=False
        )
    assert result.ok
    assert mail.outbox == []


def test_staff_import_reports_an_existing_email_and_imports_nothing(city):
    StaffFactory(email="clerk@rada.example")
    result = import_staff(actor=None, data=csv_bytes(STAFF_CSV), filename="staff.csv")
    assert messages(result) == [
        "Рядок 3: e-mail: Користувач з e-mail «clerk@rada.example» вже існує."
    ]
    assert not User.objects.filter(email="head@rada.example").exists()
    assert not Position.objects.filter(title="начальник відділу").exists()


def test_staff_import_reports_unknown_units_roles_and_duplicates(city):
    text = (
        "email,surname,given_name,unit_code,position,roles\n"
        "a@x.example,Іваненко,Іван,ZZ,спеціаліст,\n"
        "b@x.example,Іваненко,Іван,A,спеціаліст,king\n"
        "b@x.example,Іваненко,Іван,A,спеціаліст,\n"
        "c@x.example,Іваненко,Іван,,,executor\n"
    )
    result = import_staff(actor=None, data=csv_bytes(text), filename="staff.csv")
    assert messages(result) == [
        "Рядок 2: невідомий підрозділ «ZZ».",
        "Рядок 3: невідома роль «king».",
        "Рядок 4: e-mail «b@x.example» уже зустрічається в рядку 3.",
        "Рядок 5: для ролі «executor» не вказано підрозділ.",
    ]


def test_staff_import_rejects_a_name_with_markup(city):
    text = "email,surname,given_name\nx@x.example,<b>Бандера</b>,Степан\n"
    result = import_staff(actor=None, data=csv_bytes(text), filename="staff.csv")
    assert len(result.errors) == 1
    assert result.errors[0].message.startswith("прізвище: ")
    assert not User.objects.filter(email="x@x.example").exists()


def test_staff_import_reads_xlsx(city):
    data = xlsx_bytes(
        [
            ["email", "surname", "given_name", "unit_code", "position"],
            ["x@x.example", "Шевченко", "Тарас", "B", "спеціаліст"],
        ]
    )
    result = import_staff(actor=None, data=data, filename="staff.xlsx", send_invitations=False)
    assert result.ok, messages(result)
    assert Employment.objects.filter(user__email="x@x.example", position__unit=city.b).exists()
