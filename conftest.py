"""Fixtures shared by every test of hromada: tests/ and src/hromada/<app>/tests alike.

pytest applies a conftest.py to the tests below its directory, so the shared fixtures
live here, at the root of the repository (tests/conftest.py only points here).

- each test gets its own data and media directories in tmp;
- passwords are hashed with MD5 (fast) unless a test sets PASSWORD_HASHERS itself;
- every database test starts with an empty cache (login rate limits live there);
- browser tests: ``page`` (Playwright, Debian's Chromium, against ``live_server``),
  ``axe_check(page)`` (no serious/critical accessibility violations) and
  ``screenshot(page, name)`` (PNG into test-artifacts/).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.fixtures import SettingsWrapper
    from pytest_django.live_server_helper import LiveServer

PROJECT_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = PROJECT_DIR / "test-artifacts"
AXE_JS = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("HROMADA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_DB_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)


@pytest.fixture(scope="session", autouse=True)
def static_root_exists() -> None:
    """Create the session's STATIC_ROOT: WhiteNoise warns about a missing one on every start."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def isolated_files(
    settings: SettingsWrapper, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Give each test its own data, media and static directories, and fast password hashing."""
    data_dir = tmp_path / "data"
    media_root = data_dir / "media"
    media_root.mkdir(parents=True)
    settings.DATA_DIR = data_dir
    settings.MEDIA_ROOT = media_root
    settings.PASSWORD_HASHERS = FAST_HASHERS
    # Static files come from the app directories (no collectstatic, no manifest) in tests.
    static_root = data_dir / "static"
    static_root.mkdir()
    settings.STATIC_ROOT = static_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Commands a test runs in a subprocess use the same directory.
    monkeypatch.setenv("HROMADA_DATA_DIR", str(data_dir))


@pytest.fixture(autouse=True)
def fresh_cache(request: pytest.FixtureRequest) -> None:
    """Start every database test with an empty cache (rate limits must not leak between tests)."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        _DB_FIXTURES.intersection(request.fixturenames)
    )
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    from django.core.cache import cache, caches

    cache.clear()
    caches["local"].clear()  # per-process memos (the /healthz probe)


# --- browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Start Debian's Chromium once per test session, through Playwright (never its own build)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install it with `apt-get install chromium`")
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls the
    # tests make between page actions are still ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """Return a fresh browser tab (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="uk-UA",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def _format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(node["target"]) for node in v["nodes"][:5]]
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} — {'; '.join(targets)}")
    return "\n".join(lines)


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (from node_modules) on the page; return the serious and critical violations."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} not found: run `npm ci` (axe-core is a devDependency)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def axe_check() -> Callable[[Page], None]:
    """Return a check that fails the test on any serious or critical axe-core violation."""

    def check(page: Page) -> None:
        violations = run_axe(page)
        if violations:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            name = re.sub(r"[^a-zA-Z0-9]+", "_", page.url)[-80:]
            (ARTIFACTS_DIR / f"axe-{name}.json").write_text(
                json.dumps(violations, ensure_ascii=False, indent=1)
            )
            pytest.fail(
                f"accessibility violations on {page.url}:\n{_format_violations(violations)}"
            )

    return check


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """Return a helper that saves a full-page PNG into test-artifacts/ and returns its path."""

    def save(page: Page, name: str) -> Path:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        path = ARTIFACTS_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
