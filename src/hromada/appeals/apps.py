from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "hromada.appeals"
    label = "appeals"
    verbose_name = "Звернення громадян"

    def ready(self) -> None:
        from hromada.appeals.registration import register_with_platform

        register_with_platform()
