"""Place a label's fields for a label size and resolution: `layout_label(data, size)`.

Everything is designed in millimetres and scaled to dots for the printer's resolution
(8 dots/mm at 203 dpi, 12 dots/mm at 300 dpi), so one design serves both. The result, a
`Layout`, is a list of placed elements; `printing.zpl.to_zpl` and `printing.preview.to_text`
both read it, so the ZPL and the terminal preview cannot disagree.

Design for 50 x 25 mm (y from the top, in mm):

    0.8  Patient name (surname first, shortened by labels.name_variants)        3.0 high
    4.2  Fødselsnummer "DDMMYY NNNNN"               | Tatt: ____________         2.6 high
    7.4  Code 128 barcode of the specimen id        | tube number, cap colour    1.8 each
         (human-readable text below it)             | container name
                                                    | material, min volume
                                                    | handling (1-2 lines)
   18.4  Analyses on this tube ("CRP Ferritin +2")                               2.3 high
   21.5  Rekv: requester (HPR)  Til: receiving lab                                1.9 high
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import repeat
from typing import Literal

from printing.labels import (
    LabelData,
    analyses_text,
    cut_name_variants,
    join_handling,
    whole_name_variants,
)

MM_PER_INCH = 25.4

# Font 0 (^A0N, CG Triumvirate Bold Condensed) glyph widths as a share of the font width,
# measured on a rendered sample and rounded up so estimates err on the wide side.
_NARROW = set("iljI.,:;'|!ft()[]1 ")
_WIDE = set("MWmwÆæŒœ@%")
_DIGITS = set("023456789")


def _share(ch: str) -> float:
    if ch == " ":
        return 0.28
    if ch in _NARROW:
        return 0.32
    if ch in _WIDE:
        return 0.82
    if ch in _DIGITS:
        return 0.53
    if ch.isupper():
        return 0.64
    if ch.islower():
        return 0.51
    return 0.6


# Latin letters and the punctuation a label uses, looked up at C speed by text_width.
_SHARES = {chr(c): _share(chr(c)) for c in range(32, 0x250)}
_SHARES.update({c: _share(c) for c in "·–—…"})
_UNKNOWN_SHARE = 0.82  # anything else: assume wide


def char_width(ch: str, font_width: int) -> float:
    return _SHARES.get(ch, _UNKNOWN_SHARE) * font_width


def text_width(text: str, font_width: int) -> float:
    """Estimated width in dots of `text` in font 0 at this font width."""
    return sum(map(_SHARES.get, text, repeat(_UNKNOWN_SHARE))) * font_width


@dataclass(frozen=True, slots=True)
class LabelSize:
    width_mm: float = 50.0
    height_mm: float = 25.0
    dpi: int = 203
    dots_per_mm: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.dpi <= 0 or self.width_mm <= 0 or self.height_mm <= 0:
            raise ValueError("Ugyldig etikettstørrelse")
        object.__setattr__(self, "dots_per_mm", self.dpi / MM_PER_INCH)

    def dots(self, mm: float) -> int:
        return round(mm * self.dots_per_mm)

    @property
    def width_dots(self) -> int:
        return self.dots(self.width_mm)

    @property
    def height_dots(self) -> int:
        return self.dots(self.height_mm)


@dataclass(frozen=True, slots=True)
class TextElement:
    """One line of text in font 0. Positions and sizes in dots; `text` is already fitted."""

    role: str
    x: int
    y: int
    height: int
    width: int  # font width (^A0N,height,width)
    max_width: int  # room available, in dots
    text: str
    kind: Literal["text"] = "text"


@dataclass(frozen=True, slots=True)
class BarcodeElement:
    """A Code 128 barcode with its human-readable line below it."""

    role: str
    x: int
    y: int
    height: int  # bar height in dots, without the human-readable line
    module: int  # narrow bar width in dots (^BY)
    data: str
    kind: Literal["barcode"] = "barcode"


Element = TextElement | BarcodeElement


@dataclass(frozen=True, slots=True)
class Layout:
    """A placed label: the one source for ZPL and the text preview."""

    size: LabelSize
    specimen_id: str
    elements: tuple[Element, ...] = field(default_factory=tuple)

    def element(self, role: str) -> Element:
        for e in self.elements:
            if e.role == role:
                return e
        raise KeyError(role)

    def texts(self) -> dict[str, str]:
        return {e.role: e.text for e in self.elements if isinstance(e, TextElement)}


def code128_modules(data: str) -> int:
    """Width of a Code 128 symbol in modules, as a printer in automatic mode encodes it.

    Digits pack two to a symbol character (subset C); other text takes one each (subset B).
    A rough upper bound for mixed text; exact for all-digit ids.
    """
    if data.isdigit():
        chars = len(data) // 2 + (2 if len(data) % 2 else 0)
    else:
        chars = len(data) + 2
    return 11 * (chars + 2) + 13  # start + data + check, then the 13-module stop


def check_barcode_data(data: str) -> str:
    """Specimen ids go into a barcode: printable ASCII only, no ZPL control characters."""
    if not data or not all(32 < ord(c) < 127 for c in data) or any(c in "^~_>" for c in data):
        raise ValueError("Prøve-ID-en kan ikke skrives som strekkode")
    return data


def fit(text: str, font_width: int, max_width: int) -> str:
    """Cut `text` at the end (with '.') so that it fits; used for non-identity fields."""
    if text_width(text, font_width) <= max_width:
        return text
    room = max_width - char_width(".", font_width)
    width = 0.0
    keep = 0
    for ch in text:
        width += char_width(ch, font_width)
        if width > room:
            break
        keep += 1
    while keep > 0:
        candidate = text[:keep].rstrip(" ,-·")
        if candidate:
            return candidate + "."
        keep -= 1
    return ""


def _fits(text: str, font_width: int, max_width: int) -> bool:
    return text_width(text, font_width) <= max_width


def _requester_variants(name: str) -> list[str]:
    """'Lege Kari Marie Nordmann' -> the same, then 'K. M. Nordmann', then 'Nordmann'."""
    words = name.split()
    if words and words[0].lower().rstrip(".") in {"lege", "dr", "overlege", "turnuslege", "lis"}:
        words = words[1:]
    if not words:
        return [name]
    out = [" ".join(words)]
    if len(words) > 1:
        out.append(" ".join([w[0] + "." for w in words[:-1]] + [words[-1]]))
        out.append(words[-1])
    return out


def _column_lines(data: LabelData) -> list[tuple[str, list[str]]]:
    """The texts beside the barcode, each with shorter forms that keep the meaning."""
    ml = data.volume_text.rsplit(", min ", 1)[-1]
    lines = [
        # the tube number leads, so a narrow label cuts the colour, never the number
        ("container_cap", [f"{data.tube_text} · {data.cap_colour} kork",
                           f"{data.tube_text} · {data.cap_colour}",
                           f"{data.tube_number}/{data.tube_count} · {data.cap_colour}"]),
        ("container", [data.container_name]),
        ("volume", [data.volume_text, f"{data.material} {ml}"]),
    ]
    temperature = [h for h in data.handling if not h.startswith("sentrifuger")]
    centrifuge = [h for h in data.handling if h.startswith("sentrifuger")]
    one_line = join_handling(data.handling)
    if not centrifuge:
        lines.append(("handling", [one_line]))
        return lines
    minutes = centrifuge[0].removeprefix("sentrifuger innen ")
    lines.append(("handling", [join_handling(temperature)]))
    lines.append(("handling_2", [f"Sentrifuger innen {minutes}", f"Sentrif. innen {minutes}",
                                 f"Sentrif. {minutes}"]))
    return lines


def layout_label(data: LabelData, size: LabelSize | None = None) -> Layout:
    """Place every field of `data` for `size` (default 50 x 25 mm at 203 dpi)."""
    size = size or LabelSize()
    d = size.dots
    scale_y = size.height_mm / 25.0  # the design is for 25 mm height; taller labels scale
    margin = d(1.0)
    right = size.width_dots - margin
    elements: list[Element] = []

    def text(role: str, x_mm_dots: int, y_mm: float, h_mm: float, value: str, max_w: int) -> None:
        h = d(h_mm * scale_y)
        elements.append(
            TextElement(role=role, x=x_mm_dots, y=d(y_mm * scale_y), height=h, width=h,
                        max_width=max_w, text=value)
        )

    # 1. Name: first variant that fits the full width.
    # A very long surname is set in a smaller font before it is cut.
    full = right - margin
    whole = whole_name_variants(data.family_name, data.given_name)
    candidates = [(v, 3.0) for v in whole] + [(whole[-1], 2.6), (whole[-1], 2.3)]
    found = next(((v, mm) for v, mm in candidates if _fits(v, d(mm * scale_y), full)), None)
    if found is None:
        last = whole[-1]
        for last in cut_name_variants(data.family_name, data.given_name):
            if _fits(last, d(2.3 * scale_y), full):
                break
        found = (last, 2.3)
    name, name_mm = found
    text("name", margin, 0.8 + (3.0 - name_mm) / 2, name_mm, name, full)

    # 2. Fødselsnummer, and the collection time or a blank to write in.
    pid_h = d(2.6 * scale_y)
    pid_text = data.person_id_text
    text("person_id", margin, 4.2, 2.6, pid_text, full)
    taken_x = margin + round(text_width(pid_text, pid_h)) + d(2.0)
    taken_h = d(2.4 * scale_y)
    taken = data.collected_text
    if not _fits(taken, taken_h, right - taken_x) and data.collected_at is None:
        taken = "Tatt: ____"
    text("collected", taken_x, 4.3, 2.4, fit(taken, taken_h, right - taken_x), right - taken_x)

    # 3. Barcode on the left (quiet zone of at least 6 modules on the left, 10 on the
    # right); its width decides where the column of container texts starts.
    module = max(2, d(0.25))
    barcode_data = check_barcode_data(data.specimen_id)
    bar_x = max(margin, d(1.5))
    elements.append(
        BarcodeElement(role="barcode", x=bar_x, y=d(7.4 * scale_y), height=d(6.2 * scale_y),
                       module=module, data=barcode_data)
    )
    col_x = bar_x + (code128_modules(barcode_data) + 10) * module
    col_w = right - col_x
    column = _column_lines(data)
    # One font for the column: the largest at which every line has a form that fits;
    # only at the smallest are texts cut.
    for col_mm in (1.8, 1.6, 1.5):
        small = d(col_mm * scale_y)
        chosen = [(role, next((v for v in forms if _fits(v, small, col_w)), None))
                  for role, forms in column]
        if all(v is not None for _, v in chosen):
            break
    else:
        chosen = [(role, fit(forms[-1], small, col_w)) for role, forms in column]
    pitch = 2.1 if col_mm == 1.8 else 1.9
    y = 7.4
    for role, value in chosen:
        text(role, col_x, y, col_mm, value or "", col_w)  # never None after the loop above
        y += pitch

    # 4. Analyses with "+N" for those that do not fit.
    an_h = d(2.3 * scale_y)
    an = analyses_text(data.analyses, lambda t: _fits(t, an_h, full))
    text("analyses", margin, 18.4, 2.3, an, full)

    # 5. Requester and receiving lab on the bottom line; the lab name is kept whole before
    # the requester's given names.
    bottom_h = d(1.9 * scale_y)
    lab = f"Til: {data.lab_short_name}"
    bottom = None
    for who in _requester_variants(data.requester_name):
        candidate = f"Rekv: {who} (HPR {data.requester_hpr})  {lab}"
        if _fits(candidate, bottom_h, full):
            bottom = candidate
            break
    if bottom is None:
        req = f"Rekv: {_requester_variants(data.requester_name)[-1]} (HPR {data.requester_hpr})"
        room = full - round(text_width(req + "  ", bottom_h))
        bottom = fit(f"{req}  {fit(lab, bottom_h, room)}".rstrip(), bottom_h, full)
    text("requester_lab", margin, 21.5, 1.9, bottom, full)

    return Layout(size=size, specimen_id=data.specimen_id, elements=tuple(elements))
