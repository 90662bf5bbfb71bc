"""Schema validation against the public KITH XSDs, loaded from a folder the caller names.

The XSDs are public standard files that the project does not ship: the caller passes the
folder that holds MsgHead-v1_2.xsd (with xmldsig-core-schema.xsd beside it) and
AppRec-v1.0.xsd.

MsgHead's RefDoc/Content is a *strict* wildcard: every element in it must be declared by a
loaded schema. The official Rekvisisjon XSD is not public here, so for "msghead" a small
stand-in schema declares `ServReq` in the Rekvisisjon namespace with open (lax) content. The
envelope is validated in full; the requisition inside is only checked to be a ServReq.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from lxml import etree

from ihr.kith.namespaces import NS_MSGHEAD, NS_REKVISISJON
from ihr.kith.xmlsafe import KithParseError, parse_untrusted

SchemaName = Literal["msghead", "apprec"]

SCHEMA_FILES: dict[str, str] = {
    "msghead": "MsgHead-v1_2.xsd",
    "apprec": "AppRec-v1.0.xsd",
}

# Stand-in for the Rekvisisjon v1.6 schema: imports MsgHead, declares ServReq as open content.
_MSGHEAD_WITH_SERVREQ = f"""<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="{NS_REKVISISJON}"
        elementFormDefault="qualified">
  <import namespace="{NS_MSGHEAD}" schemaLocation="{{msghead}}"/>
  <element name="ServReq">
    <complexType>
      <sequence>
        <any processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
      </sequence>
      <anyAttribute processContents="lax"/>
    </complexType>
  </element>
</schema>
"""


class SchemaNotFoundError(FileNotFoundError):
    """The folder given does not hold the XSD asked for."""


def schema_path(schema: SchemaName, schema_dir: Path) -> Path:
    try:
        name = SCHEMA_FILES[schema]
    except KeyError:
        raise ValueError(f"unknown schema {schema!r}; expected one of {sorted(SCHEMA_FILES)}") from None
    path = Path(schema_dir) / name
    if not path.is_file():
        raise SchemaNotFoundError(f"{name} not found in {schema_dir}")
    return path


@lru_cache(maxsize=8)
def _compiled(schema: str, schema_dir: str) -> etree.XMLSchema:
    path = schema_path(schema, Path(schema_dir))  # type: ignore[arg-type]
    # The XSDs are trusted local files; xmldsig-core-schema.xsd uses internal entities.
    parser = etree.XMLParser(no_network=True, load_dtd=False)
    if schema == "msghead":
        text = _MSGHEAD_WITH_SERVREQ.format(msghead=path.resolve().as_uri())
        stand_in = Path(schema_dir).resolve() / "ihr-rekvisisjon-stand-in.xsd"  # never written
        doc = etree.fromstring(text.encode("utf-8"), parser=parser, base_url=stand_in.as_uri())
        return etree.XMLSchema(doc)
    return etree.XMLSchema(etree.parse(str(path), parser=parser))


def load_schema(schema: SchemaName, schema_dir: Path) -> etree.XMLSchema:
    """The compiled schema (cached per schema and folder)."""
    return _compiled(schema, str(Path(schema_dir).resolve()))


def validate(xml: bytes, schema: SchemaName, schema_dir: Path) -> list[str]:
    """Validate a document; return the error messages ("line N: ..."), empty when valid.

    A document that is not well-formed gives one message. Raises SchemaNotFoundError when
    the XSD is not in `schema_dir`.
    """
    xsd = load_schema(schema, schema_dir)
    try:
        root = parse_untrusted(xml, what="Dokumentet")
    except KithParseError as exc:
        return [str(exc)]
    if xsd.validate(root.getroottree()):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]  # type: ignore[attr-defined]
