"""The report's bar chart: spending per measure against the plan (matplotlib, no pyplot).

Rendered as PNG for DOCX and as SVG (text kept as text) for PDF; the figure is built
with the object API, so concurrent requests never share pyplot's global state.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from hromada.programs.formatting import format_number

PLAN_COLOUR = "#b1b4b6"
SPENT_COLOUR = "#1d70b8"


@dataclass(frozen=True)
class Bar:
    """One measure of the chart: its number and amounts in thousands of UAH."""

    label: str
    plan: Decimal
    spent: Decimal


def render_chart(bars: Sequence[Bar], *, fmt: str, title: str = "") -> bytes:
    """Return a horizontal bar chart (plan and spent per measure) as PNG or SVG bytes."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    count = max(len(bars), 1)
    height = min(2.0 + 0.38 * count, 40.0)
    with matplotlib.rc_context(
        {"font.family": "DejaVu Sans", "font.size": 9, "svg.fonttype": "none"}
    ):
        figure = Figure(figsize=(7.0, height), dpi=110)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot(1, 1, 1)
        positions = list(range(len(bars)))
        axes.barh(
            [p + 0.2 for p in positions],
            [float(b.plan) for b in bars],
            height=0.4,
            color=PLAN_COLOUR,
            label="план",
        )
        axes.barh(
            [p - 0.2 for p in positions],
            [float(b.spent) for b in bars],
            height=0.4,
            color=SPENT_COLOUR,
            label="використано",
        )
        axes.set_yticks(positions, [b.label for b in bars])
        axes.invert_yaxis()
        axes.set_ylabel("захід")
        axes.set_xlabel("тис. грн")
        axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_number(round(x, 2))))
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        top = max([float(max(b.plan, b.spent)) for b in bars] or [0.0])
        for p, bar in zip(positions, bars, strict=True):
            if bar.spent:
                axes.text(
                    float(bar.spent) + top * 0.01,
                    p - 0.2,
                    format_number(bar.spent),
                    va="center",
                    fontsize=7,
                )
        if title:
            axes.set_title(title, fontsize=10)
        axes.legend(loc="lower right", frameon=False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()
