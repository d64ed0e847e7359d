"""Routes of the execution control screens (namespace "control")."""

from django.urls import path

from hromada.control import views

app_name = "control"

urlpatterns = [
    path("staff/my-work/", views.my_work, name="my_work"),
    path(
        "staff/control/assignments/<int:assignment_id>/",
        views.assignment_detail,
        name="assignment_detail",
    ),
    path(
        "staff/control/assignments/<int:assignment_id>/accept/",
        views.assignment_accept,
        name="assignment_accept",
    ),
    path(
        "staff/control/assignments/<int:assignment_id>/start/",
        views.assignment_start,
        name="assignment_start",
    ),
    path(
        "staff/control/assignments/<int:assignment_id>/report/",
        views.assignment_report,
        name="assignment_report",
    ),
    path(
        "staff/control/assignments/<int:assignment_id>/review/",
        views.assignment_review,
        name="assignment_review",
    ),
    path(
        "staff/control/assignments/<int:assignment_id>/delegate/",
        views.assignment_delegate,
        name="assignment_delegate",
    ),
    path(
        "staff/control/assignments/<int:assignment_id>/extension/",
        views.assignment_extension,
        name="assignment_extension",
    ),
    path(
        "staff/control/extensions/<int:request_id>/decide/",
        views.extension_decide,
        name="extension_decide",
    ),
    path(
        "staff/control/resolve/<str:type_key>/<int:item_id>/",
        views.resolution_create,
        name="resolution_create",
    ),
    path(
        "staff/control/resolutions/<int:resolution_id>/",
        views.resolution_detail,
        name="resolution_detail",
    ),
    path("staff/control/discipline/", views.discipline, name="discipline"),
    path("staff/control/discipline/list/", views.discipline_list, name="discipline_list"),
    path(
        "staff/control/discipline/export.xlsx",
        views.discipline_export,
        name="discipline_export",
    ),
]
