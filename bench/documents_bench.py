"""Benchmarks of the document workflow and execution control on generated PostgreSQL data.

    scripts/with-postgres.sh .venv/bin/python bench/documents_bench.py --documents 1000000

Steps: migrate, load the demo city, generate N documents (each with a resolution and two
assignments: 2N assignments, a tenth of them open on control) with SQL generate_series,
ANALYZE, then measure in-process (Django's test client, so "server time" includes the view,
the queries and the template, not the network):

- "My work" of a busy executor and the overdue-by-unit dashboard panel: p50/p95 over runs;
- registration through the service layer with 8 concurrent clerks: documents/s, gapless;
- full-text search (the documents list with ?q=): p95 over a set of queries;
- the reminder sweep: its duration, and EXPLAIN of its query (the partial index is used).

Prints a table and writes bench/results/documents-<time>.json. PostgreSQL only.
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hromada.config.settings")
os.environ.setdefault("HROMADA_MFA_ENFORCED", "false")
# Pages render without collectstatic; data (uploads, mail) go to a throwaway directory.
os.environ.setdefault(
    "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("HROMADA_DATA_DIR", tempfile.mkdtemp(prefix="hromada-bench-"))

SUMMARIES = [
    "Про ремонт покрівлі житлового будинку по вулиці Соборності",
    "Щодо виконання договору підряду на ремонт доріг",
    "Про надання інформації щодо використання бюджетних коштів",
    "Запит на публічну інформацію щодо тарифів на вивезення відходів",
    "Про погодження графіка відключень електроенергії",
    "Щодо заходів цивільного захисту в укриттях закладів освіти",
    "Про виділення матеріальної допомоги внутрішньо переміщеним особам",
    "Про забезпечення закладів охорони здоров'я медичним обладнанням",
    "Щодо організації підвезення учнів до закладів освіти",
    "Про зміну маршруту міського автобуса",
    "Щодо оренди нежитлового приміщення комунальної власності",
    "Про надання дозволу на розроблення проєкту землеустрою",
]
QUERIES = [
    "договору",
    "покрівлі",
    "бюджетних коштів",
    "укриття",
    "автобус",
    "землеустрою",
    "медичного обладнання",
    "тарифи",
    "відключення",
    "допомоги",
]


def _setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("documents_bench: run it on PostgreSQL (scripts/with-postgres.sh …)")
    call_command("migrate", verbosity=0)


def _generate(n: int) -> dict[str, Any]:
    """Write N documents, N resolutions and 2N assignments with SQL (a few seconds per 100k)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from hromada.accounts.demo import load_demo
    from hromada.accounts.models import Employment, OrgUnit, User
    from hromada.documents import search
    from hromada.documents.models import Correspondent, Document, Journal

    load_demo()
    vk = OrgUnit.objects.get(code="VK")
    journal = Journal.objects.create(body=vk, kind="incoming", code="BENCH-IN", name="Bench")
    correspondent = Correspondent.objects.create(
        kind="organisation", name="Bench Ltd", search_name="bench ltd"
    )
    operator = User.objects.get(email="operator@demo.hromada.local")
    mayor = User.objects.filter(
        role_assignments__role="head", role_assignments__unit__code="MR"
    ).first()
    executors = list(
        Employment.objects.current()
        .filter(position__unit__path__startswith=vk.path)
        .values_list("user_id", "position__unit_id")
        .order_by("pk")[:400]
    )
    doc_type = ContentType.objects.get_for_model(Document).pk
    today = timezone.localdate()
    texts = [search.normalise(s) for s in SUMMARIES]
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_exec (i int, user_id bigint, unit_id bigint)")
        cur.executemany(
            "INSERT INTO bench_exec VALUES (%s, %s, %s)",
            [(i, u, unit) for i, (u, unit) in enumerate(executors)],
        )
        k = len(executors)
        started = time.monotonic()
        cur.execute(
            """
            INSERT INTO documents_document (created_at, updated_at, journal_id, direction, unit_id,
              year, seq, reg_index, reg_date, registered_by_id, state, doc_kind, correspondent_id,
              correspondent_number, received_date, channel, summary, pages, attachments_count,
              access, addressee_id, signature_kind, signature_data, executed_note, body_text,
              search_text)
            SELECT now(), now(), %(journal)s, 'incoming', %(unit)s,
              extract(year FROM %(today)s::date - (g %% 3650))::int, g,
              g::text, %(today)s::date - (g %% 3650), %(operator)s,
              CASE WHEN g %% 10 = 0 THEN 'in_execution' ELSE 'executed' END, 'лист',
              %(corr)s, '', %(today)s::date - (g %% 3650), 'post',
              (%(summaries)s::text[])[1 + g %% %(ns)s], 1, 0,
              CASE WHEN g %% 20 = 0 THEN 'personal' ELSE 'public' END, %(mayor)s, '', '', '', '',
              (%(texts)s::text[])[1 + g %% %(ns)s]
            FROM generate_series(1, %(n)s) g
            """,
            {
                "journal": journal.pk,
                "unit": vk.pk,
                "today": today,
                "operator": operator.pk,
                "corr": correspondent.pk,
                "summaries": SUMMARIES,
                "texts": texts,
                "ns": len(SUMMARIES),
                "mayor": mayor.pk if mayor else operator.pk,
                "n": n,
            },
        )
        cur.execute(
            """
            INSERT INTO control_resolution (created_at, updated_at, item_type_id, item_id,
              control_type, item_title, notice_title, unit_id, author_id, entered_by_id, text,
              resolution_date, start_date, due_date, control_state, term_kind, removal_note)
            SELECT now(), now(), %(ct)s, d.id, 'documents.document', left(d.summary, 300), '',
              d.unit_id, %(mayor)s, %(mayor)s, 'Розглянути', d.reg_date, d.reg_date,
              d.reg_date + 30,
              CASE WHEN d.seq %% 10 = 0 THEN 'on_control' ELSE 'removed' END, '', ''
            FROM documents_document d WHERE d.journal_id = %(journal)s
            """,
            {"ct": doc_type, "mayor": mayor.pk if mayor else operator.pk, "journal": journal.pk},
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
            """,
            {"today": today, "k": k},
        )
        cur.execute("VACUUM ANALYZE")  # as autovacuum would have: index-only scans work
        seconds = time.monotonic() - started
    busy = executors[0][0]
    return {
        "journal": journal.pk,
        "correspondent": correspondent.pk,
        "seconds": seconds,
        "busy_executor": busy,
        "vk": vk.pk,
    }


def _timed(fn: Any, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
    }


def _client(user: Any) -> Any:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def _pages(info: dict[str, Any], runs: int) -> dict[str, Any]:
    from hromada.accounts.models import User

    executor = User.objects.get(pk=info["busy_executor"])
    controller = User.objects.get(email="controller@demo.hromada.local")
    out: dict[str, Any] = {}
    client = _client(executor)
    assert client.get("/staff/my-work/").status_code == 200
    out["my_work"] = _timed(lambda: client.get("/staff/my-work/"), runs)
    out["my_work"]["assignments"] = executor.assignments.count()
    ctrl = _client(controller)
    assert ctrl.get("/staff/").status_code == 200
    out["dashboard_overdue_by_unit"] = _timed(lambda: ctrl.get("/staff/"), runs)
    queries = iter(QUERIES * (runs // len(QUERIES) + 1))
    out["search"] = _timed(lambda: ctrl.get("/staff/documents/", {"q": next(queries)}), runs)
    return out


def _registration(info: dict[str, Any], clerks: int, per_clerk: int) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from hromada.accounts.models import OrgUnit, RoleAssignment
    from hromada.control.factories import person
    from hromada.documents import services
    from hromada.documents.models import Correspondent, Document, Journal

    journal = Journal.objects.create(
        body_id=info["vk"], kind="incoming", code="BENCH-REG", name="Bench registration"
    )
    correspondent = Correspondent.objects.get(pk=info["correspondent"])
    zv = OrgUnit.objects.get(code="VK-ZV")
    users = []
    for i in range(clerks):
        user = person(zv, email=f"bench-clerk-{i}@example.org")
        RoleAssignment.objects.create(user=user, role="operator", unit_id=info["vk"])
        users.append(user)
    from django.test.utils import CaptureQueriesContext

    def card() -> Any:
        return services.Card(
            summary="Про ремонт покрівлі",
            correspondent=correspondent,
            received_date=timezone.localdate(),
            channel="post",
        )

    # The cost of one registration, measured alone (it numbers from 1 in its own journal).
    warm = Journal.objects.create(
        body_id=info["vk"], kind="incoming", code="BENCH-WARM", name="Bench warm-up"
    )
    services.document_register(journal=warm, actor=users[0], card=card())
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        services.document_register(journal=warm, actor=users[0], card=card())
        alone_ms = (time.perf_counter() - started) * 1000
    # One process per clerk (as gunicorn workers would be): threads would share one GIL.
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(clerks)
    failures = ctx.Value("i", 0)

    def work(user_id: int) -> None:
        from hromada.accounts.models import User

        user = User.objects.get(pk=user_id)
        barrier.wait()
        try:
            for _ in range(per_clerk):
                services.document_register(journal=journal, actor=user, card=card())
        except Exception:
            with failures.get_lock():
                failures.value += 1
        finally:
            connection.close()

    processes = [ctx.Process(target=work, args=(u.pk,)) for u in users]
    started = time.perf_counter()
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    seconds = time.perf_counter() - started
    errors = int(failures.value)
    seqs = sorted(Document.objects.filter(journal=journal).values_list("seq", flat=True))
    total = clerks * per_clerk
    from hromada.core.audit import verify_streams
    from hromada.core.models import AuditEvent

    registered = AuditEvent.objects.filter(action="documents.document.registered")
    streams = registered.order_by().values_list("stream", flat=True).distinct().count()
    chains_ok = all(r.broken is None for r in verify_streams())
    return {
        "queries_per_registration": len(queries),
        "one_registration_alone_ms": round(alone_ms, 1),
        "streams": streams,
        "audit_chains_verified": chains_ok,
        "clerks": clerks,
        "documents": total,
        "seconds": round(seconds, 2),
        "per_second": round(total / seconds, 1),
        "errors": errors,
        "gapless": seqs == list(range(1, total + 1)),
    }


def _sweep() -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from hromada.control.models import Assignment
    from hromada.control.services import reminders_sweep

    today = timezone.localdate()
    query = Assignment.objects.filter(next_reminder_on__lte=today, pk__gt=0).order_by("pk")
    with connection.cursor() as cur:
        sql, params = query.values_list("pk", flat=True)[:500].query.sql_with_params()
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cur.fetchall())
    due = query.count()
    started = time.perf_counter()
    result = reminders_sweep(today=today)
    seconds = time.perf_counter() - started
    return {
        "due": due,
        "looked_at": result.looked_at,
        "sent": result.total_sent,
        "seconds": round(seconds, 2),
        "uses_partial_index": "control_assignment_remind" in plan,
        "plan": plan,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--clerks", type=int, default=8)
    parser.add_argument("--per-clerk", type=int, default=100)
    parser.add_argument(
        "--only",
        choices=["registration"],
        help="measure only this (registration: on the generated data, without pages and sweep)",
    )
    parser.add_argument(
        "--single-audit-stream",
        action="store_true",
        help="put every audit event in one stream (the old single chain), to compare",
    )
    args = parser.parse_args()
    _setup()
    info = _generate(args.documents)
    results: dict[str, Any] = {
        "documents": args.documents,
        "assignments": args.documents * 2,
        "generated_in_s": round(info["seconds"], 1),
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg()[0],
        "single_audit_stream": args.single_audit_stream,
    }
    if args.single_audit_stream:
        # The design before audit streams, for comparison on the same machine and load.
        from hromada.core import audit

        audit.audit_stream = lambda actor_id: audit.SYSTEM_STREAM  # type: ignore[assignment]
    if args.only == "registration":
        results["registration"] = _registration(info, args.clerks, args.per_clerk)
        reg = results["registration"]
        print(
            f"registration: {reg['per_second']} documents/s with {reg['clerks']} clerks, "
            f"gapless={reg['gapless']}, errors={reg['errors']}, audit streams={reg['streams']}, "
            f"chains verified={reg['audit_chains_verified']}, "
            f"{reg['queries_per_registration']} queries and {reg['one_registration_alone_ms']} ms "
            f"for one registration alone, load before {results['load_before']:.1f} "
            f"on {results['cpus']} CPUs"
        )
        _save(results)
        return
    results["pages"] = _pages(info, args.runs)
    results["registration"] = _registration(info, args.clerks, args.per_clerk)
    results["sweep"] = _sweep()
    pages = results["pages"]
    print(
        f"\n{args.documents:,} documents, {args.documents * 2:,} assignments "
        f"(generated in {results['generated_in_s']} s)"
    )
    print(f"{'what':40} {'p50 ms':>8} {'p95 ms':>8}")
    for name in ("my_work", "dashboard_overdue_by_unit", "search"):
        print(f"{name:40} {pages[name]['p50_ms']:>8} {pages[name]['p95_ms']:>8}")
    reg = results["registration"]
    print(
        f"registration: {reg['per_second']} documents/s with {reg['clerks']} clerks, "
        f"gapless={reg['gapless']}, errors={reg['errors']}"
    )
    sweep = results["sweep"]
    print(
        f"reminder sweep: {sweep['due']} due, {sweep['sent']} sent in {sweep['seconds']} s, "
        f"partial index used={sweep['uses_partial_index']}"
    )
    _save(results)


def _save(results: dict[str, Any]) -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"documents-{stamp}.json").write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
