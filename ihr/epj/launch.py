"""The journal's launch bundle: a FHIR R4 `Bundle` in JSON that the EPJ hands `ihr`.

It names the patient (`Patient`, fødselsnummer or D-nummer), the requesting doctor
(`Practitioner`, HPR-nummer, through a `PractitionerRole` where there is one) and the
office (`Organization`, HER-id and organisation number), with HL7 Norway no-basis
identifier systems, and it may carry what the journal knows that the guided questions ask:
recent `Observation`s (eGFR, creatinine, pregnancy status, last menstrual period; LOINC
or NLK codes), `MedicationStatement`s (ATC) and `Condition`s (ICPC-2).

It is parsed and validated by `fhir.resources` (R4B models); `read_launch_bundle` then
checks what FHIR cannot: the file is its owner's alone (it holds health data), there is one
patient and every resource is about her, and she is the patient `ihr` was started for.
Any failure raises `LaunchBundleError` with a Norwegian message that names no person, and
nothing of the bundle is used: it is read whole or not at all.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole
from pydantic import ValidationError

from ihr.epj import codes
from ihr.epj.record import JournalCondition, JournalEntry, JournalRecord
from ihr.localtime import local
from ihr.rules.identifiers import InvalidPersonId, parse_person_id

MAX_BYTES = 2 * 1024 * 1024  # a launch bundle is a few kilobytes; more is not one

_FINAL = {"final", "amended", "corrected"}
_IN_USE = {"active", "intended"}
_ACTIVE_CONDITION = {"active", "recurrence", "relapse"}
_NOT_TRUE = {"refuted", "entered-in-error"}


class LaunchBundleError(ValueError):
    """The launch bundle was refused; `str()` is a Norwegian message without personal data."""


def check_private(path: Path) -> None:
    """A bundle holds health data: only its owner may read it (like the client key)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise LaunchBundleError(f"Kan ikke lese EPJ-filen: {exc.strerror or 'ukjent feil'}") from None
    if mode & 0o077:
        raise LaunchBundleError(
            f"EPJ-filen {path} kan leses av andre enn eieren ({stat.filemode(mode)}), og blir ikke brukt. "
            f"Journalsystemet må lage den privat (chmod 600)."
        )


def read_launch_bundle(path: Path, *, patient_id: str | None = None) -> JournalRecord:
    """The checked record of the bundle in `path`; `patient_id` is the patient `ihr` was
    started for (options or `IHR_PATIENT`), None when the bundle names her."""
    check_private(path)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise LaunchBundleError(f"Kan ikke lese EPJ-filen: {exc.strerror or 'ukjent feil'}") from None
    if len(data) > MAX_BYTES:
        raise LaunchBundleError("EPJ-filen er for stor til å være en oppstartsbundle (over 2 MB).")
    return parse_launch_bundle(data, patient_id=patient_id)


def _where(error: dict[str, Any]) -> str:
    return ".".join(str(p) for p in error.get("loc", ())) or "bundelen"


def _invalid_text(exc: ValidationError) -> str:
    """The first problem FHIR validation found, by its place (never the value: it may be a name)."""
    first = exc.errors(include_input=False, include_url=False)[0]
    if first.get("type") == "json_invalid":
        return "EPJ-filen er ikke en FHIR-bundle i JSON (JSON-en er ugyldig)."
    what = "mangler" if first.get("type") == "missing" else "er ugyldig"
    return f"EPJ-filen er ikke gyldig FHIR R4: {_where(dict(first))} {what}."


def parse_launch_bundle(data: str | bytes, *, patient_id: str | None = None) -> JournalRecord:
    """The checked record of a launch bundle's JSON (see `read_launch_bundle`)."""
    try:
        bundle = Bundle.model_validate_json(data)
    except ValidationError as exc:
        raise LaunchBundleError(_invalid_text(exc)) from None
    except ValueError:
        raise LaunchBundleError("EPJ-filen er ikke en FHIR-bundle i JSON.") from None
    resources = [e.resource for e in bundle.entry or [] if e.resource is not None]
    patients = [(e.fullUrl, e.resource) for e in bundle.entry or [] if isinstance(e.resource, Patient)]
    if len(patients) != 1:
        raise LaunchBundleError(
            "EPJ-filen må ha nøyaktig én pasient (Patient)." if patients else "EPJ-filen mangler pasienten (Patient)."
        )
    full_url, patient = patients[0]
    fnr = _patient_id(patient)
    if patient_id is not None and fnr != "".join(patient_id.split()):
        raise LaunchBundleError("EPJ-filen gjelder en annen pasient enn den programmet er startet for, og blir ikke brukt.")
    refs = _patient_refs(full_url, patient)

    def about_her(subject: Any) -> None:
        if subject is None:
            return
        if subject.reference is not None and subject.reference in refs:
            return
        ident = subject.identifier
        if subject.reference is None and ident is not None and ident.system in (codes.FNR, codes.DNR) and ident.value == fnr:
            return
        raise LaunchBundleError("EPJ-filen har opplysninger om en annen pasient, og blir ikke brukt.")

    entries: list[JournalEntry] = []
    conditions: list[JournalCondition] = []
    for r in resources:
        if isinstance(r, Observation):
            about_her(r.subject)
            if r.status in _FINAL:
                entries.append(_observation(r))
        elif isinstance(r, MedicationStatement):
            about_her(r.subject)
            if r.status in _IN_USE and r.medicationCodeableConcept is not None:
                entries.append(_medication(r))
        elif isinstance(r, Condition):
            about_her(r.subject)
            condition = _condition(r)
            if condition is not None:
                conditions.append(condition)
    requester, office, org_number = _who(bundle)
    conditions.sort(key=lambda c: c.when or date.min, reverse=True)
    return JournalRecord(fnr, requester, office, org_number, tuple(entries), tuple(conditions))


def _patient_id(patient: Patient) -> str:
    found = [i.value for i in patient.identifier or [] if i.system in (codes.FNR, codes.DNR) and i.value]
    if not found:
        raise LaunchBundleError("Pasienten i EPJ-filen mangler fødselsnummer eller D-nummer.")
    value = "".join(str(found[0]).split())
    try:
        parse_person_id(value)
    except InvalidPersonId as exc:
        raise LaunchBundleError(f"Pasientens fødselsnummer i EPJ-filen er ugyldig: {exc}") from None
    return value


def _patient_refs(full_url: str | None, patient: Patient) -> set[str]:
    refs = {full_url} if full_url else set()
    if patient.id:
        refs.add(f"Patient/{patient.id}")
        if full_url and full_url.endswith(f"/Patient/{patient.id}"):
            refs.add(full_url)
    return refs


def _ref_id(reference: Any) -> str | None:
    return getattr(reference, "reference", None)


def _who(bundle: Bundle) -> tuple[str | None, str | None, str | None]:
    """The requester's HPR-nummer and the office's HER-id and organisation number: from the
    `PractitionerRole` when there is one, else from the one `Practitioner` / `Organization`."""
    by_ref: dict[str, Any] = {}
    practitioners: list[Practitioner] = []
    organizations: list[Organization] = []
    roles: list[PractitionerRole] = []
    for e in bundle.entry or []:
        r = e.resource
        if r is None:
            continue
        for ref in ({e.fullUrl} if e.fullUrl else set()) | ({f"{r.get_resource_type()}/{r.id}"} if r.id else set()):
            by_ref[ref] = r
        if isinstance(r, Practitioner):
            practitioners.append(r)
        elif isinstance(r, Organization):
            organizations.append(r)
        elif isinstance(r, PractitionerRole):
            roles.append(r)
    practitioner: Any = practitioners[0] if len(practitioners) == 1 else None
    organization: Any = organizations[0] if len(organizations) == 1 else None
    if roles:
        practitioner = by_ref.get(_ref_id(roles[0].practitioner) or "", practitioner)
        organization = by_ref.get(_ref_id(roles[0].organization) or "", organization)
    hpr = _identifier(getattr(practitioner, "identifier", None), codes.HPR)
    her = _identifier(getattr(organization, "identifier", None), codes.HER)
    orgnr = _identifier(getattr(organization, "identifier", None), codes.ORGNR)
    return hpr, her, orgnr


def _identifier(identifiers: Iterable[Any] | None, system: str) -> str | None:
    for i in identifiers or []:
        if i.system == system and i.value:
            return "".join(str(i.value).split())
    return None


def _day(value: Any) -> date | None:
    """The local date of a FHIR date or dateTime (a partial date, "2026-11", has none)."""
    if isinstance(value, datetime):
        return local(value).date()
    if isinstance(value, date):
        return value
    return None


def _codes(concept: Any) -> tuple[str, ...]:
    return tuple(f"{c.system}|{c.code}" for c in (concept.coding or []) if c.system and c.code) if concept else ()


def _text(concept: Any) -> str:
    if concept is None:
        return ""
    if concept.text:
        return str(concept.text)
    return next((str(c.display) for c in concept.coding or [] if c.display), "")


def _observation(o: Observation) -> JournalEntry:
    when = _day(o.effectiveDateTime) or _day(getattr(o.effectivePeriod, "start", None)) or _day(o.effectiveInstant)
    value: bool | float | str | None = None
    if o.valueQuantity is not None and o.valueQuantity.value is not None:
        value = float(o.valueQuantity.value)
    elif o.valueCodeableConcept is not None:
        found = {c.code for c in o.valueCodeableConcept.coding or [] if c.system == codes.SNOMED}
        value = True if codes.PREGNANT in found else False if codes.NOT_PREGNANT in found else _text(o.valueCodeableConcept)
    elif o.valueBoolean is not None:
        value = bool(o.valueBoolean)
    elif o.valueDateTime is not None:
        day = _day(o.valueDateTime)
        value = day.isoformat() if day is not None else None
    elif o.valueString is not None:
        value = str(o.valueString)
    return JournalEntry("Observation", _codes(o.code), value, when, _text(o.code))


def _medication(m: MedicationStatement) -> JournalEntry:
    when = _day(m.effectiveDateTime) or _day(getattr(m.effectivePeriod, "start", None)) or _day(m.dateAsserted)
    concept = m.medicationCodeableConcept
    return JournalEntry("MedicationStatement", _codes(concept), None, when, _text(concept))


def _condition(c: Condition) -> JournalCondition | None:
    clinical = {x.code for x in (c.clinicalStatus.coding or [])} if c.clinicalStatus else set()
    verification = {x.code for x in (c.verificationStatus.coding or [])} if c.verificationStatus else set()
    if (clinical and not clinical & _ACTIVE_CONDITION) or verification & _NOT_TRUE:
        return None
    icpc = next((x for x in (c.code.coding or []) if x.system == codes.ICPC2 and x.code), None) if c.code else None
    if icpc is None:
        return None
    return JournalCondition(
        code=str(icpc.code).strip().upper(),
        text=str(icpc.display or _text(c.code) or ""),
        when=_day(c.recordedDate) or _day(c.onsetDateTime),
    )
