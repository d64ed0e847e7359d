"""`hromada backup`: one .tar.gz with the database, the uploaded files and a manifest.

The archive holds:

- ``manifest.json``: format, hromada version, database engine, time, row counts per model,
  number of media files;
- ``database.sqlite3`` (SQLite, taken with SQLite's online backup API while the site runs)
  or ``database.dump`` (PostgreSQL, ``pg_dump --format=custom`` of one snapshot);
- ``media/``: every file under MEDIA_ROOT.

`hromada restore FILE` puts it back into an empty database.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_DIR = "media"


def engine_name() -> str:
    """Return 'sqlite' or 'postgresql' for the default database (the two hromada supports)."""
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def pg_tool(name: str) -> str:
    """Return the path of a PostgreSQL client tool (pg_dump, pg_restore).

    PG_BIN first, then the newest /usr/lib/postgresql/<version>/bin, then PATH:
    pg_dump must be at least as new as the server.
    """
    candidates: list[Path] = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]) / name)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates += [v / name for v in versions]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise CommandError(f"{name} not found: install the PostgreSQL client (postgresql-client-15).")


def pg_env() -> dict[str, str]:
    """Return the environment that points libpq tools at the default database."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def data_models() -> list[Any]:
    """Return every concrete model stored in the database, in a stable order."""
    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]
    return sorted(models, key=lambda m: m._meta.label_lower)


def count_rows_sqlite(path: Path) -> dict[str, int]:
    """Return row counts per model, read from a SQLite database file."""
    counts: dict[str, int] = {}
    con = sqlite3.connect(path)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for model in data_models():
            table = model._meta.db_table
            if table in tables:
                row = con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()  # noqa: S608
                counts[model._meta.label_lower] = int(row[0])
    finally:
        con.close()
    return counts


def count_rows_orm() -> dict[str, int]:
    """Return row counts per model through the current connection (and its snapshot)."""
    tables = set(connection.introspection.table_names())
    return {
        m._meta.label_lower: m._base_manager.count()
        for m in data_models()
        if m._meta.db_table in tables
    }


def media_files(root: Path) -> Iterator[Path]:
    """Yield every regular file under root (sorted, symlinks skipped)."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def hromada_version() -> str:
    try:
        return metadata.version("hromada")
    except metadata.PackageNotFoundError:
        return "unknown"


def dump_sqlite(target: Path) -> dict[str, int]:
    """Copy the live SQLite database into target (online backup API); return row counts."""
    connection.ensure_connection()
    source = connection.connection
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
    return count_rows_sqlite(target)


def dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump one snapshot into target (custom format); return row counts of that snapshot."""
    pg_dump = pg_tool("pg_dump")
    # The counts and the dump must describe the same moment: export this transaction's
    # snapshot and hand it to pg_dump.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        result = subprocess.run(  # noqa: S603
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=pg_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        return count_rows_orm()


def default_output() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"hromada-{stamp}.tar.gz"


@contextmanager
def private_umask() -> Iterator[None]:
    """Create files readable by their owner only: a backup holds personal data."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def write_backup(output: Path) -> dict[str, Any]:
    """Write the archive to output (atomically: a partial file never has the final name)."""
    engine = engine_name()
    media_root = Path(settings.MEDIA_ROOT)
    output.parent.mkdir(parents=True, exist_ok=True)
    with private_umask(), tempfile.TemporaryDirectory(prefix="hromada-backup-") as tmp:
        tmpdir = Path(tmp)
        if engine == "sqlite":
            db_file = SQLITE_FILE
            counts = dump_sqlite(tmpdir / SQLITE_FILE)
        else:
            db_file = PG_FILE
            counts = dump_postgresql(tmpdir / PG_FILE)
        files = list(media_files(media_root))
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "hromada_version": hromada_version(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"engine": engine, "file": db_file},
            "counts": counts,
            "media_files": len(files),
            "media_bytes": sum(f.stat().st_size for f in files),
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(tmpdir / db_file, arcname=db_file)
            for path in files:
                tar.add(path, arcname=f"{MEDIA_DIR}/{path.relative_to(media_root).as_posix()}")
        partial.replace(output)
    return manifest


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one .tar.gz "
        "(SQLite: online backup; PostgreSQL: pg_dump)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            default=None,
            help="Archive to write (default: DATA_DIR/backups/hromada-<UTC time>.tar.gz).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = (options["output"] or default_output()).resolve()
        manifest = write_backup(output)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Backup written to {output}: {manifest['database']['engine']} database, "
            f"{rows} rows in {len(manifest['counts'])} tables, "
            f"{manifest['media_files']} media files."
        )
