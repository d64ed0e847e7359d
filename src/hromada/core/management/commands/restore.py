"""`hromada restore FILE`: put a `hromada backup` archive back into an empty database."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from hromada.core.management.commands.backup import (
    FORMAT,
    MANIFEST,
    MEDIA_DIR,
    count_rows_orm,
    engine_name,
    media_files,
    pg_env,
    pg_tool,
)

# Tables a freshly migrated database already fills: a database with rows only here is "empty".
BOOKKEEPING_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})


def database_is_empty() -> bool:
    """Return True if the database has no tables, or rows only in Django's bookkeeping tables."""
    tables = connection.introspection.table_names()
    cache_tables = {
        str(c.get("LOCATION", ""))
        for c in settings.CACHES.values()
        if str(c.get("BACKEND", "")).endswith("DatabaseCache")
    }
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            if table in BOOKKEEPING_TABLES or table in cache_tables:
                continue
            cursor.execute(f"SELECT 1 FROM {qn(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone() is not None:
                return False
    return True


def safe_member_path(name: str) -> PurePosixPath:
    """Return a member's relative path, refusing absolute paths and '..' (path traversal)."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise CommandError(f"Refusing a suspicious path in the archive: {name!r}")
    return path


def extract(archive: Path, into: Path) -> dict[str, Any]:
    """Extract regular files and directories only (no links, devices or escaping paths)."""
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the `with` below
    except (OSError, tarfile.TarError) as exc:
        raise CommandError(f"{archive} is not a hromada backup: {exc}") from exc
    with tar:
        try:
            members = tar.getmembers()
        except (OSError, tarfile.TarError) as exc:
            raise CommandError(f"{archive} is not a hromada backup: {exc}") from exc
        for member in members:
            rel = safe_member_path(member.name)
            target = into.joinpath(*rel.parts)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                if source is None:
                    continue
                with source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
            else:
                raise CommandError(f"Refusing a non-regular file in the archive: {member.name!r}")
    manifest_path = into / MANIFEST
    if not manifest_path.is_file():
        raise CommandError(f"{archive} is not a hromada backup: no {MANIFEST}.")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise CommandError(f"Unsupported backup format {manifest.get('format')!r}.")
    return manifest


def restore_sqlite(db_file: Path) -> None:
    """Replace the whole SQLite database with the backed-up one (page by page, online)."""
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def restore_postgresql(dump_file: Path, *, wipe: bool) -> None:
    """Load a pg_dump custom-format file into the database (after wiping it, if asked)."""
    if wipe:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connection.close()
    result = subprocess.run(  # noqa: S603
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={pg_env().get('PGDATABASE', '')}",
            str(dump_file),
        ],
        env=pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise CommandError(f"pg_restore failed: {result.stderr.strip()}")


def restore_media(source: Path, media_root: Path) -> int:
    """Copy the archive's media files under MEDIA_ROOT; return how many."""
    count = 0
    if not source.is_dir():
        return 0
    for path in media_files(source):
        target = media_root / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        count += 1
    return count


class Command(BaseCommand):
    help = "Restore a `hromada backup` archive into an empty database and the media directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The .tar.gz written by `hromada backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds data (everything in it is lost).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file.")
        engine = engine_name()
        empty = database_is_empty()
        if not empty and not options["force"]:
            raise CommandError(
                "The database is not empty; restore into an empty database, "
                "or add --force to replace everything in it."
            )
        media_root = Path(settings.MEDIA_ROOT)
        with tempfile.TemporaryDirectory(prefix="hromada-restore-") as tmp:
            tmpdir = Path(tmp)
            manifest = extract(archive, tmpdir)
            backup_engine = manifest["database"]["engine"]
            if backup_engine != engine:
                raise CommandError(
                    f"This backup is of a {backup_engine} database; the configured database "
                    f"is {engine}. Restore it into a {backup_engine} database."
                )
            db_file = tmpdir / safe_member_path(manifest["database"]["file"])
            if engine == "sqlite":
                restore_sqlite(db_file)
            else:
                restore_postgresql(db_file, wipe=not empty)
            media = restore_media(tmpdir / MEDIA_DIR, media_root)

        counts = count_rows_orm()
        expected = manifest["counts"]
        differing = sorted(k for k, v in expected.items() if counts.get(k) != v)
        if differing:
            raise CommandError(f"Restored row counts differ from the manifest: {differing}")
        self.stdout.write(
            f"Restored the {engine} database of {manifest['created_at']} "
            f"({sum(expected.values())} rows) and {media} media files."
        )
