from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from rest_framework.authtoken.models import Token

from hromada.accounts import services
from hromada.accounts.factories import (
    OrgUnitFactory,
    PositionFactory,
    StaffFactory,
    UserFactory,
    staff_with_role,
)
from hromada.accounts.models import Employment, OrgUnit, RoleAssignment, Substitution, User
from hromada.accounts.permissions import grants_of
from hromada.accounts.roles import Role
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def seg(pk: int) -> str:
    return OrgUnit.path_segment(pk)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# --- organisation units ---------------------------------------------------------------
def test_orgunit_create_sets_path_under_parent_and_audits(city_admin):
    parent = services.orgunit_create(
        actor=city_admin,
        code="01",
        name="Виконавчий комітет",
        kind=OrgUnit.Kind.EXECUTIVE_COMMITTEE,
    )
    child = services.orgunit_create(
        actor=city_admin,
        code="01-15",
        name="Відділ кадрів",
        kind=OrgUnit.Kind.DIVISION,
        parent=parent,
    )
    assert child.path == f"/{seg(parent.pk)}/{seg(child.pk)}/"
    assert child.depth == 1
    event = events("orgunit.created")[-1]
    assert event.object_id == str(child.pk)
    assert event.data["fields"]["code"] == [None, "01-15"]
    assert event.data["parent"] == parent.pk


def test_orgunit_create_refuses_a_taken_code_case_insensitively(city_admin):
    services.orgunit_create(actor=city_admin, code="ab-1", name="X", kind=OrgUnit.Kind.DIVISION)
    with pytest.raises(ApplicationError, match="вже існує") as exc:
        services.orgunit_create(actor=city_admin, code="AB-1", name="Y", kind="division")
    assert exc.value.field == "code"


def test_orgunit_create_refuses_an_unknown_kind(city_admin):
    with pytest.raises(ApplicationError) as exc:
        services.orgunit_create(actor=city_admin, code="X1", name="X", kind="castle")
    assert exc.value.field == "kind"
    assert not OrgUnit.objects.filter(code="X1").exists()


def test_orgunit_create_refuses_a_code_with_spaces(city_admin):
    with pytest.raises(ApplicationError) as exc:
        services.orgunit_create(actor=city_admin, code="01 15", name="X", kind="division")
    assert exc.value.field == "code"


def test_orgunit_create_at_top_level_needs_a_citywide_administrator(city):
    unit_admin = staff_with_role(Role.ADMIN, city.a)
    with pytest.raises(ApplicationError) as exc:
        services.orgunit_create(actor=unit_admin, code="TOP", name="X", kind="other")
    assert exc.value.code == "permission_denied"


def test_orgunit_create_under_own_unit_is_allowed_to_its_administrator(city):
    unit_admin = staff_with_role(Role.ADMIN, city.a)
    unit = services.orgunit_create(
        actor=unit_admin, code="A2", name="Відділ A2", kind="division", parent=city.a
    )
    assert unit.parent == city.a


def test_orgunit_create_under_another_unit_is_refused_to_a_unit_administrator(city):
    unit_admin = staff_with_role(Role.ADMIN, city.a)
    with pytest.raises(ApplicationError):
        services.orgunit_create(
            actor=unit_admin, code="B2", name="X", kind="division", parent=city.b
        )


def test_orgunit_create_under_an_inactive_parent_is_refused(city_admin):
    parent = OrgUnitFactory(is_active=False)
    with pytest.raises(ApplicationError, match="припинив"):
        services.orgunit_create(
            actor=city_admin, code="Z1", name="X", kind="division", parent=parent
        )


def test_orgunit_update_records_only_changed_fields(city_admin, city):
    services.orgunit_update(actor=city_admin, unit=city.a, name="Нова назва", short_name="")
    event = events("orgunit.updated")[-1]
    assert event.data == {"fields": {"name": ["Департамент A", "Нова назва"]}}


def test_orgunit_update_without_changes_writes_no_event(city_admin, city):
    services.orgunit_update(actor=city_admin, unit=city.a, name=city.a.name)
    assert events("orgunit.updated") == []


def test_orgunit_update_refuses_an_empty_name(city_admin, city):
    with pytest.raises(ApplicationError) as exc:
        services.orgunit_update(actor=city_admin, unit=city.a, name="   ")
    assert exc.value.field == "name"
    city.a.refresh_from_db()
    assert city.a.name == "Департамент A"


def test_orgunit_move_repaths_the_whole_subtree(city_admin, city):
    a1x = OrgUnitFactory(parent=city.a1)
    services.orgunit_move(actor=city_admin, unit=city.a1, new_parent=city.b)
    city.a1.refresh_from_db()
    a1x.refresh_from_db()
    assert city.a1.parent == city.b
    assert city.a1.path == f"{city.b.path}{seg(city.a1.pk)}/"
    assert a1x.path == f"{city.b.path}{seg(city.a1.pk)}/{seg(a1x.pk)}/"
    assert (city.a1.depth, a1x.depth) == (1, 2)
    assert events("orgunit.moved")[-1].data["units_moved"] == 2


def test_orgunit_move_to_top_level_shortens_paths(city_admin, city):
    a1x = OrgUnitFactory(parent=city.a1)
    services.orgunit_move(actor=city_admin, unit=city.a1, new_parent=None)
    a1x.refresh_from_db()
    assert a1x.path == f"/{seg(city.a1.pk)}/{seg(a1x.pk)}/"
    assert a1x.depth == 1


def test_orgunit_move_under_own_descendant_is_refused(city_admin, city):
    with pytest.raises(ApplicationError, match="підпорядкованого"):
        services.orgunit_move(actor=city_admin, unit=city.a, new_parent=city.a1)
    city.a.refresh_from_db()
    assert city.a.parent is None


def test_orgunit_move_under_itself_is_refused(city_admin, city):
    with pytest.raises(ApplicationError):
        services.orgunit_move(actor=city_admin, unit=city.a, new_parent=city.a)


def test_orgunit_move_does_not_touch_units_with_a_similar_path_prefix(city_admin):
    # "/1/" must not match "/12/": paths end with a slash.
    units = [OrgUnitFactory() for _ in range(12)]
    first, twelfth = units[0], units[11]
    target = OrgUnitFactory()
    before = twelfth.path
    services.orgunit_move(actor=city_admin, unit=first, new_parent=target)
    twelfth.refresh_from_db()
    assert twelfth.path == before


def test_orgunit_move_keeps_employees_scoped_to_the_new_place(city_admin, city):
    head_b = staff_with_role(Role.HEAD, city.b)
    assert not User.objects.get(pk=head_b.pk).has_perm("accounts.view_person", city.in_a1)
    services.orgunit_move(actor=city_admin, unit=city.a1, new_parent=city.b)
    assert User.objects.get(pk=head_b.pk).has_perm(
        "accounts.view_person", User.objects.get(pk=city.in_a1.pk)
    )


def test_orgunit_deactivate_refuses_a_unit_with_staff(city_admin, city):
    with pytest.raises(ApplicationError, match="працівники"):
        services.orgunit_deactivate(actor=city_admin, unit=city.a1)


def test_orgunit_deactivate_refuses_a_unit_with_active_subunits(city_admin, city):
    with pytest.raises(ApplicationError, match="підпорядкованих"):
        services.orgunit_deactivate(actor=city_admin, unit=city.a)


def test_orgunit_deactivate_marks_an_empty_unit_inactive(city_admin):
    unit = OrgUnitFactory()
    services.orgunit_deactivate(actor=city_admin, unit=unit)
    unit.refresh_from_db()
    assert unit.is_active is False
    assert events("orgunit.deactivated")[-1].object_id == str(unit.pk)


# --- positions and employment ---------------------------------------------------------------
def test_position_create_audits(city_admin, city):
    position = services.position_create(
        actor=city_admin, unit=city.a, title="начальник департаменту", is_head=True
    )
    assert position.unit == city.a
    assert events("position.created")[-1].data["fields"]["is_head"] == [None, True]


def test_position_update_changes_the_title(city_admin, city):
    position = PositionFactory(unit=city.a)
    services.position_update(actor=city_admin, position=position, title="заступник")
    position.refresh_from_db()
    assert position.title == "заступник"


def test_position_create_in_an_inactive_unit_is_refused(city_admin):
    unit = OrgUnitFactory(is_active=False)
    with pytest.raises(ApplicationError):
        services.position_create(actor=city_admin, unit=unit, title="спеціаліст")


def test_employment_start_puts_a_person_in_a_position(city_admin, city):
    person = StaffFactory()
    position = PositionFactory(unit=city.b)
    employment = services.employment_start(actor=city_admin, user=person, position=position)
    assert employment.start == TODAY()
    assert list(Employment.objects.current().filter(user=person)) == [employment]


def test_employment_start_refuses_a_second_holder_of_a_head_position(city_admin, city):
    head_position = PositionFactory(unit=city.b, is_head=True)
    services.employment_start(actor=city_admin, user=StaffFactory(), position=head_position)
    with pytest.raises(ApplicationError, match="Керівну посаду вже обіймає"):
        services.employment_start(actor=city_admin, user=StaffFactory(), position=head_position)


def test_employment_start_refuses_a_citizen(city_admin, city):
    with pytest.raises(ApplicationError, match="працівника"):
        services.employment_start(
            actor=city_admin, user=UserFactory(), position=PositionFactory(unit=city.b)
        )


def test_employment_end_before_start_is_refused(city_admin, city):
    employment = Employment.objects.get(user=city.in_b)
    with pytest.raises(ApplicationError) as exc:
        services.employment_end(
            actor=city_admin, employment=employment, end=employment.start - timedelta(days=1)
        )
    assert exc.value.field == "end"


def test_employment_end_today_removes_the_person_from_current_staff_tomorrow(city_admin, city):
    employment = Employment.objects.get(user=city.in_b)
    services.employment_end(actor=city_admin, employment=employment)
    tomorrow = TODAY() + timedelta(days=1)
    assert not Employment.objects.current(tomorrow).filter(user=city.in_b).exists()
    assert events("employment.ended")[-1].data["fields"]["end"] == [None, str(TODAY())]


# --- substitutions -----------------------------------------------------------------------------
def test_substitution_create_gives_the_substitute_the_absent_persons_roles(city_admin, city):
    head = staff_with_role(Role.HEAD, city.a)
    deputy = StaffFactory()
    services.substitution_create(
        actor=city_admin,
        absent=head,
        substitute=deputy,
        start=TODAY(),
        end=TODAY() + timedelta(days=7),
        reason="відпустка",
    )
    assert [g.role for g in grants_of(User.objects.get(pk=deputy.pk))] == [Role.HEAD]
    assert events("substitution.created")[-1].data["absent"] == head.pk


def test_substitution_create_refuses_end_before_start(city_admin, city):
    with pytest.raises(ApplicationError, match="раніше дати початку") as exc:
        services.substitution_create(
            actor=city_admin,
            absent=city.in_a,
            substitute=city.in_b,
            start=TODAY() + timedelta(days=5),
            end=TODAY() + timedelta(days=1),
        )
    assert exc.value.field == "end"
    assert not Substitution.objects.exists()


def test_substitution_create_refuses_a_period_in_the_past(city_admin, city):
    with pytest.raises(ApplicationError, match="минуле"):
        services.substitution_create(
            actor=city_admin,
            absent=city.in_a,
            substitute=city.in_b,
            start=TODAY() - timedelta(days=9),
            end=TODAY() - timedelta(days=2),
        )


def test_substitution_create_refuses_the_person_substituting_themselves(city_admin, city):
    with pytest.raises(ApplicationError, match="сам себе"):
        services.substitution_create(
            actor=city_admin,
            absent=city.in_a,
            substitute=city.in_a,
            start=TODAY(),
            end=TODAY(),
        )


def test_substitution_create_refuses_an_overlap_for_the_same_absent_person(city_admin, city):
    services.substitution_create(
        actor=city_admin,
        absent=city.in_a,
        substitute=city.in_b,
        start=TODAY(),
        end=TODAY() + timedelta(days=10),
    )
    with pytest.raises(ApplicationError, match="вже призначено"):
        services.substitution_create(
            actor=city_admin,
            absent=city.in_a,
            substitute=city.in_a1,
            start=TODAY() + timedelta(days=10),
            end=TODAY() + timedelta(days=12),
        )


def test_substitution_create_allows_back_to_back_periods(city_admin, city):
    services.substitution_create(
        actor=city_admin,
        absent=city.in_a,
        substitute=city.in_b,
        start=TODAY(),
        end=TODAY() + timedelta(days=10),
    )
    services.substitution_create(
        actor=city_admin,
        absent=city.in_a,
        substitute=city.in_a1,
        start=TODAY() + timedelta(days=11),
        end=TODAY() + timedelta(days=12),
    )
    assert Substitution.objects.count() == 2


def test_substitution_cancel_deletes_one_not_yet_begun(city_admin, city):
    sub = services.substitution_create(
        actor=city_admin,
        absent=city.in_a,
        substitute=city.in_b,
        start=TODAY() + timedelta(days=3),
        end=TODAY() + timedelta(days=5),
    )
    assert services.substitution_cancel(actor=city_admin, substitution=sub) is None
    assert not Substitution.objects.exists()
    assert events("substitution.cancelled")[-1].data["deleted"] is True


def test_substitution_cancel_ends_a_running_one_yesterday(city_admin, city):
    sub = Substitution.objects.create(
        absent=city.in_a,
        substitute=city.in_b,
        start=TODAY() - timedelta(days=3),
        end=TODAY() + timedelta(days=5),
    )
    services.substitution_cancel(actor=city_admin, substitution=sub)
    sub.refresh_from_db()
    assert sub.end == TODAY() - timedelta(days=1)
    assert not Substitution.objects.current().exists()


def test_substitution_cancel_of_a_finished_one_is_refused(city_admin, city):
    sub = Substitution.objects.create(
        absent=city.in_a,
        substitute=city.in_b,
        start=TODAY() - timedelta(days=9),
        end=TODAY() - timedelta(days=5),
    )
    with pytest.raises(ApplicationError, match="завершилося"):
        services.substitution_cancel(actor=city_admin, substitution=sub)


def test_substitution_create_is_refused_to_a_head_of_another_unit(city):
    head_b = staff_with_role(Role.HEAD, city.b)
    with pytest.raises(ApplicationError) as exc:
        services.substitution_create(
            actor=head_b,
            absent=city.in_a,
            substitute=city.in_b,
            start=TODAY(),
            end=TODAY(),
        )
    assert exc.value.code == "permission_denied"


# --- roles --------------------------------------------------------------------------------------
def test_role_assign_citywide_twice_is_refused(city_admin, city):
    services.role_assign(actor=city_admin, user=city.in_a, role=Role.CONTROLLER)
    with pytest.raises(ApplicationError, match="вже надана"):
        services.role_assign(actor=city_admin, user=city.in_a, role=Role.CONTROLLER)
    assert RoleAssignment.objects.filter(user=city.in_a, role=Role.CONTROLLER).count() == 1


def test_role_assign_same_role_on_two_units_is_allowed(city_admin, city):
    services.role_assign(actor=city_admin, user=city.in_a, role=Role.CONTROLLER, unit=city.a)
    services.role_assign(actor=city_admin, user=city.in_a, role=Role.CONTROLLER, unit=city.b)
    assert RoleAssignment.objects.filter(user=city.in_a).count() == 2


def test_role_assign_citywide_is_refused_to_a_unit_administrator(city):
    unit_admin = staff_with_role(Role.ADMIN, city.a)
    with pytest.raises(ApplicationError) as exc:
        services.role_assign(actor=unit_admin, user=unit_admin, role=Role.ADMIN)
    assert exc.value.code == "permission_denied"


def test_role_assign_on_own_unit_is_allowed_to_a_unit_administrator(city):
    unit_admin = staff_with_role(Role.ADMIN, city.a)
    services.role_assign(actor=unit_admin, user=city.in_a1, role=Role.EXECUTOR, unit=city.a1)
    assert RoleAssignment.objects.filter(user=city.in_a1, role=Role.EXECUTOR).exists()


def test_role_assign_staff_role_to_a_citizen_is_refused(city_admin):
    with pytest.raises(ApplicationError, match="лише працівнику"):
        services.role_assign(actor=city_admin, user=UserFactory(), role=Role.OPERATOR)


def test_role_assign_unknown_role_is_refused(city_admin, city):
    with pytest.raises(ApplicationError, match="Невідома роль"):
        services.role_assign(actor=city_admin, user=city.in_a, role="emperor")


def test_role_revoke_deletes_and_audits(city_admin, city):
    assignment = services.role_assign(actor=city_admin, user=city.in_a, role=Role.EDITOR)
    services.role_revoke(actor=city_admin, assignment=assignment)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert events("role.revoked")[-1].data["role"] == Role.EDITOR


def test_role_revoke_of_the_last_citywide_administrator_is_refused(city_admin):
    assignment = RoleAssignment.objects.get(user=city_admin)
    with pytest.raises(ApplicationError, match="останнього"):
        services.role_revoke(actor=city_admin, assignment=assignment)


# --- people ---------------------------------------------------------------------------------------
def test_user_create_staff_without_password_emails_a_set_password_link_after_commit(
    city_admin, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user = services.user_create_staff(
            actor=city_admin,
            email=" Olena.Koval@Example.org ",
            surname="Коваль",
            given_name="Олена",
            patronymic="Петрівна",
            phone="+380 56 123 45 67",
            base_url="https://rada.example.org",
        )
    assert mail.outbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    assert user.email == "olena.koval@example.org"
    assert user.is_staff
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olena.koval@example.org"]
    assert "https://rada.example.org/accounts/password/reset/key/" in message.body
    assert events("user.created")[-1].data["fields"]["surname"] == [None, "Коваль"]


def test_user_create_staff_link_lets_the_person_set_a_password(
    city_admin, immediate_tasks, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_create_staff(
            actor=None, email="new@example.org", surname="Новак", given_name="Ігор"
        )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/key/" in line)
    response = client.get(link.split("testserver")[-1].replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 302  # allauth hides the key behind a redirect
    response = client.post(
        response["Location"],
        {"password1": "довгий-пароль-2025", "password2": "довгий-пароль-2025"},
    )
    user.refresh_from_db()
    assert user.check_password("довгий-пароль-2025")


def test_user_create_staff_with_password_sends_nothing(
    city_admin, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_create_staff(
            actor=city_admin,
            email="p@example.org",
            surname="Бойко",
            given_name="Анна",
            password="дуже-надійний-пароль-7",
        )
    assert user.check_password("дуже-надійний-пароль-7")
    assert mail.outbox == []


def test_user_create_staff_refuses_a_weak_password(city_admin):
    with pytest.raises(ApplicationError) as exc:
        services.user_create_staff(
            actor=city_admin,
            email="p@example.org",
            surname="Бойко",
            given_name="Анна",
            password="123",
        )
    assert exc.value.field == "password"
    assert not User.objects.filter(email="p@example.org").exists()


def test_user_create_staff_refuses_a_duplicate_email_in_other_case(city_admin):
    StaffFactory(email="taken@example.org")
    with pytest.raises(ApplicationError, match="вже існує") as exc:
        services.user_create_staff(
            actor=city_admin, email="TAKEN@example.org", surname="Бойко", given_name="Анна"
        )
    assert exc.value.field == "email"


def test_user_create_staff_places_the_person_and_gives_roles(city_admin, city):
    position = PositionFactory(unit=city.a1)
    user = services.user_create_staff(
        actor=city_admin,
        email="e@example.org",
        surname="Шевчук",
        given_name="Марія",
        position=position,
        roles=[(Role.EXECUTOR, city.a1)],
        send_invitation=False,
    )
    assert Employment.objects.current().filter(user=user, position=position).exists()
    assert RoleAssignment.objects.filter(user=user, role=Role.EXECUTOR, unit=city.a1).exists()


def test_user_create_staff_by_unit_administrator_needs_a_position_in_their_unit(city):
    unit_admin = staff_with_role(Role.ADMIN, city.a)
    with pytest.raises(ApplicationError):
        services.user_create_staff(
            actor=unit_admin, email="e@example.org", surname="Шевчук", given_name="Марія"
        )
    with pytest.raises(ApplicationError):
        services.user_create_staff(
            actor=unit_admin,
            email="e@example.org",
            surname="Шевчук",
            given_name="Марія",
            position=PositionFactory(unit=city.b),
        )
    user = services.user_create_staff(
        actor=unit_admin,
        email="e@example.org",
        surname="Шевчук",
        given_name="Марія",
        position=PositionFactory(unit=city.a1),
        send_invitation=False,
    )
    assert user.pk


def test_person_update_records_changed_fields(city_admin, city):
    services.person_update(actor=city_admin, person=city.in_a, phone="+380 67 000 11 22")
    event = events("user.updated")[-1]
    assert event.data == {"fields": {"phone": ["", "+380 67 000 11 22"]}}


def test_person_update_of_email_moves_the_login_address(city_admin, city):
    EmailAddress.objects.create(user=city.in_a, email=city.in_a.email, primary=True, verified=True)
    services.person_update(actor=city_admin, person=city.in_a, email="New@Example.org")
    assert list(EmailAddress.objects.filter(user=city.in_a).values_list("email", flat=True)) == [
        "new@example.org"
    ]


def test_person_update_refuses_to_switch_off_own_account(city_admin):
    with pytest.raises(ApplicationError, match="власний"):
        services.person_update(actor=city_admin, person=city_admin, is_active=False)


def test_person_update_is_refused_to_an_administrator_of_another_unit(city):
    admin_b = staff_with_role(Role.ADMIN, city.b)
    with pytest.raises(ApplicationError):
        services.person_update(actor=admin_b, person=city.in_a, phone="+380670001122")


# --- tokens ---------------------------------------------------------------------------------------
def test_token_create_replaces_an_earlier_token(city_admin, city):
    first = services.token_create(actor=city_admin, user=city.in_a)
    second = services.token_create(actor=city_admin, user=city.in_a)
    assert list(Token.objects.filter(user=city.in_a)) == [second]
    assert first.key != second.key
    assert events("token.created")[-1].data == {"replaced": True}


def test_token_revoke_without_a_token_is_refused(city_admin, city):
    with pytest.raises(ApplicationError, match="немає токена"):
        services.token_revoke(actor=city_admin, user=city.in_a)
