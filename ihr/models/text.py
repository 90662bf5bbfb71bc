"""Text that an XML message can carry, checked where the text comes in.

Everything a secretary types ends up in a KITH message (XML 1.0). XML 1.0 cannot carry the
control characters U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, the surrogates, nor U+FFFE
and U+FFFF: a text with one of them would make the message builder fail long after the
order was saved. `xml_text_problem` finds such a character and says so in Norwegian;
`XmlText` is the pydantic type of every free-text input field, so the service answers 422
with the field path and the app can run the same check in its input fields.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# Everything outside XML 1.0's Char production (tab, LF and CR are allowed).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

XML_TEXT_ERROR = "xml_text"  # the pydantic error type; its message is Norwegian


def xml_text_problem(text: str) -> str | None:
    """A Norwegian sentence about the first character XML cannot carry; None when all fit."""
    found = _NOT_XML.search(text)
    if found is None:
        return None
    char = found.group()
    return (
        f"Teksten inneholder et usynlig kontrolltegn (U+{ord(char):04X}) på plass {found.start() + 1} "
        "som ikke kan sendes i en melding. Fjern det og skriv teksten på nytt."
    )


def check_xml_text(text: str) -> str:
    """Pydantic after-validator: the text unchanged, or a `xml_text` error (Norwegian)."""
    problem = xml_text_problem(text)
    if problem is not None:
        raise PydanticCustomError(XML_TEXT_ERROR, problem)
    return text


XmlText = Annotated[str, AfterValidator(check_xml_text)]
