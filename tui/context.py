"""The launch context: which patient, requester and office the journal system (EPJ) hands over.

Three sources, the first that says something wins per field: command-line options,
`IHR_PATIENT` / `IHR_REQUESTER` / `IHR_OFFICE`, and an EPJ launch file.

EPJ launch file format (`ihr --epj FILE`): UTF-8 text, one `key = value` per line (TOML
string syntax with quotes is accepted too); `#` starts a comment; unknown keys are ignored.

    # written by the journal system when the secretary presses "Bestill prøver"
    patient = 12345678901      # fødselsnummer, D-nummer or H-nummer
    requester = 1234567        # HPR-nummer of the requesting doctor
    office = 12345             # HER-id of the office (optional; default from settings)

Aliases: `pasient`, `fnr` for patient; `rekvirent`, `hpr` for requester; `kontor`, `her`
for office.

A launch file that is JSON is a FHIR R4 launch `Bundle` instead (`ihr.epj.launch`): patient,
requester and office, and what the journal knows (observations, medication, conditions) as
`LaunchContext.journal`, offered as marked answers. It is checked whole (valid FHIR, the
owner's alone, about the patient `ihr` was started for) or refused; `fhir.resources` is
imported only then, so a start without a bundle does not pay for it.
This module imports nothing from Textual.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_ALIASES = {
    "patient": "patient",
    "pasient": "patient",
    "fnr": "patient",
    "requester": "requester",
    "rekvirent": "requester",
    "hpr": "requester",
    "office": "office",
    "kontor": "office",
    "her": "office",
}


class LaunchFileError(ValueError):
    """The EPJ launch file could not be read; `str()` is a Norwegian message."""


@dataclass(frozen=True)
class LaunchContext:
    patient_id: str | None = None
    requester_hpr: str | None = None
    office_her_id: str | None = None
    #: `ihr.epj.launch.JournalRecord` from a FHIR launch bundle: what the journal knows about
    #: the patient (`journal.patient_id`); None without a bundle.
    journal: Any = None

    def merged(self, other: LaunchContext) -> LaunchContext:
        """Fields of `self` win; `other` fills the gaps."""
        return LaunchContext(
            patient_id=self.patient_id or other.patient_id,
            requester_hpr=self.requester_hpr or other.requester_hpr,
            office_her_id=self.office_her_id or other.office_her_id,
            journal=self.journal or other.journal,
        )


def parse_launch_text(text: str) -> LaunchContext:
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("["):
            continue
        if "=" in line:
            key, _, value = line.partition("=")
        elif ":" in line:
            key, _, value = line.partition(":")
        else:
            continue
        field = _ALIASES.get(key.strip().lower())
        if field is None:
            continue
        value = value.strip().strip('"').strip("'").strip()
        if value:
            values[field] = value
    return LaunchContext(
        patient_id=values.get("patient"),
        requester_hpr=values.get("requester"),
        office_her_id=values.get("office"),
    )


def read_launch_file(path: Path, patient_id: str | None = None) -> LaunchContext:
    """The context in an EPJ launch file: key = value text, or a FHIR launch bundle (JSON),
    which must be about `patient_id` when that is given (the options' or `IHR_PATIENT`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LaunchFileError(f"Kan ikke lese EPJ-filen: {exc.strerror or 'ukjent feil'}") from None
    except UnicodeDecodeError:
        raise LaunchFileError("EPJ-filen er ikke UTF-8-tekst.") from None
    if text.lstrip().startswith("{"):
        return read_launch_bundle(path, patient_id)
    return parse_launch_text(text)


def read_launch_bundle(path: Path, patient_id: str | None = None) -> LaunchContext:
    """The context of a FHIR launch bundle, with what the journal knows (`journal`)."""
    from ihr.epj.launch import LaunchBundleError  # start-up seam
    from ihr.epj.launch import read_launch_bundle as read  # start-up seam

    try:
        record = read(path, patient_id=patient_id)
    except LaunchBundleError as exc:
        raise LaunchFileError(str(exc)) from None
    return LaunchContext(record.patient_id, record.requester_hpr, record.office_her_id, journal=record)


def context_from_env(environ: Mapping[str, str] | None = None) -> LaunchContext:
    env = os.environ if environ is None else environ
    return LaunchContext(
        patient_id=env.get("IHR_PATIENT") or None,
        requester_hpr=env.get("IHR_REQUESTER") or None,
        office_her_id=env.get("IHR_OFFICE") or None,
    )
