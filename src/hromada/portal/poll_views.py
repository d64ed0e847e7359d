"""Visitor polls (опитування): public pages, the e-mail confirmation, the editors' staff screens."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hromada.core.cells import safe_cell
from hromada.core.exceptions import ApplicationError
from hromada.portal.forms import PollForm, PollVoteForm
from hromada.portal.models import Poll
from hromada.portal.selectors import (
    poll_has_voted,
    poll_results,
    poll_votes_by_day,
    polls_for_staff,
    polls_published,
)
from hromada.portal.services import (
    poll_save,
    poll_vote,
    poll_vote_confirm,
    poll_vote_request,
    poll_voter_for_user,
)

# Polls this browser has voted in (anonymous visitors after confirming by e-mail).
SESSION_VOTED = "portal_polls_voted"

View = Callable[..., HttpResponse]


def _voted_here(request: HttpRequest, poll: Poll) -> bool:
    if request.user.is_authenticated:
        return poll_has_voted(poll, poll_voter_for_user(request.user))
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return poll.pk in request.session.get(SESSION_VOTED, [])


def _remember_vote(request: HttpRequest, poll_id: int) -> None:
    voted = [pk for pk in request.session.get(SESSION_VOTED, []) if pk != poll_id]
    request.session[SESSION_VOTED] = [*voted[-49:], poll_id]


@require_GET
def poll_list(request: HttpRequest) -> HttpResponse:
    """List the open polls and the results of the closed ones."""
    now = timezone.now()
    open_polls, closed_polls = polls_published(now=now)
    return render(
        request,
        "portal/polls/list.html",
        {"open_polls": open_polls, "closed": [poll_results(p) for p in closed_polls[:20]]},
    )


@require_http_methods(["GET", "POST"])
def poll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a poll: the vote form while open, the results after voting or closing."""
    poll = get_object_or_404(Poll.objects.filter(is_published=True), pk=pk)
    now = timezone.now()
    is_open = poll.is_open_at(now)
    anonymous = not request.user.is_authenticated
    options = list(poll.options.all())
    form = PollVoteForm(request.POST or None, options=options, needs_email=anonymous)
    status = 200
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("Опитування завершено: голосування закрите."))
            return redirect(poll.get_absolute_url())
        if form.is_valid():
            try:
                if anonymous:
                    poll_vote_request(
                        poll_id=poll.pk,
                        option_id=form.cleaned_data["option"],
                        email=form.cleaned_data["email"],
                        base_url=request.build_absolute_uri("/"),
                    )
                else:
                    poll_vote(
                        poll_id=poll.pk,
                        option_id=form.cleaned_data["option"],
                        voter=poll_voter_for_user(request.user),
                        actor=request.user,
                    )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                if anonymous:
                    messages.success(
                        request,
                        _(
                            "Ми надіслали лист на вказану адресу. Перейдіть за посиланням у "
                            "ньому, щоб ваш голос було зараховано."
                        ),
                    )
                else:
                    messages.success(request, _("Дякуємо! Ваш голос зараховано."))
                return redirect(poll.get_absolute_url())
        status = 400
    voted = _voted_here(request, poll)
    show_results = voted or poll.is_closed_at(now)
    return render(
        request,
        "portal/polls/detail.html",
        {
            "poll": poll,
            "form": form,
            "is_open": is_open,
            "voted": voted,
            "results": poll_results(poll) if show_results else None,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def poll_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm an anonymous visitor's vote from the e-mail link (a button: no vote on GET)."""
    if request.method == "GET":
        return render(request, "portal/polls/confirm.html", {"token": token[:1000]})
    try:
        vote = poll_vote_confirm(token=token[:1000])
    except ApplicationError as exc:
        return render(
            request, "portal/polls/confirm.html", {"error": exc.message, "token": ""}, status=400
        )
    _remember_vote(request, vote.poll_id)
    messages.success(request, _("Дякуємо! Ваш голос зараховано."))
    return redirect("portal:poll", pk=vote.poll_id)


# --- Staff: editors manage polls ----------------------------------------------------------


def polls_staff(view: View) -> View:
    """Let in only staff who manage polls (editors, admins)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("portal.manage_polls"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@polls_staff
@require_GET
def staff_poll_list(request: HttpRequest) -> HttpResponse:
    """List every poll with its period, state and number of votes."""
    return render(
        request,
        "portal/polls/staff_list.html",
        {"polls": list(polls_for_staff()[:500]), "now": timezone.now()},
    )


def _form_initial(poll: Poll | None) -> dict[str, Any]:
    if poll is None:
        start = timezone.localtime().replace(second=0, microsecond=0)
        return {
            "opens_at": start,
            "closes_at": start + timedelta(days=14),
            "on_home": True,
        }
    return {
        "question": poll.question,
        "description": poll.description,
        "options": "\n".join(o.text for o in poll.options.all()),
        "opens_at": timezone.localtime(poll.opens_at),
        "closes_at": timezone.localtime(poll.closes_at),
        "is_published": poll.is_published,
        "on_home": poll.on_home,
    }


@polls_staff
@require_http_methods(["GET", "POST"])
def staff_poll_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a poll or change one (its options are fixed once somebody voted)."""
    poll = get_object_or_404(Poll, pk=pk) if pk is not None else None
    form = PollForm(request.POST or None, initial=_form_initial(poll))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = poll_save(
                poll_id=poll.pk if poll else None,
                question=data["question"],
                description=data["description"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                is_published=data["is_published"],
                on_home=data["on_home"],
                options=form.option_lines(),
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Опитування збережено."))
            return redirect("portal:staff_polls")
    return render(
        request,
        "portal/polls/staff_form.html",
        {"poll": poll, "form": form, "results": poll_results(poll) if poll else None},
        status=400 if request.method == "POST" else 200,
    )


def _export_rows(poll: Poll) -> tuple[list[list[Any]], list[list[Any]]]:
    results = poll_results(poll)
    summary: list[list[Any]] = [[_("Варіант відповіді"), _("Голосів"), _("Відсоток")]]
    summary += [[r.option.text, r.votes, r.percent] for r in results.options]
    summary.append([_("Усього"), results.total, 100 if results.total else 0])
    texts = {r.option.pk: r.option.text for r in results.options}
    by_day: list[list[Any]] = [[_("Дата"), _("Варіант відповіді"), _("Голосів")]]
    by_day += [[day, texts.get(option_id, ""), n] for day, option_id, n in poll_votes_by_day(poll)]
    return summary, by_day


@polls_staff
@require_GET
def staff_poll_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Download a poll's results (per option and per day; no voter data) as CSV or XLSX."""
    poll = get_object_or_404(Poll, pk=pk)
    summary, by_day = _export_rows(poll)
    filename = f"poll-{poll.pk}-{timezone.localdate():%Y%m%d}"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow([_("Опитування"), safe_cell(poll.question)])
        writer.writerow([])
        writer.writerows([[safe_cell(c) for c in row] for row in summary])
        writer.writerow([])
        writer.writerows([[safe_cell(c) for c in row] for row in by_day])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = _("Результати")[:31]
        sheet.append([_("Опитування"), safe_cell(poll.question)])
        sheet.append([])
        for row in summary:
            sheet.append([safe_cell(c) for c in row])
        days = book.create_sheet(_("За днями")[:31])
        for row in by_day:
            days.append([safe_cell(c) for c in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
