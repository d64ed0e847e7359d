from django.urls import path

from hromada.content import views

app_name = "content"

urlpatterns = [
    # Wagtail's image renditions (MEDIA_URL/images/…): public; originals are never served.
    path("media/images/<path:name>", views.image_file, name="image_file"),
]
