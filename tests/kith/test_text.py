"""Text that XML cannot carry is found where it comes in (ihr.models.text), never at the builder.

lxml is the judge: a text `xml_text_problem` accepts can always be written into an element,
and one it refuses cannot.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from pydantic import ValidationError

from ihr.models import AddOnInput, CancelInput, OrderInput, xml_text_problem


def lxml_accepts(text: str) -> bool:
    try:
        etree.Element("a").text = text
    except ValueError:
        return False
    return True


@given(st.text(max_size=40))
def test_the_check_agrees_with_lxml(text: str) -> None:
    assert (xml_text_problem(text) is None) == lxml_accepts(text)


@pytest.mark.parametrize("char", ["\u0000", "\u0007", "\u001b", "\ufffe", "\uffff", "\u000b"])
def test_each_forbidden_character_is_named_in_norwegian(char: str) -> None:
    problem = xml_text_problem(f"Ring{char}meg")
    assert problem is not None and f"U+{ord(char):04X}" in problem and "kontrolltegn" in problem and "plass 5" in problem


def test_tab_newline_and_norwegian_letters_are_fine() -> None:
    assert xml_text_problem("Linje 1\nLinje 2\tÆØÅ æøå «» – µg") is None


def order(**kw: object) -> dict[str, object]:
    return {"patient_id": "1", "requester_hpr": "2", "office_her_id": "3", "items": [{"service_code": "X"}], **kw}


@pytest.mark.parametrize(
    ("model", "data", "path"),
    [
        (OrderInput, order(comment="Ring\u0000meg"), ("comment",)),
        (OrderInput, order(clinical_info="a\u001bb"), ("clinical_info",)),
        (OrderInput, order(answers={"legemidler": "Ibux\ufffe"}), ("answers", "legemidler")),
        (OrderInput, order(diagnosis={"code": "R05", "text": "Hoste\u0007"}), ("diagnosis", "text")),
        (AddOnInput, {"specimen_id": "1", "service_codes": ["X"], "answers": {"k": "\u0001"}}, ("answers", "k")),
        (CancelInput, {"requisition_id": "r", "reason": "Feil\u0000"}, ("reason",)),
    ],
)
def test_the_input_models_refuse_it_with_the_field_path(model: type, data: dict, path: tuple) -> None:
    with pytest.raises(ValidationError) as ei:
        model.model_validate(data)
    errors = ei.value.errors()
    assert [(e["loc"], e["type"]) for e in errors] == [(path, "xml_text")]
    assert "kontrolltegn" in errors[0]["msg"]


def test_answers_of_other_types_are_untouched() -> None:
    parsed = OrderInput.model_validate(order(answers={"a": True, "b": 14, "c": 2.5, "d": "Ja"}))
    assert parsed.answers == {"a": True, "b": 14, "c": 2.5, "d": "Ja"}
