"""validate(): loads the XSDs from the folder given, caches them, reports errors as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ihr.kith import SchemaNotFoundError, validate
from ihr.kith.schemas import load_schema
from tests.kith.factories import make_order
from tests.kith.test_requisition import build


def test_compiled_schema_is_cached(schema_dir: Path) -> None:
    assert load_schema("msghead", schema_dir) is load_schema("msghead", schema_dir)
    assert load_schema("apprec", schema_dir) is load_schema("apprec", Path(str(schema_dir) + "/"))


def test_not_well_formed_gives_one_message(schema_dir: Path) -> None:
    errors = validate(b"<MsgHead>", "msghead", schema_dir)
    assert len(errors) == 1 and "ikke gyldig XML" in errors[0]


def test_apprec_is_not_a_msghead(schema_dir: Path) -> None:
    xml = build(make_order(), "rq-mbk")
    assert validate(xml, "apprec", schema_dir)


def test_unknown_content_in_msghead_is_reported(schema_dir: Path) -> None:
    """RefDoc/Content is a strict wildcard: only what a loaded schema declares may be in it."""
    xml = build(make_order(), "rq-mbk").replace(b"<Message", b"<Ukjent").replace(b"</Message>", b"</Ukjent>")
    errors = validate(xml, "msghead", schema_dir)
    assert any("strict wildcard" in e for e in errors)


def test_missing_schema_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(SchemaNotFoundError):
        validate(b"<a/>", "apprec", tmp_path)


def test_unknown_schema_name_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown schema"):
        validate(b"<a/>", "henvisning", tmp_path)  # type: ignore[arg-type]


def test_doctype_in_document_is_refused_before_validation(schema_dir: Path) -> None:
    xml = b'<!DOCTYPE AppRec [<!ENTITY x "y">]><AppRec>&x;</AppRec>'
    errors = validate(xml, "apprec", schema_dir)
    assert len(errors) == 1 and "DOCTYPE" in errors[0]
