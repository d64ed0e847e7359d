"""Routes of the organisation and people screens (namespace "accounts")."""

from django.urls import path

from hromada.accounts import staff_views as views

app_name = "accounts"

urlpatterns = [
    path("staff/org/", views.org_tree, name="org_tree"),
    path("staff/org/new/", views.unit_create, name="unit_create"),
    path("staff/org/import/", views.org_import, name="org_import"),
    path("staff/org/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("staff/org/<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("staff/org/<int:unit_id>/move/", views.unit_move, name="unit_move"),
    path("staff/org/<int:unit_id>/deactivate/", views.unit_deactivate, name="unit_deactivate"),
    path("staff/org/<int:unit_id>/positions/new/", views.position_create, name="position_create"),
    path("staff/org/positions/<int:position_id>/edit/", views.position_edit, name="position_edit"),
    path("staff/people/", views.people_list, name="people_list"),
    path("staff/people/new/", views.person_create, name="person_create"),
    path("staff/people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("staff/people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("staff/people/<int:person_id>/roles/new/", views.role_assign, name="role_assign"),
    path(
        "staff/people/<int:person_id>/roles/<int:assignment_id>/revoke/",
        views.role_revoke,
        name="role_revoke",
    ),
    path(
        "staff/people/<int:person_id>/substitutions/new/",
        views.substitution_create,
        name="substitution_create",
    ),
    path(
        "staff/people/<int:person_id>/substitutions/<int:substitution_id>/cancel/",
        views.substitution_cancel,
        name="substitution_cancel",
    ),
    path(
        "staff/people/<int:person_id>/employments/new/",
        views.employment_start,
        name="employment_start",
    ),
    path(
        "staff/people/<int:person_id>/employments/<int:employment_id>/end/",
        views.employment_end,
        name="employment_end",
    ),
]
