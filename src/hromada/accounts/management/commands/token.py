"""`hromada token create|revoke --user EMAIL`: manage a person's REST API token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hromada.accounts.models import User
from hromada.accounts.services import token_create, token_revoke
from hromada.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Create (print) or revoke the API token of a person. A new token replaces the old."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,revoke}")
        for name, text in (("create", "issue a token and print it"), ("revoke", "delete it")):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("--user", required=True, metavar="EMAIL")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["user"].strip()).first()
        if user is None:
            raise CommandError(f"No user with e-mail {options['user']!r}.")
        try:
            if options["action"] == "create":
                token = token_create(actor=None, user=user)
                self.stdout.write(token.key)
            else:
                token_revoke(actor=None, user=user)
                self.stdout.write(f"Token of {user.email} revoked.")
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
