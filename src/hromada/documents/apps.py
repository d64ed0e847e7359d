from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "hromada.documents"
    label = "documents"
    verbose_name = "Документообіг"
