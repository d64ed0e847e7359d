"""requirements.lock (what `make` installs) agrees with the ranges in pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for raw in (ROOT / "requirements.lock").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _, version = line.partition("==")
        assert version, f"requirements.lock pins exact versions only: {line!r}"
        pins[canonicalize_name(name)] = version
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        declared += extra
    return [Requirement(r) for r in declared]


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    pins = _locked()
    problems = [
        f"{req} (locked: {pins.get(canonicalize_name(req.name), 'missing')})"
        for req in _declared()
        if canonicalize_name(req.name) not in pins
        or not req.specifier.contains(pins[canonicalize_name(req.name)], prereleases=True)
    ]
    assert not problems, "regenerate requirements.lock (see README): " + "; ".join(problems)


def test_the_lock_does_not_pin_hromada_itself() -> None:
    assert "hromada" not in _locked()
