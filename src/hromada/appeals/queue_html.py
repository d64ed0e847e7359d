"""The staff queue's table rows (`/staff/appeals/`) written in Python, once per page.

Django's template engine spent ~10 ms of CPU a page on the queue's 50 rows (about 40 variable
and tag nodes a row: lookups, autoescaping, `{% with %}` contexts, filters). The rows'
markup is the same as the loop `appeals/staff/queue.html` had (the test
`tests/test_queue_page.py` renders that loop with Django and compares), every value escaped here
as the template escaped it (`html.escape`: what Django's `escape` does, without its lazy-string
wrapper, ~600 calls a page). The page around the rows stays a template.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hromada.appeals.staff_selectors import QueueRow
from hromada.appeals.templatetags.appeals_staff import days_word


def rows_html(rows: list[QueueRow], *, can_mark_mass: bool) -> SafeString:
    """The `<tr>`s of the queue's table for these rows (with a checkbox each if `can_mark_mass`)."""
    # The words repeated in every row, translated once.
    t_priority = escape(_("пільгова категорія"))
    t_mass = escape(_("масове"))
    t_overdue = escape(_("прострочено на"))
    t_today = escape(_("сьогодні"))
    t_left = escape(_("залишилось"))
    t_extended = escape(_("продовжено"))
    t_forward = escape(_("переслати до"))
    out: list[str] = []
    add = out.append
    for r in rows:
        a, c = r.appeal, r.clocks
        add('\n    <tr class="govuk-table__row">\n      ')
        if can_mark_mass:
            pk = escape(str(a.pk))
            add(
                '<td class="govuk-table__cell"><div class="govuk-checkboxes'
                ' govuk-checkboxes--small"><div class="govuk-checkboxes__item"><input'
                f' class="govuk-checkboxes__input" type="checkbox" name="appeal" value="{pk}"'
                f' id="sel-{pk}"><label class="govuk-label govuk-checkboxes__label"'
                f' for="sel-{pk}"><span class="govuk-visually-hidden">'
                f"{escape(r.select_label)}</span></label></div></div></td>"
            )
        add(
            f'\n      <td class="govuk-table__cell"><a class="govuk-link"'
            f' href="{escape(r.detail_url)}">№ {escape(a.reg_index)}</a><br>'
            f'<span class="govuk-body-s">{escape(r.reg_date)} · {escape(r.channel)}</span>'
            "\n        "
        )
        if a.priority:
            add(f'<br><strong class="govuk-tag govuk-tag--orange">{t_priority}</strong>')
        add("\n        ")
        if r.mass_url:
            add(f'<br><a class="govuk-link govuk-body-s" href="{escape(r.mass_url)}">{t_mass}</a>')
        add(
            f'</td>\n      <td class="govuk-table__cell">{escape(a.full_name or "—")}</td>'
            f'\n      <td class="govuk-table__cell">{escape(r.summary)}<br>'
            f'<span class="govuk-body-s">{escape(r.topics)} · {escape(r.unit)}</span></td>'
            f'\n      <td class="govuk-table__cell">{escape(r.state)}'
        )
        if r.sign:
            add(f'<br><span class="govuk-body-s">{escape(r.sign)}</span>')
        add('</td>\n      <td class="govuk-table__cell">')
        if c.due_date:
            add(_clock(r, t_overdue, t_today, t_left, t_extended, t_forward))
        else:
            add("—")
        add("</td>\n    </tr>\n  ")
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above


def _clock(r: QueueRow, overdue: str, today: str, left: str, extended: str, forward: str) -> str:
    """The due-date cell of a row with a running term (translated words come escaped)."""
    c = r.clocks
    days = c.days_left if c.days_left is not None else 0
    parts = [f"{escape(r.due_date)}<br>\n"]
    if c.overdue:
        word = days_word(days)
        parts.append(f'<span class="hromada-clock--overdue">{overdue} {abs(days)} {word}</span>\n')
    elif c.due_soon:
        text = today if days == 0 else f"{left} {days} {days_word(days)}"
        parts.append(f'<span class="hromada-clock--soon">{text}</span>\n')
    else:
        parts.append(f'<span class="govuk-body-s">{left} {days} {days_word(days)}</span>')
    parts.append("\n")
    if c.extended:
        parts.append(f'<br><span class="govuk-body-s">{extended}</span>')
    parts.append("\n")
    if c.forward_by:
        late = " hromada-clock--overdue" if c.forward_late else ""
        by = escape(r.forward_by)
        parts.append(f'<br><span class="govuk-body-s{late}">{forward} {by}</span>')
    parts.append("\n")
    return "".join(parts)
