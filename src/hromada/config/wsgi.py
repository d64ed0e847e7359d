"""WSGI entry point (gunicorn hromada.config.wsgi)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hromada.config.settings")
django.setup(set_prefix=False)  # as django.core.wsgi.get_wsgi_application does

from hromada.core.handlers import Application  # noqa: E402 - needs the apps loaded

# Django's handler; token-authenticated API calls take a shorter middleware stack.
application = Application()
