"""The directory of health workers and organisations, shaped like NHN's Adresseregisteret.

Each entry is a communication party: an organisation (an office, a hospital department) or
a person in it, with the HER-id messages are addressed to; a person also has her HPR number
and the organisation she belongs to.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ihr.models.catalog import Model


class DirectoryEntry(Model):
    her_id: str  # the communication party's HER-id (a person's own, or the organisation's)
    kind: Literal["person", "organisasjon"]
    name: str  # a person: the register's display name, title first ("Fastlege Kari Nordmann")
    role: str = ""  # a person's title ("Fastlege", "Helsesekretær"); an organisation's kind
    hpr: str | None = None  # persons only
    category: str | None = None  # persons: the HPR authorization (kodeverk 9060), "LE" lege
    organisation_her_id: str | None = None  # persons: the organisation (office, department)
    organisation_name: str | None = None
    municipality: str | None = None


class DirectorySearchResult(Model):
    entries: list[DirectoryEntry] = Field(default_factory=list)
    more: bool = False  # more match than are listed: narrow the search


class CodedTerm(Model):
    code: str
    text: str  # the code list's own text


class CodeSearchResult(Model):
    """Codes of a code list (ICPC-2, Volven 7170) for what was typed."""

    code_list: str
    version: str = ""
    terms: list[CodedTerm] = Field(default_factory=list)
