from django.urls import path

from hromada.programs import views

app_name = "programs"

urlpatterns = [
    path("staff/programs/", views.staff_list, name="staff_list"),
    path("staff/programs/progress/", views.progress, name="progress"),
]
