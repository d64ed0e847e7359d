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


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _nice_step(top: float) -> float:
    """Return a round tick step giving about five ticks up to `top`."""
    if top <= 0:
        return 1.0
    raw = top / 5
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def render_svg(bars: Sequence[Bar], *, title: str = "") -> str:
    """Return the chart as a small SVG drawn directly (no plotting library: fast for HTML/PDF)."""
    left, right, top_pad, row = 48, 70, 40 if title else 16, 30
    width = 640
    plot_w = width - left - right
    height = top_pad + row * max(len(bars), 1) + 54
    top = max([float(max(b.plan, b.spent)) for b in bars] or [0.0]) or 1.0
    step = _nice_step(top)
    ticks = int(top // step) + 1
    scale = plot_w / (step * ticks)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="DejaVu Sans, sans-serif" font-size="11" '
        'role="img">'
    ]
    if title:
        out.append(f"<title>{_esc(title)}</title>")
        out.append(
            f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="13">{_esc(title)}</text>'
        )
    plot_bottom = top_pad + row * len(bars)
    for i in range(ticks + 1):
        x = left + i * step * scale
        out.append(
            f'<line x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}" y2="{plot_bottom}" stroke="#dddddd"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{plot_bottom + 14}" text-anchor="middle">'
            f"{_esc(format_number(round(i * step, 2)))}</text>"
        )
    for index, bar in enumerate(bars):
        y = top_pad + index * row
        plan_w, spent_w = float(bar.plan) * scale, float(bar.spent) * scale
        out.append(
            f'<text x="{left - 6}" y="{y + row / 2 + 4:.1f}" text-anchor="end">'
            f"{_esc(bar.label)}</text>"
        )
        out.append(
            f'<rect x="{left}" y="{y + 4}" width="{spent_w:.1f}" height="11" fill="{SPENT_COLOUR}">'
            f"<title>{_esc(bar.label)}: використано {_esc(format_number(bar.spent))}</title></rect>"
        )
        out.append(
            f'<rect x="{left}" y="{y + 15}" width="{plan_w:.1f}" height="11" fill="{PLAN_COLOUR}">'
            f"<title>{_esc(bar.label)}: план {_esc(format_number(bar.plan))}</title></rect>"
        )
        if bar.spent:
            out.append(
                f'<text x="{left + spent_w + 4:.1f}" y="{y + 13}" font-size="9">'
                f"{_esc(format_number(bar.spent))}</text>"
            )
    out.append(
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{plot_bottom}" stroke="#0b0c0c"/>'
    )
    legend_y = plot_bottom + 36
    out.append(
        f'<text x="{left - 6}" y="{top_pad - 3}" text-anchor="end" font-size="9">захід</text>'
        f'<text x="{left + plot_w}" y="{legend_y}" text-anchor="end" font-size="9">тис. грн</text>'
        f'<rect x="{left}" y="{legend_y - 9}" width="12" height="10" fill="{SPENT_COLOUR}"/>'
        f'<text x="{left + 16}" y="{legend_y}">використано</text>'
        f'<rect x="{left + 120}" y="{legend_y - 9}" width="12" height="10" fill="{PLAN_COLOUR}"/>'
        f'<text x="{left + 136}" y="{legend_y}">план</text>'
    )
    out.append("</svg>")
    return "".join(out)
