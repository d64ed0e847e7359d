"""`hromada createstaff`: create a staff account, optionally with roles."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hromada.accounts.models import OrgUnit
from hromada.accounts.roles import Role
from hromada.accounts.services import user_create_staff
from hromada.core.exceptions import ApplicationError


def parse_role(value: str) -> tuple[str, OrgUnit | None]:
    """Parse ROLE or ROLE:UNIT_CODE (no unit: the whole city)."""
    role, _, code = value.partition(":")
    if role not in Role.values:
        raise CommandError(f"Unknown role {role!r}; one of: {', '.join(Role.values)}.")
    if not code:
        return role, None
    unit = OrgUnit.objects.filter(code__iexact=code).first()
    if unit is None:
        raise CommandError(f"No unit with code {code!r}.")
    return role, unit


class Command(BaseCommand):
    help = (
        "Create a staff account. Without --password-from-stdin the person gets an e-mail "
        "with a link to set a password (sent by the task worker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--surname", required=True)
        parser.add_argument("--given-name", required=True)
        parser.add_argument("--patronymic", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            metavar="ROLE[:UNIT_CODE]",
            help=f"Repeatable. Roles: {', '.join(Role.values)}. Without a unit: the whole city.",
        )
        parser.add_argument(
            "--password-from-stdin",
            action="store_true",
            help="Read the password from the first line of standard input.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        roles = [parse_role(r) for r in options["role"]]
        password = None
        if options["password_from_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input.")
        try:
            user = user_create_staff(
                actor=None,
                email=options["email"],
                surname=options["surname"],
                given_name=options["given_name"],
                patronymic=options["patronymic"],
                phone=options["phone"],
                password=password,
                roles=roles,
            )
        except ApplicationError as exc:
            field = f"{exc.field}: " if exc.field else ""
            raise CommandError(f"{field}{exc.message}") from exc
        self.stdout.write(self.style.SUCCESS(f"Created staff account {user.email} (id {user.pk})."))
        if password is None:
            self.stdout.write("A link to set the password will be e-mailed by the task worker.")
