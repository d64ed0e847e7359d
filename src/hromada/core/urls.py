from django.urls import path

from hromada.core import audit_views, notification_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("after-login/", views.after_login, name="after_login"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/panels/<str:key>/", views.staff_panel, name="staff_panel"),
    path("staff/audit/", audit_views.audit_list, name="audit_list"),
    path("staff/audit/export.csv", audit_views.audit_export, name="audit_export"),
    path("staff/audit/<int:seq>/", audit_views.audit_detail, name="audit_detail"),
    path("staff/notifications/", notification_views.notification_list, name="notifications"),
    path(
        "staff/notifications/<int:notification_id>/read/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path(
        "staff/notifications/read-all/",
        notification_views.notifications_read_all,
        name="notifications_read_all",
    ),
]
