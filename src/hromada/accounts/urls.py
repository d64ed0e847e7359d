from django.urls import include, path

from hromada.accounts import views

urlpatterns = [
    path("cabinet/", views.cabinet, name="cabinet"),
    # Organisation and people screens of the staff workspace: names "accounts:...".
    path("", include("hromada.accounts.staff_urls")),
]
