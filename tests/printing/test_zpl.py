"""Label data, layout, ZPL and the text preview."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printing.labels import format_person_id, label_for, name_variants
from printing.layout import LabelSize, TextElement, layout_label, text_width
from printing.preview import to_text
from printing.zpl import escape_field, job_zpl, to_zpl
from tests.printing import factories as f

LONG_FAMILY = "Wergeland-Kristoffersen Haugen-Østbø"
LONG_GIVEN = "Anne-Margrethe Kristine Elisabeth"


def make(family="Nordmann", given="Kari", analyses=("CRP", "Ferritin", "TSH"), **kw):
    return label_for(
        f.specimen(**kw), f.patient(family, given), f.requester(), f.lab(), f.container(),
        list(analyses), None,
    )


def field_data(zpl: str) -> list[str]:
    return re.findall(r"\^FH\^FD(.*?)\^FS", zpl)


def test_every_label_has_ci28_and_fh_on_every_field():
    zpl = to_zpl(layout_label(make()))
    assert zpl.startswith("^XA\n^CI28\n")
    assert zpl.rstrip().endswith("^XZ")
    fds = zpl.count("^FD")
    assert fds == zpl.count("^FH^FD") and fds >= 10
    # Two labels in one job: each carries its own ^CI28.
    assert job_zpl([layout_label(make())] * 2).count("^CI28") == 2


def test_caret_tilde_underscore_are_hex_escaped():
    assert escape_field("a^b~c_d") == "a_5Eb_7Ec_5Fd"
    zpl = to_zpl(layout_label(make("Sm^th~Ha_ll", "Jo^")))
    name = field_data(zpl)[0]
    assert name == "Sm_5Eth_7EHa_5Fll, Jo_5E"
    body = zpl.replace("^XA", "").replace("^CI28", "")
    # No raw ^ ~ _ inside field data.
    for data in field_data(zpl):
        assert not re.search(r"[\^~]", data)
        assert not re.search(r"_(?![0-9A-F]{2})", data)
    assert "~" not in body


@given(st.text(min_size=1, max_size=60))
@settings(max_examples=200, deadline=None)
def test_escaped_text_decodes_back(text):
    escaped = escape_field(text)
    assert "^" not in escaped and "~" not in escaped
    decoded = re.sub(r"_([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), escaped)
    expected = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)
    assert decoded == expected


def test_copies_with_pq():
    layout = layout_label(make())
    assert "^PQ1,0,0,N" in to_zpl(layout)
    assert "^PQ3,0,0,N" in to_zpl(layout, copies=3)
    with pytest.raises(ValueError):
        to_zpl(layout, copies=0)


def test_utf8_letters_stay_utf8():
    zpl = to_zpl(layout_label(make("Ærøy-Åsen", "Émile Ünal")))
    assert "Ærøy-Åsen, Émile Ünal" in zpl
    assert zpl.encode("utf-8").decode("utf-8") == zpl


def test_fodselsnummer_in_full_as_ddmmyy_nnnnn():
    fnr = f.synthetic_fnr(1, 12, 99, 123)
    assert format_person_id(fnr) == f"{fnr[:6]} {fnr[6:]}"
    texts = layout_label(make()).texts()
    pid = f.patient().id
    assert texts["person_id"] == f"{pid[:6]} {pid[6:]}"


def test_name_rule_order():
    variants = name_variants("Nordmann", "Kari Marie Sofie")
    assert variants[:4] == [
        "Nordmann, Kari Marie Sofie",
        "Nordmann, Kari M. S.",
        "Nordmann, K. M. S.",
        "Nordmann, K.",
    ]
    assert variants[4] == "Nordman., K."
    assert variants[-1] == "Nord., K."
    assert name_variants("Berg", "Anne-Lise")[1] == "Berg, A-L."


@pytest.mark.parametrize("dpi", [203, 300])
def test_long_name_keeps_identity(dpi):
    layout = layout_label(make(LONG_FAMILY, LONG_GIVEN), LabelSize(dpi=dpi))
    name = layout.texts()["name"]
    element = layout.element("name")
    assert len(LONG_FAMILY + LONG_GIVEN) > 40
    assert name.startswith(LONG_FAMILY[:12])  # the surname's start is never dropped
    assert ", A" in name  # the first given name's initial at least
    assert text_width(name, element.height) <= element.max_width
    # Given names go (and the font shrinks) before the surname is touched:
    assert name == f"{LONG_FAMILY}, A-M."
    assert element.height < layout.size.dots(3.0)
    longer = layout_label(make(LONG_FAMILY + " Kristiansen", LONG_GIVEN), LabelSize(dpi=dpi))
    cut = longer.texts()["name"]
    assert cut.startswith(LONG_FAMILY[:30]) and cut.endswith("., A-M.")


def test_short_name_is_kept_whole():
    assert layout_label(make("Li", "Bo")).texts()["name"] == "Li, Bo"


def test_analyses_overflow_with_plus_n():
    many = ["Hemoglobin", "Leukocytter", "Trombocytter", "Ferritin", "Kreatinin", "Kalium",
            "Natrium", "Vitamin B12", "Folat", "25-OH Vit D", "ALAT", "TSH", "T4 fritt"]
    text = layout_label(make(analyses=many)).texts()["analyses"]
    match = re.search(r"\+(\d+)$", text)
    assert match, text
    shown = text[: match.start()].split()
    hidden = int(match.group(1))
    assert hidden > 0 and text.startswith("Hemoglobin Leukocytter")
    assert len(" ".join(many[:-hidden]).split()) == len(shown)
    assert layout_label(make(analyses=["CRP", "TSH"])).texts()["analyses"] == "CRP TSH"


def test_collection_time_or_blank():
    blank = layout_label(make()).texts()["collected"]
    assert blank.startswith("Tatt: ___")
    zpl = to_zpl(layout_label(make()))
    assert "Tatt: _5F_5F_5F" in zpl
    taken = replace(make(), collected_at=datetime(2026, 11, 22, 8, 15))
    assert layout_label(taken).texts()["collected"] == "Tatt: 22.11.26 08:15"
    # The specimen's own collection time is used when none is given.
    lab = label_for(f.specimen(collected_at=datetime(2026, 1, 2, 3, 4)), f.patient(), f.requester(),
                    f.lab(), f.container(), ["CRP"])
    assert lab.collected_text == "Tatt: 02.01.26 03:04"


def test_collection_time_from_the_service_prints_in_norwegian_time():
    # The service answers in UTC; the label on the tube shows the clock on the wall.
    winter = replace(make(), collected_at=datetime(2026, 11, 22, 8, 15, tzinfo=UTC))
    summer = replace(make(), collected_at=datetime(2026, 6, 22, 8, 15, tzinfo=UTC))
    assert layout_label(winter).texts()["collected"] == "Tatt: 22.11.26 09:15"
    assert layout_label(summer).texts()["collected"] == "Tatt: 22.06.26 10:15"


def test_handling_container_requester_lab_tube_number():
    texts = layout_label(replace(make(light=True, centrifuge=30), tube_number=2, tube_count=5)).texts()
    joined = " | ".join(texts.values())
    assert "Kjøl" in joined and "lysbeskyttet" in joined and "innen 30 min" in joined
    assert texts["container_cap"] == "Rør 2/5 · gul kork"  # the order's tube number, not the rank
    assert texts["container"] == "Serumrør med gel 5 ml"
    assert texts["volume"] == "Serum, min 4,5 ml"
    assert "HPR 9144889" in texts["requester_lab"] and "Til: TSH Med. biokjemi" in texts["requester_lab"]
    frozen = layout_label(make(temperature="frys", centrifuge=None)).texts()
    assert frozen["handling"] == "Frys"
    room = layout_label(make(temperature="romtemperatur", centrifuge=None)).texts()
    assert room["handling"] == "Romtemperatur"


@pytest.mark.parametrize("size", [LabelSize(dpi=203), LabelSize(dpi=300)])
def test_both_dpis_scale_from_mm(size):
    layout = layout_label(make(LONG_FAMILY, LONG_GIVEN, light=True), size)
    zpl = to_zpl(layout)
    assert f"^PW{size.width_dots}" in zpl and f"^LL{size.height_dots}" in zpl
    assert size.width_dots == (400 if size.dpi == 203 else 591)
    for e in layout.elements:
        assert 0 <= e.x < size.width_dots and 0 <= e.y < size.height_dots
        if isinstance(e, TextElement):
            assert e.x + text_width(e.text, e.width) <= size.width_dots - size.dots(0.9), e
            assert e.y + e.height <= size.height_dots
    low = layout_label(make(), LabelSize(dpi=203)).element("name")
    high = layout_label(make(), LabelSize(dpi=300)).element("name")
    assert high.height / low.height == pytest.approx(300 / 203, rel=0.08)
    assert layout.element("barcode").module == (2 if size.dpi == 203 else 3)


def test_text_preview_comes_from_the_same_layout():
    layout = layout_label(make("Ødegård", "Åse", light=True))
    preview = to_text(layout)
    for value in layout.texts().values():
        assert value in preview
    assert layout.specimen_id in preview
    lines = preview.splitlines()
    assert lines[0].startswith("┌") and lines[-1].startswith("└")
    assert len({len(line) for line in lines}) == 1


def test_bad_specimen_id_is_refused():
    with pytest.raises(ValueError):
        layout_label(replace(make(), specimen_id="12^34"))


NAME_CHARS = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzæøåéüABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅW-'^~_"))
NAME = st.text(NAME_CHARS, min_size=1, max_size=30)


@given(
    family=st.lists(NAME, min_size=1, max_size=3).map(" ".join),
    given_names=st.lists(NAME, min_size=1, max_size=4).map(" ".join),
    dpi=st.sampled_from([203, 300]),
)
@settings(max_examples=150, deadline=None)
def test_any_name_fits_and_keeps_the_surname_start(family, given_names, dpi):
    data = replace(make(), family_name=family, given_name=given_names)
    layout = layout_label(data, LabelSize(dpi=dpi))
    element = layout.element("name")
    name = element.text
    assert text_width(name, element.height) <= element.max_width
    surname = " ".join(family.split())
    keep = min(len(surname), 4)
    assert name.startswith(surname[:keep].rstrip(" -"))
    if not name.startswith(surname + ","):
        # The surname was cut: only after all given names were reduced to one initial.
        first = given_names.split()[0]
        parts = [p[0] for p in first.split("-") if p]
        initial = "-".join(parts) + "." if parts else ""
        assert name.endswith(f"., {initial}" if initial else ".")
    # And the ZPL carries it escaped.
    assert escape_field(name) in to_zpl(layout)


@pytest.mark.parametrize("width,height", [(50, 25), (40, 20), (38, 25), (60, 30), (32, 25)])
@pytest.mark.parametrize("dpi", [203, 300])
def test_the_tube_number_is_printed_whole_at_every_label_size(width, height, dpi):
    """The colour may be shortened on a narrow label; the number "10/12" never is."""
    data = replace(make(light=True, centrifuge=30), tube_number=10, tube_count=12, cap_colour="lyseblå")
    layout = layout_label(data, LabelSize(width_mm=width, height_mm=height, dpi=dpi))
    cap = layout.element("container_cap")
    assert re.match(r"(Rør )?10/12( ·|\.|$)", cap.text), cap.text
    assert text_width(cap.text, cap.width) <= cap.max_width
