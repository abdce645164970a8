"""Charts as inline SVG drawn on the server: no chart library to ship, nothing for a screen reader to
miss (each chart has a title and a description, and the page shows the same numbers in a table)."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR = 22
LABEL_WIDTH = 170
VALUE_WIDTH = 48


def bar_chart(rows: list[tuple[str, float]], *, title: str, width: int = 560, unit: str = "") -> Markup:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    if not rows:
        return Markup("")
    top = max(value for _, value in rows) or 1.0
    span = width - LABEL_WIDTH - VALUE_WIDTH
    height = BAR * len(rows) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f"<desc>{escape('; '.join(f'{label}: {value:g}{unit}' for label, value in rows))}</desc>"
    ]
    for k, (label, value) in enumerate(rows):
        y = 4 + k * BAR
        length = max(1.0, span * value / top) if value else 0.0
        text_y, bar_end = y + 15, LABEL_WIDTH + length + 4
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end" class="label">'
            f"{escape(label[:28])}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{BAR - 6}" rx="3" '
            'class="bar"/>'
            f'<text x="{bar_end:.1f}" y="{text_y}" class="value">{value:g}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
