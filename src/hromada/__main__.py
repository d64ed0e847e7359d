"""The `hromada` command: Django's management utility with hromada's settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a hromada management command (`hromada serve`, `hromada demo`, ...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hromada.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hromada", *sys.argv[1:]])


if __name__ == "__main__":
    main()
