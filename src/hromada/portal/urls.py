from django.urls import path, re_path

from hromada.portal import attachment_views, kiosk, poll_views, views

app_name = "portal"

urlpatterns = [
    path("resources/", views.catalogue, name="catalogue"),
    path("resources/rubric/<slug:slug>/", views.rubric, name="rubric"),
    path("resources/<slug:slug>/", views.resource, name="resource"),
    path("resources/<slug:slug>/points.json", views.resource_points_json, name="resource_points"),
    path("resources/<slug:slug>/import/", views.resource_import, name="resource_import"),
    path("resources/<slug:slug>/new/", views.object_edit, name="object_add"),
    path("objects/<int:pk>/", views.object_detail, name="object"),
    path("objects/<int:pk>/edit/", views.object_edit, name="object_edit"),
    path("map/", views.city_map, name="map"),
    path("map/points.json", views.city_points_json, name="map_points"),
    path("buildings/", views.buildings, name="buildings"),
    path("buildings/<int:pk>/", views.building, name="building"),
    path("search/", views.search, name="search"),
    path("search.json", views.search_json, name="search_json"),
    path("opendata/", views.opendata_index, name="opendata"),
    path("opendata/catalog.jsonld", views.opendata_dcat, name="dcat"),
    re_path(
        r"^opendata/(?P<slug>[-a-zA-Z0-9_]+)\.(?P<fmt>csv|json)$",
        views.opendata_file,
        name="opendata_file",
    ),
    path("polls/", poll_views.poll_list, name="polls"),
    path("polls/<int:pk>/", poll_views.poll_detail, name="poll"),
    path("polls/confirm/<str:token>/", poll_views.poll_confirm, name="poll_confirm"),
    path("staff/portal/polls/", poll_views.staff_poll_list, name="staff_polls"),
    path("staff/portal/polls/new/", poll_views.staff_poll_edit, name="staff_poll_new"),
    path("staff/portal/polls/<int:pk>/", poll_views.staff_poll_edit, name="staff_poll_edit"),
    re_path(
        r"^staff/portal/polls/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$",
        poll_views.staff_poll_export,
        name="staff_poll_export",
    ),
    path("files/<int:pk>/", attachment_views.download, name="attachment"),
    path("files/<int:pk>/thumbnail/", attachment_views.thumbnail, name="attachment_thumbnail"),
    path("objects/<int:pk>/files/", attachment_views.object_files, name="object_files"),
    path("buildings/<int:pk>/files/", attachment_views.passport_files, name="passport_files"),
    path("files/<int:pk>/delete/", attachment_views.delete, name="attachment_delete"),
    path("kiosk/", kiosk.start, name="kiosk"),
    path("kiosk/search/", kiosk.search, name="kiosk_search"),
    path("kiosk/rubric/<slug:slug>/", kiosk.rubric, name="kiosk_rubric"),
    path("kiosk/resource/<slug:slug>/", kiosk.resource, name="kiosk_resource"),
    path("kiosk/object/<int:pk>/", kiosk.object_detail, name="kiosk_object"),
    path("kiosk/building/<int:pk>/", kiosk.building, name="kiosk_building"),
]
