from django.urls import path

from hromada.accounts import views

urlpatterns = [
    path("cabinet/", views.cabinet, name="cabinet"),
]
