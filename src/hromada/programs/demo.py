"""The demo city's programme: the 2015 self-government programme of the seed report."""

from __future__ import annotations

from pathlib import Path

from hromada.accounts.models import OrgUnit
from hromada.programs.importing import load_file, programme_import
from hromada.programs.models import Programme

DEMO_FILE = Path(__file__).resolve().parent / "data" / "msv-2015.yaml"
DEMO_CODE = "msv-2015"


def load_demo_programme() -> str | None:
    """Import the 2015 programme unless it is there or the demo city is missing."""
    if Programme.objects.filter(code=DEMO_CODE).exists():
        return None
    if not OrgUnit.objects.filter(code="VK-ORG").exists():
        return None
    result = programme_import(actor=None, data=load_file(DEMO_FILE))
    counts = result.counts
    return (
        f"Demo programme «{DEMO_CODE}» loaded: {counts['measures']} measures, "
        f"{counts['activities']} activities, {counts['spending']} spending entries, "
        f"{counts['indicators']} indicators, report 2015 published."
    )
