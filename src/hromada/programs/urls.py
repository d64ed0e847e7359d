"""Routes of programmes: public pages under /programs/, staff pages under /staff/programs/."""

from django.urls import path

from hromada.programs import views

app_name = "programs"

urlpatterns = [
    # public
    path("programs/", views.public_list, name="public_list"),
    path(
        "programs/<slug:code>/reports/<str:period_key>/",
        views.public_report,
        name="public_report",
    ),
    path(
        "programs/<slug:code>/reports/<str:period_key>/download/<str:fmt>/",
        views.public_download,
        name="public_download",
    ),
    # staff
    path("staff/programs/", views.staff_list, name="staff_list"),
    path("staff/programs/new/", views.programme_new, name="programme_new"),
    path("staff/programs/import/", views.programme_import_view, name="import"),
    path("staff/programs/progress/", views.progress, name="progress"),
    path("staff/programs/<int:programme_id>/", views.staff_detail, name="staff_detail"),
    path("staff/programs/<int:programme_id>/measures/new/", views.measure_new, name="measure_new"),
    path(
        "staff/programs/<int:programme_id>/measures/<int:measure_id>/",
        views.measure_view,
        name="measure",
    ),
    path(
        "staff/programs/<int:programme_id>/activities/",
        views.activities_list,
        name="activities",
    ),
    path("staff/programs/activities/<int:activity_id>/", views.activity_edit, name="activity_edit"),
    path("staff/programs/spending/<int:entry_id>/", views.spending_edit, name="spending_edit"),
    path("staff/programs/<int:programme_id>/reports/new/", views.report_new, name="report_new"),
    path(
        "staff/programs/<int:programme_id>/reports/<int:report_id>/",
        views.report_view,
        name="report",
    ),
    path(
        "staff/programs/<int:programme_id>/reports/<int:report_id>/download/<str:fmt>/",
        views.report_download,
        name="report_download",
    ),
    path(
        "staff/programs/<int:programme_id>/reports/<int:report_id>/<slug:action>/",
        views.report_action,
        name="report_action",
    ),
]
