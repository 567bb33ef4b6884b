"""Server-rendered SVG bar charts: geometry worked out here, drawn by insights/_chart.html with SVG
presentation attributes and classes only (the CSP forbids inline styles). Every chart's numbers are also in
the table beside it. A suppressed value is drawn as a gap with a label, never as a zero bar."""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 560
HEIGHT = 220
TOP = 24
BOTTOM = 180
LEFT = 40
SLOT = 90


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str
    text: str
    text_y: int
    suppressed: bool
    negative: bool


@dataclass
class Chart:
    id: str
    title: str
    bars: list[Bar] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    zero_y: int = BOTTOM
    label_y: int = BOTTOM + 18


def bar_chart(chart_id: str, title: str, items) -> Chart:
    """`items`: (label, value or None when suppressed, text to print on the bar). Values may be negative
    (a gap), in which case the axis sits between the highest and lowest bar."""
    values = [v for _, v, _ in items if v is not None]
    high = max([0.0, *values])
    low = min([0.0, *values])
    span = (high - low) or 1.0
    plot = BOTTOM - TOP
    zero_y = TOP + round(plot * high / span)
    width = max(WIDTH, LEFT + SLOT * len(items) + 20)
    chart = Chart(chart_id, title, width=width, zero_y=zero_y)
    for index, (label, value, text) in enumerate(items):
        x = LEFT + index * SLOT
        if value is None:
            chart.bars.append(Bar(x, zero_y, 50, 0, label, text, zero_y - 6, True, False))
            continue
        size = round(plot * abs(value) / span)
        if value >= 0:
            chart.bars.append(Bar(x, zero_y - size, 50, size, label, text, zero_y - size - 4, False, False))
        else:
            chart.bars.append(Bar(x, zero_y, 50, size, label, text, zero_y + size + 12, False, True))
    return chart
