"""The demo city: deterministic, complete, idempotent, and its logins work."""

from __future__ import annotations

import hashlib
from datetime import date
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from hromada.accounts.demo import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DISTRICTS,
    STAFF_EMAIL_DOMAIN,
    email_local_part,
    load_demo,
    plan_city,
    transliterate,
)
from hromada.accounts.models import (
    Employment,
    OrgUnit,
    Position,
    RoleAssignment,
    Substitution,
    User,
)
from hromada.accounts.permissions import role_covers
from hromada.accounts.roles import Role
from hromada.core.calendar import is_working_day
from hromada.core.models import AuditEvent, HolidaysWorkingPeriod

SMALL = 160  # enough officials for every unit to have a head, small enough to be quick


class _Rollback(Exception):
    pass


def _names_digest_in_db() -> str:
    names = sorted(
        u.full_name for u in User.objects.filter(email__endswith=f"@{STAFF_EMAIL_DOMAIN}")
    )
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


@pytest.mark.parametrize(
    ("ukrainian", "latin"),
    [
        ("Алушта", "Alushta"),
        ("Згурський", "Zghurskyi"),
        ("Розгон", "Rozghon"),
        ("Єнакієве", "Yenakiieve"),
        ("Гаєвич", "Haievych"),
        ("Короп'є", "Koropie"),
        ("Їжакевич", "Yizhakevych"),
        ("Кадиївка", "Kadyivka"),
        ("Мар'їне", "Marine"),
        ("Йосипівка", "Yosypivka"),
        ("Олексій", "Oleksii"),
        ("Юрій", "Yurii"),
        ("Корюківка", "Koriukivka"),
        ("Яготин", "Yahotyn"),
        ("Знам'янка", "Znamianka"),
        ("Феодосія", "Feodosiia"),
        ("Гоща", "Hoshcha"),
        ("Ґорґани", "Gorgany"),
        ("Центрально-Міська", "Tsentralno-Miska"),
    ],
)
def test_transliteration_follows_the_official_2010_table(ukrainian: str, latin: str) -> None:
    assert transliterate(ukrainian) == latin


def test_mailbox_names_are_lower_case_ascii() -> None:
    assert email_local_part("Квітка-Основ’яненко") == "kvitka-osnovianenko"
    assert email_local_part("Лукʼяненко") == "lukianenko"


def test_the_same_seed_plans_the_same_city() -> None:
    assert plan_city(seed=7, officials=300).names_digest() == (
        plan_city(seed=7, officials=300).names_digest()
    )


def test_another_seed_plans_other_people() -> None:
    assert plan_city(seed=7, officials=300).names_digest() != (
        plan_city(seed=8, officials=300).names_digest()
    )


@pytest.mark.parametrize("officials", [0, 5, 60, SMALL, 761])
def test_the_plan_has_exactly_the_officials_asked_for(officials: int) -> None:
    assert len(plan_city(officials=officials).officials) == officials


def test_names_agree_in_sex() -> None:
    for person in plan_city(officials=300).officials:
        female = person.patronymic.endswith("на")
        male = person.patronymic.endswith("ич")
        assert female != male, person.full_name


@pytest.mark.django_db
def test_the_full_demo_has_about_760_officials_seven_districts_and_loads_fast() -> None:
    summary = load_demo()

    assert summary.created
    assert summary.officials == 760
    assert User.objects.filter(email__endswith=f"@{STAFF_EMAIL_DOMAIN}").count() == 760
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT_COUNCIL).count() == len(DISTRICTS)
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT_EXECUTIVE).count() == 7
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.ENTERPRISE).exists()
    assert OrgUnit.objects.get(code="VK").children.count() >= 25
    assert Employment.objects.count() == 760 + len(DEMO_LOGINS) - 1  # the citizen has no post
    assert summary.seconds < 30


@pytest.mark.django_db
def test_two_loads_into_fresh_databases_give_the_same_names() -> None:
    digests = []
    for _ in range(2):
        try:
            with transaction.atomic():
                summary = load_demo()
                digests.append(_names_digest_in_db())
                assert summary.names_digest == digests[-1]
                raise _Rollback
        except _Rollback:
            pass
        assert not OrgUnit.objects.exists()

    assert digests[0] == digests[1]


@pytest.mark.django_db
def test_loading_again_changes_nothing() -> None:
    load_demo(officials=SMALL)
    counts = (User.objects.count(), OrgUnit.objects.count(), RoleAssignment.objects.count())

    again = load_demo(officials=SMALL)

    assert not again.created
    assert again.officials == SMALL
    assert counts == (
        User.objects.count(),
        OrgUnit.objects.count(),
        RoleAssignment.objects.count(),
    )


@pytest.mark.django_db
def test_loading_records_one_audit_event_with_the_counts() -> None:
    load_demo(officials=SMALL)
    load_demo(officials=SMALL)

    event = AuditEvent.objects.get(action="demo.loaded")
    assert event.data["officials"] == SMALL
    assert event.object_repr == "Міська рада"


@pytest.mark.django_db
def test_the_demo_city_counts_holidays_as_working_days_under_martial_law() -> None:
    load_demo(officials=0)
    load_demo(officials=0)

    period = HolidaysWorkingPeriod.objects.get()
    assert period.start == date(2022, 2, 24)
    assert period.end is None
    assert is_working_day(date(2025, 1, 1))  # New Year on a Wednesday: worked under martial law


@pytest.mark.django_db
def test_unit_paths_follow_the_tree() -> None:
    load_demo(officials=0)

    for unit in OrgUnit.objects.select_related("parent"):
        parent_path = unit.parent.path if unit.parent else "/"
        assert unit.path == f"{parent_path}{OrgUnit.path_segment(unit.pk)}/"
        assert unit.depth == unit.path.count("/") - 2
    district = OrgUnit.objects.get(code="R-DOV")
    assert set(OrgUnit.objects.filter(district.subtree_q()).values_list("code", flat=True)) == {
        "R-DOV",
        "R-DOV-VK",
        "R-DOV-VK-ZV",
        "R-DOV-VK-ZG",
        "R-DOV-VK-KG",
        "R-DOV-VK-UPSZN",
        "R-DOV-VK-FIN",
    }


@pytest.mark.django_db
def test_every_unit_has_a_head_post() -> None:
    load_demo(officials=SMALL)

    headless = OrgUnit.objects.exclude(positions__is_head=True).values_list("code", flat=True)
    # The executive committees are headed by the mayor and the district heads.
    assert set(headless) == {"VK", *(f"R-{suffix}-VK" for suffix, *_ in DISTRICTS)}


@pytest.mark.django_db
def test_heads_hold_the_head_role_and_others_execute_in_their_unit() -> None:
    load_demo(officials=SMALL)

    staff = Employment.objects.select_related("position", "user").filter(
        user__email__endswith=f"@{STAFF_EMAIL_DOMAIN}", position__unit__code__startswith="VK-"
    )
    for employment in staff:
        role = Role.HEAD if employment.position.is_head else Role.EXECUTOR
        assert RoleAssignment.objects.filter(
            user=employment.user, role=role, unit=employment.position.unit_id
        ).exists(), employment


@pytest.mark.django_db
def test_officials_are_staff_without_a_usable_password() -> None:
    load_demo(officials=20)

    officials = User.objects.filter(email__endswith=f"@{STAFF_EMAIL_DOMAIN}")
    assert officials.count() == 20
    assert all(u.is_staff and not u.has_usable_password() for u in officials)


@pytest.mark.django_db
def test_every_demo_login_signs_in_with_the_shared_password() -> None:
    load_demo(officials=0)

    for login in DEMO_LOGINS:
        user = authenticate(username=login.email, password=DEMO_PASSWORD)
        assert user is not None, login.email
        assert EmailAddress.objects.filter(
            user=user, email=login.email, verified=True, primary=True
        ).exists()


@pytest.mark.django_db
def test_each_demo_login_holds_its_role_in_its_scope() -> None:
    load_demo(officials=0)

    for login in DEMO_LOGINS:
        user = User.objects.get(email=login.email)
        grant = RoleAssignment.objects.select_related("unit").get(user=user)
        assert grant.role == login.role
        assert (grant.unit.code if grant.unit else None) == login.scope
        assert user.is_staff == (login.role != Role.CITIZEN)
        posts = Position.objects.filter(employments__user=user)
        assert [p.unit.code for p in posts] == ([login.unit] if login.unit else [])


@pytest.mark.django_db
def test_the_demo_head_covers_the_demo_executors_division_but_not_others() -> None:
    load_demo(officials=SMALL)
    head = User.objects.get(email="head@demo.hromada.local")

    assert role_covers(head, [Role.HEAD], OrgUnit.objects.get(code="VK-UBZH-BL"))
    assert not role_covers(head, [Role.HEAD], OrgUnit.objects.get(code="VK-DSP"))


@pytest.mark.django_db
def test_the_demo_controller_controls_the_whole_city() -> None:
    load_demo(officials=0)
    controller = User.objects.get(email="controller@demo.hromada.local")

    assert role_covers(controller, [Role.CONTROLLER], OrgUnit.objects.get(code="R-TER-VK-KG"))


@pytest.mark.django_db
def test_the_demo_admin_may_open_django_admin() -> None:
    load_demo(officials=0)

    admin = User.objects.get(email="admin@demo.hromada.local")
    assert admin.is_superuser
    assert admin.is_staff


@pytest.mark.django_db
def test_some_heads_are_replaced_by_their_deputies_today() -> None:
    load_demo()

    current = Substitution.objects.current()
    assert current.exists()
    for substitution in current:
        assert substitution.absent.employments.get().position.is_head
        assert substitution.substitute.employments.get().position.title.startswith("заступник")


@pytest.mark.django_db
def test_the_command_loads_once_and_prints_the_logins() -> None:
    first, second = StringIO(), StringIO()

    call_command("demo", officials=SMALL, stdout=first)
    call_command("demo", officials=SMALL, stdout=second)

    assert "Demo city loaded" in first.getvalue()
    assert "already loaded" in second.getvalue()
    for out in (first, second):
        assert "operator@demo.hromada.local" in out.getvalue()
        assert DEMO_PASSWORD in out.getvalue()
    assert OrgUnit.objects.filter(code="MR").count() == 1


@pytest.mark.django_db
def test_the_logins_option_only_prints_the_logins() -> None:
    out, err = StringIO(), StringIO()

    call_command("demo", logins=True, stdout=out, stderr=err)

    assert "security-officer@demo.hromada.local" in out.getvalue()
    assert "not loaded" in err.getvalue()
    assert not OrgUnit.objects.exists()


@pytest.mark.django_db
def test_the_demo_citizen_signs_in_through_the_login_page(client: Client) -> None:
    load_demo(officials=0)

    response = client.post(
        reverse("account_login"),
        {"login": "citizen@demo.hromada.local", "password": DEMO_PASSWORD},
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(
        User.objects.get(email="citizen@demo.hromada.local").pk
    )


@pytest.mark.django_db
def test_a_negative_number_of_officials_is_refused() -> None:
    with pytest.raises(CommandError, match="must not be negative"):
        call_command("demo", officials=-1, stdout=StringIO())

    assert not OrgUnit.objects.exists()
