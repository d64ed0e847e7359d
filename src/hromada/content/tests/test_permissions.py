"""Who may edit, publish and open the CMS: roles → Wagtail groups; the approval workflow."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.log_actions import LogContext

from hromada.accounts.factories import OrgUnitFactory, StaffFactory, staff_with_role
from hromada.accounts.models import RoleAssignment
from hromada.accounts.roles import Role
from hromada.content.factories import make_material, make_section
from hromada.content.models import NewsPage, PortalIndexPage
from hromada.content.services import PRESS_OFFICE_GROUP, editor_groups_sync
from hromada.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sections(site: PortalIndexPage):
    unit_a, unit_b = (
        OrgUnitFactory(name="Управління освіти"),
        OrgUnitFactory(name="Управління транспорту"),
    )
    return make_section("Освіта", unit=unit_a), make_section("Транспорт", unit=unit_b)


def _editor_of(unit):
    user = staff_with_role(Role.EDITOR, unit)
    editor_groups_sync(user=user)
    return user


def _press_officer():
    user = staff_with_role(Role.EDITOR, None)
    editor_groups_sync(user=user)
    return user


def test_editor_of_department_a_cannot_edit_section_b(two_sections) -> None:
    section_a, section_b = two_sections
    editor = _editor_of(section_a.unit)
    assert section_a.permissions_for_user(editor).can_add_subpage()
    assert section_a.permissions_for_user(editor).can_edit()
    assert not section_b.permissions_for_user(editor).can_add_subpage()
    assert not section_b.permissions_for_user(editor).can_edit()


def test_editor_cannot_edit_materials_of_another_section(two_sections) -> None:
    section_a, section_b = two_sections
    item = make_material(section_b, "Новий розклад руху трамваїв")
    editor = _editor_of(section_a.unit)
    assert not item.permissions_for_user(editor).can_edit()


def test_department_editor_cannot_publish_even_in_own_section(two_sections) -> None:
    section_a, _ = two_sections
    editor = _editor_of(section_a.unit)
    item = make_material(section_a, "Чернетка", publish=False)
    assert not item.permissions_for_user(editor).can_publish()


def test_press_office_may_edit_and_publish_every_section(two_sections) -> None:
    press = _press_officer()
    assert press.groups.filter(name=PRESS_OFFICE_GROUP).exists()
    for section in two_sections:
        perms = section.permissions_for_user(press)
        assert perms.can_edit()
        assert perms.can_publish()


def test_material_goes_live_only_after_press_office_approval(two_sections) -> None:
    section_a, _ = two_sections
    editor, press = _editor_of(section_a.unit), _press_officer()
    page = NewsPage(title="Відкрито новий ліцей", slug="litsei", body="<p>Текст</p>", live=False)
    section_a.add_child(instance=page)
    revision = page.save_revision(user=editor)
    workflow = page.get_workflow()
    assert workflow is not None
    with LogContext(user=editor):
        state = workflow.start(page, editor)
    page.refresh_from_db()
    assert not page.live
    task_state = state.current_task_state
    task = task_state.task.specific
    # The department's editor is not among the approvers.
    assert not task.user_can_access_editor(page, editor) or not any(
        name == "approve" for name, *_ in task.get_actions(page, editor)
    )
    with LogContext(user=press):
        task.on_action(task_state, press, "approve")
    page.refresh_from_db()
    assert page.live
    assert page.live_revision_id == revision.pk
    event = AuditEvent.objects.filter(action="content.page.published", object_id=str(page.pk)).get()
    assert event.actor_id == press.pk


def test_unpublishing_is_audited(two_sections) -> None:
    item = make_material(two_sections[0], "Буде знято")
    press = _press_officer()
    with LogContext(user=press):
        item.unpublish(user=press)
    assert AuditEvent.objects.filter(
        action="content.page.unpublished", object_id=str(item.pk), actor_id=press.pk
    ).exists()


def test_cms_groups_follow_a_withdrawn_role(two_sections) -> None:
    section_a, _ = two_sections
    editor = _editor_of(section_a.unit)
    assert editor.groups.filter(pk=section_a.editors_group_id).exists()
    RoleAssignment.objects.filter(user=editor).delete()
    assert editor_groups_sync(user=editor)
    assert not editor.groups.filter(pk=section_a.editors_group_id).exists()
    assert AuditEvent.objects.filter(action="content.editor_groups.synced").count() == 2


def test_editor_of_a_parent_unit_edits_sections_of_its_subunits(site) -> None:
    parent = OrgUnitFactory(name="Департамент")
    child = OrgUnitFactory(name="Відділ", parent=parent)
    section = make_section("Відділ", unit=child)
    editor = _editor_of(parent)
    assert section.permissions_for_user(editor).can_add_subpage()


def test_cms_sends_anonymous_visitors_to_our_login(site) -> None:
    response = Client().get("/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_cms_refuses_signed_in_people_without_an_editor_role(site) -> None:
    client = Client()
    client.force_login(StaffFactory())
    assert client.get("/cms/").status_code == 403


def test_cms_opens_for_an_editor_and_joins_their_section_group(two_sections) -> None:
    section_a, _ = two_sections
    editor = staff_with_role(Role.EDITOR, section_a.unit)
    client = Client()
    client.force_login(editor)
    assert client.get("/cms/").status_code == 200
    assert editor.groups.filter(pk=section_a.editors_group_id).exists()
    assert client.get(f"/cms/pages/{section_a.pk}/").status_code == 200
    assert client.get(f"/cms/pages/{two_sections[1].pk}/edit/").status_code in (302, 403)
