"""`hromada backup` and `hromada restore`, run as an operator would: real commands, real databases.

On the SQLite run the databases are files in tmp; on the PostgreSQL run (DATABASE_URL set
by scripts/with-postgres.sh) they are fresh databases on the same throwaway server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Creates people, a unit and audit events, with text that must survive byte for byte.
SEED_SCRIPT = """
from hromada.accounts.factories import OrgUnitFactory, UserFactory
from hromada.core.audit import audit_record
unit = OrgUnitFactory(code="BK-01", name="Відділ резервного копіювання")
for n in range(5):
    user = UserFactory(email=f"person{n}@example.org", surname="Ґудзь-Їжак", given_name=f"Єва{n}")
    data = {"n": n, "note": "<b>тест</b>"}
    audit_record(actor=user, action="test.backup", target=user, data=data)
audit_record(actor=None, action="test.unit", target=unit, data={"why": "backup test"})
"""

# Prints what the tests compare: row counts, a few values, the audit chain's verdict.
INSPECT_SCRIPT = """
import json
from hromada.accounts.models import OrgUnit, User
from hromada.core.audit import chain_head, verify_chain
from hromada.core.models import AuditEvent
checked, broken = verify_chain()
print(json.dumps({
    "users": User.objects.count(),
    "units": OrgUnit.objects.count(),
    "events": AuditEvent.objects.count(),
    "names": sorted(User.objects.values_list("given_name", flat=True)),
    "surnames": sorted(set(User.objects.values_list("surname", flat=True))),
    "unit_name": OrgUnit.objects.get(code="BK-01").name,
    "notes": sorted(str(e.data.get("note", "")) for e in AuditEvent.objects.all()),
    "chain_checked": checked,
    "chain_broken": None if broken is None else broken.reason,
    "head": list(chain_head()),
}, ensure_ascii=False))
"""


def _on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@dataclass
class Site:
    """One hromada installation: a database and a media directory."""

    database_url: str
    media_root: Path
    data_dir: Path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(self.media_root),
            "HROMADA_DATA_DIR": str(self.data_dir),
            "LOG_FORMAT": "console",
            "LOG_LEVEL": "WARNING",
        }
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "hromada", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if check and result.returncode != 0:
            pytest.fail(f"hromada {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def inspect(self) -> dict[str, Any]:
        out = self.run("shell", "-c", INSPECT_SCRIPT).stdout
        data: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        return data


class Databases:
    """Make fresh, empty databases of the engine under test; drop them afterwards."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.created: list[str] = []

    def new(self, label: str) -> str:
        name = f"hromada_{label}_{uuid.uuid4().hex[:8]}"
        if not _on_postgresql():
            return f"sqlite:///{self.root / (name + '.sqlite3')}"
        import psycopg

        server = os.environ["DATABASE_URL"]
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return server.rsplit("/", 1)[0] + "/" + name

    def drop_all(self) -> None:
        if not self.created:
            return
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            for name in self.created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("databases"))
    yield dbs
    dbs.drop_all()


def _site(databases: Databases, root: Path, label: str) -> Site:
    media = root / label / "media"
    media.mkdir(parents=True)
    return Site(databases.new(label), media, root / label)


@pytest.fixture(scope="module")
def source(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A migrated site with people, a unit, audit events and two uploaded files."""
    site = _site(databases, tmp_path_factory.mktemp("source"), "source")
    site.run("migrate", "--noinput", "-v0")
    site.run("shell", "-c", SEED_SCRIPT)
    (site.media_root / "appeals" / "2025").mkdir(parents=True)
    (site.media_root / "appeals" / "2025" / "скарга.pdf").write_bytes(b"%PDF-1.4 test\n")
    (site.media_root / "avatar.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return site


@pytest.fixture(scope="module")
def archive(source: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("backups") / "hromada.tar.gz"
    source.run("backup", "-o", str(path))
    return path


def test_backup_is_one_archive_with_manifest_database_and_media(archive: Path) -> None:
    with tarfile.open(archive, "r:gz") as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    engine = "postgresql" if _on_postgresql() else "sqlite"
    db_file = "database.dump" if engine == "postgresql" else "database.sqlite3"
    assert {"manifest.json", db_file, "media/avatar.png", "media/appeals/2025/скарга.pdf"} <= names
    assert manifest["database"] == {"engine": engine, "file": db_file}
    assert manifest["counts"]["accounts.user"] == 5
    assert manifest["counts"]["core.auditevent"] == 6
    assert manifest["media_files"] == 2
    assert manifest["created_at"]


def test_backup_archive_is_readable_by_its_owner_only(archive: Path) -> None:
    assert archive.stat().st_mode & 0o077 == 0


def test_restore_into_an_empty_database_brings_back_the_same_data(
    source: Site, archive: Path, databases: Databases, tmp_path: Path
) -> None:
    target = _site(databases, tmp_path, "restored")

    target.run("restore", str(archive))

    before, after = source.inspect(), target.inspect()
    assert after == before
    assert after["users"] == 5
    assert after["surnames"] == ["Ґудзь-Їжак"]
    assert "<b>тест</b>" in after["notes"]
    assert after["chain_checked"] == 6
    assert after["chain_broken"] is None
    assert (target.media_root / "appeals" / "2025" / "скарга.pdf").read_bytes() == (
        source.media_root / "appeals" / "2025" / "скарга.pdf"
    ).read_bytes()
    assert (target.media_root / "avatar.png").read_bytes() == (
        source.media_root / "avatar.png"
    ).read_bytes()


def test_restored_database_needs_no_migrations(
    archive: Path, databases: Databases, tmp_path: Path
) -> None:
    target = _site(databases, tmp_path, "restored")
    target.run("restore", str(archive))

    assert target.run("migrate", "--check", check=False).returncode == 0


def test_restore_refuses_a_database_that_is_not_empty(source: Site, archive: Path) -> None:
    result = source.run("restore", str(archive), check=False)

    assert result.returncode != 0
    assert "not empty" in result.stderr
    assert source.inspect()["users"] == 5


def test_restore_with_force_replaces_a_database_that_holds_data(
    archive: Path, databases: Databases, tmp_path: Path
) -> None:
    target = _site(databases, tmp_path, "forced")
    target.run("migrate", "--noinput", "-v0")
    target.run("shell", "-c", "from hromada.accounts.factories import UserFactory; UserFactory()")

    target.run("restore", "--force", str(archive))

    restored = target.inspect()
    assert restored["users"] == 5
    assert restored["chain_broken"] is None


def test_restore_rejects_a_file_that_is_not_a_backup(databases: Databases, tmp_path: Path) -> None:
    target = _site(databases, tmp_path, "empty")
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tar file")

    result = target.run("restore", str(bogus), check=False)

    assert result.returncode != 0
    assert "not a hromada backup" in result.stderr
