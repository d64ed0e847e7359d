from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hromada.accounts"
    label = "accounts"
    verbose_name = "Люди та організація"

    def ready(self) -> None:
        from hromada.accounts import permissions  # noqa: F401  (registers the rules)
