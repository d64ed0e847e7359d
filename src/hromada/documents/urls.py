"""Routes of the document workflow screens (namespace "documents")."""

from django.urls import URLPattern

app_name = "documents"

urlpatterns: list[URLPattern] = []
