"""Views for the citizen cabinet and the people and organisation screens."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def cabinet(request: HttpRequest) -> HttpResponse:
    """Render the citizen's cabinet (modules add their sections later)."""
    return render(request, "accounts/cabinet.html")
