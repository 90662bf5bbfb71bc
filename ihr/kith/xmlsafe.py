"""A hardened XML parser for everything that comes from outside, and the typed parse error."""

from __future__ import annotations

from lxml import etree


class KithParseError(ValueError):
    """A KITH message could not be read. `str(err)` is Norwegian, fit for the secretary."""


def _parser() -> etree.XMLParser:
    # No entities, no DTD, no network, no huge trees: nothing in the document can make us
    # read a file, fetch a URL or expand a billion laughs.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_untrusted(xml: bytes, *, what: str = "Meldingen") -> etree._Element:
    """Parse bytes from outside. Raises KithParseError for non-XML and for any DOCTYPE."""
    if isinstance(xml, str):  # be kind to callers that hold text
        xml = xml.encode("utf-8")
    if not xml or not xml.strip():
        raise KithParseError(f"{what} er tom.")
    try:
        root = etree.fromstring(xml, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise KithParseError(f"{what} er ikke gyldig XML: {exc.msg}") from exc
    except ValueError as exc:  # e.g. an encoding declaration lxml refuses
        raise KithParseError(f"{what} er ikke gyldig XML: {exc}") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise KithParseError(f"{what} inneholder en DOCTYPE-deklarasjon, som ikke er tillatt.")
    return root


def local_name(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""
