"""Schema validation against the public KITH XSDs, loaded from a folder the caller names.

The XSDs are public standard files that the project does not ship: the caller passes the
folder that holds them (../shared/standards/kith in this workspace): MsgHead-v1_2.xsd with
xmldsig-core-schema.xsd, Rekvisisjon-v1.6.xsd with kith.xsd, and AppRec-v1.0.xsd.

MsgHead's RefDoc/Content is a *strict* wildcard: every element in it must be declared by a
loaded schema. So "msghead" loads MsgHead and Rekvisisjon v1.6 together (a small schema that
imports both), and the requisition inside the envelope is validated in full. "rekvisisjon"
validates a bare Rekvisisjon `Message`, as the official example files are.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from lxml import etree

from ihr.kith.namespaces import NS_MSGHEAD, NS_REKVISISJON
from ihr.kith.xmlsafe import KithParseError, parse_untrusted

SchemaName = Literal["msghead", "apprec", "rekvisisjon"]

SCHEMA_FILES: dict[str, tuple[str, ...]] = {
    "msghead": ("MsgHead-v1_2.xsd", "Rekvisisjon-v1.6.xsd"),
    "apprec": ("AppRec-v1.0.xsd",),
    "rekvisisjon": ("Rekvisisjon-v1.6.xsd",),
}
_NAMESPACES = {"MsgHead-v1_2.xsd": NS_MSGHEAD, "Rekvisisjon-v1.6.xsd": NS_REKVISISJON}

# Loads several schemas of different namespaces as one (never written to disk).
_BUNDLE = """<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:ihr:kith-bundle">
{imports}
</schema>
"""


class SchemaNotFoundError(FileNotFoundError):
    """The folder given does not hold the XSD asked for."""


def schema_paths(schema: SchemaName, schema_dir: Path) -> list[Path]:
    try:
        names = SCHEMA_FILES[schema]
    except KeyError:
        raise ValueError(f"unknown schema {schema!r}; expected one of {sorted(SCHEMA_FILES)}") from None
    paths = [Path(schema_dir) / name for name in names]
    for path in paths:
        if not path.is_file():
            raise SchemaNotFoundError(f"{path.name} not found in {schema_dir}")
    return paths


def schemas_available(schema_dir: Path | None) -> bool:
    """Whether the folder holds every XSD this module loads."""
    if schema_dir is None:
        return False
    names = {name for names in SCHEMA_FILES.values() for name in names}
    names |= {"kith.xsd", "xmldsig-core-schema.xsd"}
    return all((Path(schema_dir) / name).is_file() for name in names)


@lru_cache(maxsize=8)
def _compiled(schema: str, schema_dir: str) -> etree.XMLSchema:
    paths = schema_paths(schema, Path(schema_dir))  # type: ignore[arg-type]
    # The XSDs are trusted local files; xmldsig-core-schema.xsd uses internal entities.
    parser = etree.XMLParser(no_network=True, load_dtd=False)
    if len(paths) == 1:
        return etree.XMLSchema(etree.parse(str(paths[0]), parser=parser))
    imports = "\n".join(
        f'  <import namespace="{_NAMESPACES[p.name]}" schemaLocation="{p.resolve().as_uri()}"/>' for p in paths
    )
    bundle = Path(schema_dir).resolve() / "ihr-kith-bundle.xsd"  # never written
    doc = etree.fromstring(_BUNDLE.format(imports=imports).encode("utf-8"), parser=parser, base_url=bundle.as_uri())
    return etree.XMLSchema(doc)


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
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]
