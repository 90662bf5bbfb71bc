"""ZPL II for a placed label: `to_zpl(layout, copies)`.

Every label starts with `^CI28` (UTF-8). Every field that holds user data goes through `^FH`
with `^`, `~` and `_` written as `_5E`, `_7E` and `_5F`: a raw `^` or `~` would end the field
or start a command, and `_` is the `^FH` escape character itself. Control characters are
replaced by spaces. The result is a `str`; transports encode it as UTF-8.
"""

from __future__ import annotations

from collections.abc import Iterable

from printing.layout import BarcodeElement, Layout, TextElement

_ESCAPES = {ord("^"): "_5E", ord("~"): "_7E", ord("_"): "_5F"}
_ESCAPES.update({c: " " for c in range(32)})
_ESCAPES[127] = " "


def escape_field(value: str) -> str:
    """Field data safe to put between `^FH^FD` and `^FS`."""
    return value.translate(_ESCAPES)


def _element_zpl(e: TextElement | BarcodeElement) -> str:
    if isinstance(e, TextElement):
        return f"^FO{e.x},{e.y}^A0N,{e.height},{e.width}^FH^FD{escape_field(e.text)}^FS"
    # ^BY module,ratio(ignored by 128),height; ^BC orientation,height,interpretation line,
    # above?,UCC check digit,mode A (automatic subset, digits packed in subset C).
    return (
        f"^FO{e.x},{e.y}^BY{e.module},3,{e.height}"
        f"^BCN,{e.height},Y,N,N,A^FH^FD{escape_field(e.data)}^FS"
    )


def to_zpl(layout: Layout, copies: int = 1) -> str:
    """One label format (^XA ... ^XZ) that prints `copies` labels (^PQ)."""
    if copies < 1 or copies > 99:
        raise ValueError("Antall kopier må være mellom 1 og 99")
    size = layout.size
    parts = [
        "^XA",
        "^CI28",
        f"^PW{size.width_dots}",
        f"^LL{size.height_dots}",
        "^LH0,0",
    ]
    parts.extend(_element_zpl(e) for e in layout.elements)
    parts.append(f"^PQ{copies},0,0,N")
    parts.append("^XZ")
    return "\n".join(parts) + "\n"


def job_zpl(layouts: Iterable[Layout], copies: int = 1) -> str:
    """Several labels in one print job."""
    return "".join(to_zpl(layout, copies) for layout in layouts)
