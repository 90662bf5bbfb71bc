"""The sandbox's offices and their staff: one module, so that what is known of an office
(HER-id, organisation number, later its region) and who works there grow in one place.

Every number here is synthetic: HER-ids and organisation numbers start with 99 (well away
from the ranges in use; an organisation number's last digit is its modulus-11 check digit,
computed, not typed), HPR numbers are invented 9-digit numbers starting with 99. Names are
invented. Each office is its own legal entity (legal entity = point of care).

The staff are who may sign in for an office (the trust framework's practitioner at that
point of care): the doctors, who may also be an order's requester, and the helsesekretærer
and nurses at the keyboard. `authorization` is the code of HPR's kodeverk 9060.
"""

from __future__ import annotations

from dataclasses import dataclass

from ihr.helseid import DOCTOR
from ihr.models import Office, Requester

DEMO_OFFICE_HER_ID = "99200101"
DEMO_REQUESTER_HPR = "990100217"
DEMO_SECRETARY_HPR = "990200115"


def org_check_digit(eight: str) -> str:
    """The modulus-11 check digit of an organisation number's first eight digits."""
    remainder = sum(int(d) * w for d, w in zip(eight, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
    digit = (11 - remainder) % 11
    if digit == 10:
        raise ValueError("no valid organisation number with these digits")
    return str(digit)


def _org(eight: str) -> str:
    return eight + org_check_digit(eight)


@dataclass(frozen=True)
class SeedOffice:
    her_id: str
    org_nr: str
    name: str
    address: str
    # The health region and place (municipality, latitude, longitude): the office's
    # requisitions go to the nearest hospital of its region (ihr.rules.routing).
    health_region: str
    municipality: str
    latitude: float
    longitude: float


OFFICES = [
    SeedOffice(DEMO_OFFICE_HER_ID, _org("99920010"), "Solbakken legekontor", "Solbakkveien 12, 0870 Oslo",
               "Helse Sør-Øst", "Oslo", 59.955, 10.760),
    SeedOffice("99200218", _org("99920021"), "Elvebredden legevakt", "Elvegata 3, 7013 Trondheim",
               "Helse Midt-Norge", "Trondheim", 63.430, 10.395),
    SeedOffice("99200325", _org("99920033"), "Furulund sykehjem", "Furulundvegen 40, 2060 Gardermoen",
               "Helse Sør-Øst", "Ullensaker", 60.200, 11.100),
]

DEMO_OFFICE_ORG_NR = OFFICES[0].org_nr


@dataclass(frozen=True)
class StaffMember:
    """A health worker registered at an office (HPR number, display name, kodeverk 9060)."""

    hpr: str
    name: str  # the register's display name, title first
    title: str
    authorization: str
    office_her_id: str

    @property
    def is_doctor(self) -> bool:
        return self.authorization == DOCTOR


STAFF = [
    # doctors (requesters)
    StaffMember(DEMO_REQUESTER_HPR, "Fastlege Sigrid Aasen Holmvik", "Fastlege", DOCTOR, DEMO_OFFICE_HER_ID),
    StaffMember("990100349", "Fastlege Håkon Mæhlum", "Fastlege", DOCTOR, DEMO_OFFICE_HER_ID),
    StaffMember("990100458", "Lege Yasmin Bergersen Ødegård", "Lege", DOCTOR, DEMO_OFFICE_HER_ID),
    StaffMember("990100571", "Lege Jørgen Tveiten", "Lege", DOCTOR, "99200218"),
    StaffMember("990100683", "Tilsynslege Randi Sørlie", "Lege", DOCTOR, "99200325"),
    # the sykehjem's tilsynslege also takes patients at Solbakken one day a week: a doctor of both
    StaffMember("990100683", "Tilsynslege Randi Sørlie", "Lege", DOCTOR, DEMO_OFFICE_HER_ID),
    # at the keyboard
    StaffMember(DEMO_SECRETARY_HPR, "Helsesekretær Tone Fjellstad Rye", "Helsesekretær", "HE", DEMO_OFFICE_HER_ID),
    StaffMember("990200123", "Helsesekretær Eirik Brandvold", "Helsesekretær", "HE", DEMO_OFFICE_HER_ID),
    StaffMember("990200212", "Helsesekretær Marit Lyngstad", "Helsesekretær", "HE", "99200218"),
    StaffMember("990300216", "Sykepleier Kristoffer Aune", "Sykepleier", "SP", "99200218"),
    StaffMember("990200328", "Helsesekretær Liv Haugerud Strand", "Helsesekretær", "HE", "99200325"),
]


def seed_offices() -> list[Office]:
    return [
        Office(her_id=o.her_id, org_nr=o.org_nr, name=o.name, address=o.address, health_region=o.health_region,
               municipality=o.municipality, latitude=o.latitude, longitude=o.longitude)
        for o in OFFICES
    ]


def seed_staff() -> list[StaffMember]:
    return list(STAFF)


def seed_requesters() -> list[Requester]:
    """The doctors, who may request (what `GET /requesters` lists)."""
    first = {s.hpr: s for s in reversed(STAFF) if s.is_doctor}  # a doctor of two offices: her first
    return [Requester(hpr=s.hpr, name=s.name, title=s.title, office_her_id=s.office_her_id) for s in first.values()][::-1]


def secretary_of(office_her_id: str) -> str:
    """The HPR number of the office's first helsesekretær (for the demo and the tests)."""
    return next(s.hpr for s in STAFF if s.office_her_id == office_her_id and s.authorization == "HE")


def org_nr_of(office_her_id: str) -> str:
    return next(o.org_nr for o in OFFICES if o.her_id == office_her_id)
