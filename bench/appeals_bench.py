"""Benchmarks of citizens' appeals on generated PostgreSQL data (issue 5).

    scripts/with-postgres.sh .venv/bin/python bench/appeals_bench.py --appeals 1000000

Steps: migrate, load the demo organisation, generate N appeals over five years (with 1–2
questions each, a resolution each and two assignments each: 2N assignments) with SQL
generate_series, VACUUM ANALYZE, then measure in-process (Django's test client for pages,
so "server time" includes the view, the queries and the template, not the network):

- the staff queue / registry with filters (state, unit, topic, due date, text): p50 / p95;
- the repeated / duplicate lookup at registration (selectors.find_related): p50 / p95;
- the quarterly classifier-858 report for a whole year (reports.classifier_report);
- registration through the service layer with 8 concurrent operators: appeals/s, gapless.

Prints a table and writes bench/results/appeals-<time>.json. PostgreSQL only. Intake through
the whole HTTP stack as a ratio to the ceiling view is measured by `bench/run.py --intake`.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hromada.config.settings")
os.environ.setdefault("HROMADA_MFA_ENFORCED", "false")
os.environ.setdefault(
    "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("HROMADA_DATA_DIR", tempfile.mkdtemp(prefix="hromada-bench-"))

SURNAMES = [
    "Коваленко", "Шевченко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Мельник",
    "Поліщук", "Савченко", "Руденко", "Мороз", "Лисенко", "Марченко", "Гончаренко", "Левченко",
]  # fmt: skip
NAMES = ["Олена", "Іван", "Марія", "Петро", "Оксана", "Андрій", "Наталія", "Василь"]
TEXTS = [
    "Прошу відновити освітлення у дворі будинку",
    "Не працює ліфт у під'їзді понад тиждень",
    "Прошу відремонтувати дорогу біля школи",
    "Відсутнє гаряче водопостачання",
    "Прошу вивезти сміття з контейнерного майданчика",
    "Щодо зміни маршруту автобуса",
    "Прошу надати матеріальну допомогу",
    "Щодо черги до дитячого садка",
]
TOPICS = ["109", "110", "103", "106", "115", "108", "111", "121"]
CHANNELS = ["web", "email", "post", "hotline", "reception", "duty_service", "direct_phone"]
DISTRICTS = ["DOV", "ING", "MET", "POK", "SAK", "TER", "TSM"]


def log(message: str) -> None:
    load = os.getloadavg()[0]
    print(f"appeals_bench: {message} (load average {load:.1f})", file=sys.stderr, flush=True)


def _setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("appeals_bench: run it on PostgreSQL (scripts/with-postgres.sh …)")
    call_command("migrate", verbosity=0)


def _column_sql(field: Any, given: dict[str, str]) -> str:
    """An SQL expression for a column of the generated rows: given, or the field's empty value."""
    from django.db import models

    if field.column in given:
        return given[field.column]
    if field.null:
        return "NULL"
    if isinstance(field, models.BooleanField):
        return "true" if field.default is True else "false"
    if isinstance(field, (models.IntegerField, models.BigIntegerField)):
        number = field.default if isinstance(field.default, int) else 0
        return str(number)
    if isinstance(field, models.DateTimeField):
        return "now()"
    if isinstance(field, (models.CharField, models.TextField)):
        text = field.default if isinstance(field.default, str) else ""
        return "'" + text.replace("'", "''") + "'"
    raise RuntimeError(f"appeals_bench: no value for {field.column}")


def _generate(n: int, *, reuse: bool = False) -> dict[str, Any]:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from hromada.accounts.demo import load_demo
    from hromada.accounts.models import Employment, OrgUnit, User
    from hromada.appeals import services
    from hromada.appeals.models import Appeal

    if not OrgUnit.objects.filter(code="VK").exists():
        load_demo()
    vk = OrgUnit.objects.get(code="VK")
    journal = services.journal_for(vk)
    if reuse:
        have = Appeal.objects.filter(journal=journal).count()
        if have >= n:
            log(f"reusing the {have} generated appeals")
            with connection.cursor() as cur:
                cur.execute("SELECT count(*) FROM control_assignment")
                row = cur.fetchone()
            return {
                "appeals": have,
                "assignments": int(row[0]) if row else 0,
                "seconds": 0.0,
                "vk": vk.pk,
                "journal": journal.pk,
                "reused": True,
            }
        if have:
            sys.exit(f"appeals_bench: {have} appeals already there, fewer than {n}")
    log(f"generating {n} appeals")
    operator = User.objects.get(email="operator@demo.hromada.local")
    head = (
        User.objects.filter(role_assignments__role="head", role_assignments__unit__code="MR")
        .order_by("pk")
        .first()
        or operator
    )
    executors = list(
        Employment.objects.current()
        .filter(position__unit__path__startswith=vk.path)
        .values_list("user_id", "position__unit_id")
        .order_by("pk")[:400]
    )
    today = timezone.localdate()
    # g: 1..n; appeals spread over 5 years (1825 days), newest first by g.
    given = {
        "created_at": "now()",
        "updated_at": "now()",
        "journal_id": str(journal.pk),
        "unit_id": str(vk.pk),
        "state": "CASE WHEN g % 50 = 0 THEN 'in_work' WHEN g % 50 = 1 THEN 'registered' "
        "ELSE 'closed' END",
        "channel": "(%(channels)s::text[])[1 + g % 7]",
        "year": "extract(year FROM %(today)s::date - (g % 1825))::int",
        "seq": "g",
        "reg_index": "g::text",
        "reg_date": "%(today)s::date - (g % 1825)",
        "registered_at": "now()",
        "registered_by_id": str(operator.pk),
        "surname": "(%(surnames)s::text[])[1 + g % 15]",
        "given_name": "(%(names)s::text[])[1 + (g / 15) % 8]",
        "patronymic": "''",
        "address": "'вул. Бенчмаркова, ' || (g % 500)::text",
        "district": "(%(districts)s::text[])[1 + g % 7]",
        "phone": "'+38067' || lpad((g % 900000)::text, 7, '0')",
        "phone_digits": "'67' || lpad((g % 900000)::text, 7, '0')",
        "person_key": "lower((%(surnames)s::text[])[1 + g % 15] || ' ' || "
        "(%(names)s::text[])[1 + (g / 15) % 8] || ' ' || (g % 4000)::text)",
        "subject": "CASE WHEN g % 40 = 0 THEN '5.2' ELSE '5.1' END",
        "signatories": "CASE WHEN g % 40 = 0 THEN 12 ELSE 1 END",
        "kind": "CASE WHEN g % 9 = 0 THEN '3.3' WHEN g % 5 = 0 THEN '3.1' ELSE '3.2' END",
        "sign": "CASE WHEN g % 25 = 0 THEN '2.2' ELSE '2.1' END",
        "how_received": "CASE WHEN g % 7 IN (3, 5, 6) THEN '1.1.1' WHEN g % 7 = 4 THEN '1.2' "
        "ELSE '1.1' END",
        "appeal_type": "CASE WHEN g % 7 IN (3, 4, 5, 6) THEN '6.3' ELSE '6.2' END",
        "sex": "CASE WHEN g % 2 = 0 THEN '4.1' ELSE '4.2' END",
        "category": "CASE WHEN g % 10 = 0 THEN '7.5' WHEN g % 13 = 0 THEN '7.19' ELSE '' END",
        "priority": "(g % 10 = 0 OR g % 13 = 0)",
        "summary": "(%(texts)s::text[])[1 + g % 8]",
        "text": "(%(texts)s::text[])[1 + g % 8] || ' № ' || (g % 500)::text",
        "due_date": "%(today)s::date - (g % 1825) + 30",
        "first_due_date": "%(today)s::date - (g % 1825) + 30",
        "result": "CASE WHEN g % 50 IN (0, 1) THEN '' WHEN g % 3 = 0 THEN '9.1' "
        "WHEN g % 3 = 1 THEN '9.3' ELSE '9.2' END",
        "answered_at": "CASE WHEN g % 50 IN (0, 1) THEN NULL "
        "ELSE (%(today)s::date - (g % 1825) + 20 + (g % 15))::timestamptz END",
        "closed_at": "CASE WHEN g % 50 IN (0, 1) THEN NULL "
        "ELSE (%(today)s::date - (g % 1825) + 25 + (g % 15))::timestamptz END",
        "needs_study": "true",
    }
    fields = [f for f in Appeal._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    # `%` is psycopg's placeholder mark: the modulo operator is written `%%`.
    values = ", ".join(_column_sql(f, given) for f in fields).replace(" % ", " %% ")
    params: dict[str, Any] = {
        "today": today,
        "channels": CHANNELS,
        "surnames": SURNAMES,
        "names": NAMES,
        "districts": DISTRICTS,
        "texts": TEXTS,
        "n": n,
    }
    appeal_type = ContentType.objects.get_for_model(Appeal).pk
    started = time.monotonic()
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO appeals_appeal ({columns}) SELECT {values} "  # noqa: S608
            "FROM generate_series(1, %(n)s) g",
            params,
        )
        cur.execute(
            """
            INSERT INTO appeals_appealtopic (appeal_id, code, is_main)
            SELECT a.id, (%(topics)s::text[])[1 + a.seq %% 8], true
            FROM appeals_appeal a WHERE a.journal_id = %(journal)s
            UNION ALL
            SELECT a.id, (%(topics)s::text[])[1 + (a.seq + 3) %% 8], false
            FROM appeals_appeal a WHERE a.journal_id = %(journal)s AND a.seq %% 3 = 0
            """,
            {"topics": TOPICS, "journal": journal.pk},
        )
        cur.execute("CREATE TEMP TABLE bench_exec (i int, user_id bigint, unit_id bigint)")
        cur.executemany(
            "INSERT INTO bench_exec VALUES (%s, %s, %s)",
            [(i, u, unit) for i, (u, unit) in enumerate(executors)],
        )
        cur.execute(
            """
            INSERT INTO control_resolution (created_at, updated_at, item_type_id, item_id,
              control_type, item_title, notice_title, unit_id, author_id, entered_by_id, text,
              resolution_date, start_date, due_date, control_state, term_kind, removal_note)
            SELECT now(), now(), %(ct)s, a.id, 'appeals.appeal', left(a.summary, 300),
              'Звернення № ' || a.reg_index, a.unit_id, %(head)s, %(head)s, 'Розглянути',
              a.reg_date, a.reg_date, a.due_date,
              CASE WHEN a.state = 'in_work' THEN 'on_control' ELSE 'removed' END, '', ''
            FROM appeals_appeal a WHERE a.journal_id = %(journal)s AND a.state <> 'registered'
            """,
            {"ct": appeal_type, "head": head.pk, "journal": journal.pk},
        )
        cur.execute(
            """
            INSERT INTO control_assignment (created_at, updated_at, resolution_id, item_type_id,
              item_id, executor_id, unit_id, assigned_by_id, is_responsible, "order", text,
              assigned_on, due_date, state, reviewer_id, completed_on, days_taken,
              next_reminder_on)
            SELECT now(), now(), r.id, r.item_type_id, r.item_id, e.user_id, e.unit_id,
              r.author_id, o = 0, o, '',
              r.resolution_date, r.due_date,
              CASE WHEN r.control_state = 'on_control' THEN 'in_progress' ELSE 'done' END,
              r.author_id,
              CASE WHEN r.control_state = 'on_control' THEN NULL
                   ELSE r.due_date - (r.id %% 7)::int END,
              CASE WHEN r.control_state = 'on_control' THEN NULL ELSE 30 - (r.id %% 7)::int END,
              CASE WHEN r.control_state = 'on_control' AND r.due_date >= %(today)s
                   THEN r.due_date - 3 END
            FROM control_resolution r
            CROSS JOIN generate_series(0, 1) o
            JOIN bench_exec e ON e.i = (r.id * 2 + o) %% %(k)s
            WHERE r.control_type = 'appeals.appeal'
            """,
            {"today": today, "k": len(executors)},
        )
        cur.execute(
            "INSERT INTO core_counter (journal, year, value) "
            "SELECT %(key)s, year, max(seq) FROM appeals_appeal WHERE journal_id = %(j)s "
            "GROUP BY year ON CONFLICT (journal, year) DO UPDATE SET value = EXCLUDED.value",
            {"key": journal.counter_key, "j": journal.pk},
        )
        cur.execute("VACUUM ANALYZE")
        seconds = time.monotonic() - started
        cur.execute("SELECT count(*) FROM control_assignment")
        row = cur.fetchone()
    return {
        "appeals": n,
        "assignments": int(row[0]) if row else 0,
        "seconds": round(seconds, 1),
        "vk": vk.pk,
        "journal": journal.pk,
    }


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def _timed(fn: Any, runs: int) -> dict[str, float]:
    """Wall time per call, and this process's CPU time per call (Python: view, ORM, template).

    On a machine shared with other work the wall time stretches with the load average; the
    CPU time does much less, and with the SQL time it is what the call costs on a quiet one.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, cpu, sql = [], [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            fn()
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(_p95(samples), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(_p95(cpu), 1),
        "sql_p50_ms": round(statistics.median(sql), 1),
        "sql_p95_ms": round(_p95(sql), 1),
        "queries": len(queries.captured_queries),
    }


def _queue_filters(info: dict[str, Any]) -> list[dict[str, str]]:
    """The queue's filters measured: each on its own (state, unit, topic, due date) and combined."""
    from django.utils import timezone

    today = timezone.localdate()
    return [
        {},
        {"state": "in_work"},
        {"state": "registered", "priority": "1"},
        {"topic": "109"},
        {"unit": str(info["vk"])},
        {"due_to": today.isoformat(), "state": "in_work"},
        {"due_from": (today - timedelta(days=60)).isoformat(), "due_to": today.isoformat()},
        {"clock": "overdue"},
        {"state": "in_work", "unit": str(info["vk"]), "topic": "109", "due_to": today.isoformat()},
        {"state": "in_work", "topic": "103", "channel": "hotline"},
        {"q": "Коваленко"},
        {"q": "12345"},
    ]


def _queue(info: dict[str, Any], runs: int, who: str = "operator,head") -> dict[str, Any]:
    from django.db.models import Count
    from django.test import Client

    from hromada.accounts.models import User
    from hromada.control.models import Assignment

    users: dict[str, Any] = {}
    if "operator" in who:
        users["operator"] = User.objects.get(email="operator@demo.hromada.local")
    if "head" in who:
        # The busiest executor (a head of five departments): the visibility rules decide
        # what they see (their units' assignments, their own).
        top = (
            Assignment.objects.values_list("executor_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        if top:
            users["head"] = User.objects.get(pk=top[0])
    if "small" in who:
        # A head of one department with the fewest assignments (~4,900: 0.5 % of the appeals),
        # the usual head: the queue's ordered scan reads far more rows to fill a page.
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute(
                """
                SELECT ra.user_id FROM accounts_roleassignment ra
                JOIN accounts_orgunit u ON u.id = ra.unit_id
                WHERE ra.role = 'head' AND ra.user_id IN (
                  SELECT user_id FROM accounts_roleassignment WHERE role = 'head'
                  GROUP BY user_id HAVING count(*) = 1)
                ORDER BY (SELECT count(*) FROM control_assignment a
                          JOIN accounts_orgunit o ON o.id = a.unit_id
                          WHERE o.path LIKE u.path || '%%') = 0,
                         (SELECT count(*) FROM control_assignment a
                          JOIN accounts_orgunit o ON o.id = a.unit_id
                          WHERE o.path LIKE u.path || '%%'), ra.user_id
                LIMIT 1
                """
            )
            row = cur.fetchone()
        if row:
            users["small head"] = User.objects.get(pk=row[0])
    out: dict[str, Any] = {}
    for role, user in users.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        first = client.get("/staff/appeals/")
        if first.status_code != 200:
            out[role] = {"skipped": f"/staff/appeals/ answered {first.status_code}"}
            continue
        for f in _queue_filters(info):
            key = f"{role}: " + ("&".join(f"{k}={v}" for k, v in f.items()) or "(no filter)")
            client.get("/staff/appeals/", f)  # warm-up
            out[key] = _timed(lambda f=f, c=client: c.get("/staff/appeals/", f), runs)
            page = client.get("/staff/appeals/", f).content
            out[key]["rows"] = max(0, page.count(b'<tr class="govuk-table__row"') - 1)
            out[key]["load"] = round(os.getloadavg()[0], 2)
    return out


def _lookup(runs: int) -> dict[str, Any]:
    from hromada.appeals import selectors

    people = iter(
        [
            (SURNAMES[i % 15], NAMES[(i // 15) % 8], f"+38067{i * 7919 % 900000:07d}")
            for i in range(1000)
        ]
    )

    def once() -> None:
        surname, name, phone = next(people)
        selectors.find_related(
            surname=surname, given_name=name, patronymic="", phone=phone, topics=["109"]
        )

    return _timed(once, runs)


def _report(year: int) -> dict[str, Any]:
    from datetime import date

    from hromada.appeals import reports

    started = time.perf_counter()
    result = reports.classifier_report(date(year, 1, 1), date(year, 12, 31))
    seconds = time.perf_counter() - started
    return {"year": year, "appeals": result.total, "seconds": round(seconds, 2)}


def _registration(info: dict[str, Any], operators: int, per_operator: int) -> dict[str, Any]:
    from django.db import connection, connections

    from hromada.accounts.models import OrgUnit, RoleAssignment
    from hromada.appeals import services
    from hromada.appeals.models import Appeal
    from hromada.control.factories import person

    zv = OrgUnit.objects.get(code="VK-ZV")
    users = []
    run = int(time.time())
    for i in range(operators):
        user = person(zv, email=f"bench-operator-{run}-{i}@example.org")
        RoleAssignment.objects.create(user=user, role="operator", unit_id=info["vk"])
        users.append(user)
    before = Appeal.objects.filter(journal_id=info["journal"]).count()
    from django.utils import timezone

    from hromada.appeals.models import AppealsJournal
    from hromada.core.models import Counter

    year = timezone.localdate().year
    journal = AppealsJournal.objects.get(pk=info["journal"])
    counter = Counter.objects.filter(journal=journal.counter_key, year=year).first()
    last_before = counter.value if counter else 0
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(operators)
    failures = ctx.Value("i", 0)

    def work(user_id: int, index: int) -> None:
        from hromada.accounts.models import OrgUnit, User

        user = User.objects.get(pk=user_id)
        body = OrgUnit.objects.get(pk=info["vk"])
        barrier.wait()
        try:
            for k in range(per_operator):
                services.appeal_register(
                    actor=user,
                    body=body,
                    channel="hotline",
                    card=services.AppealCard(
                        surname=f"Заявник{index}",
                        given_name=f"Ім'я{k}",
                        address="вул. Бенчмаркова, 1",
                        phone=f"+38050{index:02d}{k:05d}",
                        text="Прошу відремонтувати дорогу біля школи",
                        topics=["103"],
                    ),
                )
        except Exception as exc:
            print("registration failed:", exc, file=sys.stderr)
            with failures.get_lock():
                failures.value += 1
        finally:
            connection.close()

    processes = [ctx.Process(target=work, args=(u.pk, i)) for i, u in enumerate(users)]
    started = time.perf_counter()
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    seconds = time.perf_counter() - started
    total = operators * per_operator
    # The journal is gapless: the new numbers follow the last one given before, one by one.
    seqs = sorted(
        seq
        for seq in Appeal.objects.filter(
            journal_id=info["journal"], year=year, seq__gt=last_before
        ).values_list("seq", flat=True)
        if seq is not None
    )
    after = Appeal.objects.filter(journal_id=info["journal"]).count()
    return {
        "operators": operators,
        "appeals": total,
        "registered": after - before,
        "seconds": round(seconds, 2),
        "per_second": round(total / seconds, 1),
        "errors": int(failures.value),
        "gapless": seqs == list(range(last_before + 1, last_before + len(seqs) + 1)),
    }


STEPS = ("queue", "lookup", "report", "registration")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--appeals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--operators", type=int, default=8)
    parser.add_argument("--per-operator", type=int, default=100)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Keep appeals generated by an earlier run on the same DATABASE_URL.",
    )
    parser.add_argument(
        "--who",
        default="operator,head",
        help="Whose queue: operator, head (of five departments), small (a head of one).",
    )
    parser.add_argument(
        "--steps", default=",".join(STEPS), help=f"What to measure (default: {','.join(STEPS)})."
    )
    args = parser.parse_args()
    steps = [s for s in args.steps.split(",") if s]
    _setup()
    info = _generate(args.appeals, reuse=args.reuse)
    from django.utils import timezone

    results: dict[str, Any] = {
        "command": " ".join(sys.argv),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "generated": info,
    }
    measures = {
        "queue": lambda: _queue(info, args.runs, args.who),
        "lookup": lambda: _lookup(args.runs * 5),
        "report": lambda: _report(timezone.localdate().year - 1),
        "registration": lambda: _registration(info, args.operators, args.per_operator),
    }
    for step in steps:
        log(f"measuring {step}")
        before = os.getloadavg()[0]
        results[step] = measures[step]()
        results[step + "_load_average"] = [round(before, 1), round(os.getloadavg()[0], 1)]
    print(json.dumps(results, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"appeals-{stamp}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
