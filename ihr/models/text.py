"""Text that an XML message can carry, checked where the text comes in.

Everything a secretary types ends up in a KITH message (XML 1.0). XML 1.0 cannot carry the
control characters U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, the surrogates, nor U+FFFE
and U+FFFF: a text with one of them would make the message builder fail long after the
order was saved. `xml_text_problem` (the rule itself is `ihr.rules.text`) finds such a character and says
so in Norwegian, with its line and place;
`XmlText` is the pydantic type of every free-text input field, so the service answers 422
with the field path and the app can run the same check in its input fields.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from ihr.rules.text import normalise_line_breaks, text_problem

XML_TEXT_ERROR = "xml_text"  # the pydantic error type; its message is Norwegian


def xml_text_problem(text: str) -> str | None:
    """A Norwegian sentence about the first character XML cannot carry; None when all fit
    (`ihr.rules.text.text_problem`, the one rule the app applies too)."""
    return text_problem(text)


def check_xml_text(text: str) -> str:
    """Pydantic after-validator: the text with its line breaks as LF (`normalise_line_breaks`),
    or a `xml_text` error (Norwegian)."""
    problem = xml_text_problem(text)
    if problem is not None:
        raise PydanticCustomError(XML_TEXT_ERROR, problem)
    return normalise_line_breaks(text)


XmlText = Annotated[str, AfterValidator(check_xml_text)]
