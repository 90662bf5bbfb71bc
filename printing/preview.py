"""A terminal text preview of a placed label: `to_text(layout)`.

It reads the same `Layout` as `to_zpl`, so the preview shows what the printer gets: the same
fitted texts in the same places. Rows above the barcode, then the barcode (as a bar pattern
with its human-readable text) beside the column of texts placed to its right, then the rows
below it.
"""

from __future__ import annotations

from printing.layout import BarcodeElement, Element, Layout, TextElement

PREVIEW_WIDTH = 58  # characters inside the frame


def _rows(elements: list[TextElement], tolerance: int) -> list[str]:
    """Texts whose tops lie within `tolerance` dots share a line, left to right."""
    rows: list[list[TextElement]] = []
    for e in sorted(elements, key=lambda e: (e.y, e.x)):
        if rows and abs(rows[-1][0].y - e.y) <= tolerance:
            rows[-1].append(e)
        else:
            rows.append([e])
    return ["  ".join(e.text for e in sorted(row, key=lambda e: e.x)) for row in rows]


def _bars(barcode: BarcodeElement) -> list[str]:
    bars = "▌▐" * max(5, min(9, len(barcode.data)))
    return [bars, barcode.data.center(len(bars))]


def to_text(layout: Layout, width: int = PREVIEW_WIDTH) -> str:
    """The label as framed text lines, `width` characters inside the frame."""
    tolerance = layout.size.dots(1.5)
    texts = [e for e in layout.elements if isinstance(e, TextElement)]
    barcode = next((e for e in layout.elements if isinstance(e, BarcodeElement)), None)
    if barcode is None:
        lines = _rows(texts, tolerance)
    else:
        bar_bottom = barcode.y + barcode.height + layout.size.dots(3.0)
        above = [e for e in texts if e.y < barcode.y - layout.size.dots(0.5)]
        column = sorted((e for e in texts if e not in above and e.x > barcode.x and e.y < bar_bottom),
                        key=lambda e: e.y)
        below = [e for e in texts if e not in above and e not in column]
        left = _bars(barcode)
        block = []
        for i in range(max(len(left), len(column))):
            bar = left[i] if i < len(left) else ""
            text = column[i].text if i < len(column) else ""
            block.append(f"{bar:<{len(left[0])}}  {text}")
        lines = _rows(above, tolerance) + block + _rows(below, tolerance)
    out = ["┌" + "─" * width + "┐"]
    out.extend("│" + _clip(line, width).ljust(width) + "│" for line in lines)
    out.append("└" + "─" * width + "┘")
    return "\n".join(out)


def _clip(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


__all__ = ["PREVIEW_WIDTH", "to_text", "Element"]
