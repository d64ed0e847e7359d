from django.apps import AppConfig


def _register_staff_nav() -> None:
    """Put the organisation, people and import screens in the staff navigation."""
    from typing import cast

    from django.utils.translation import gettext_lazy as _

    from hromada.core.registry import NavItem, registry

    for key, label, url_name, perm, order in (
        ("org", _("Структура"), "accounts:org_tree", "accounts.view_orgunit", 800),
        ("people", _("Працівники"), "accounts:people_list", "accounts.view_people", 810),
        (
            "org-import",
            _("Імпорт структури"),
            "accounts:org_import",
            "accounts.import_orgunits",
            820,
        ),
    ):
        registry.add_nav(
            NavItem(key=key, label=cast(str, label), url_name=url_name, perm=perm, order=order)
        )


class AccountsConfig(AppConfig):
    name = "hromada.accounts"
    label = "accounts"
    verbose_name = "Люди та організація"

    def ready(self) -> None:
        from hromada.accounts import (
            permissions,  # noqa: F401  (registers the rules)
            signals,
        )

        signals.connect()  # authentication events go to the audit trail
        from django.core.signals import request_finished

        from hromada.accounts.sessions import forget_loaded_user

        # The user read with a request's session is that request's only.
        request_finished.connect(
            lambda **_kwargs: forget_loaded_user(),
            weak=False,
            dispatch_uid="hromada-forget-session-user",
        )
        _register_staff_nav()
