from django.urls import path

from hromada.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("after-login/", views.after_login, name="after_login"),
    path("staff/", views.staff_home, name="staff_home"),
]
