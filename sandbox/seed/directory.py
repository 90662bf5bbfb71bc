"""The sandbox's address register (shaped like NHN's Adresseregisteret): the offices and
their staff (`sandbox.seed.offices`), and the hospital departments of the catalog.

A person's HER-id is synthetic and computed from her HPR number ("98" and the HPR number's
last seven digits: nine digits, apart from the 8-digit HER-ids of the organisations and from
HPR numbers, which start with 99).
"""

from __future__ import annotations

from ihr.models import DirectoryEntry
from sandbox.seed.catalog import seed_labs
from sandbox.seed.offices import seed_offices, seed_staff


def person_her_id(hpr: str) -> str:
    """The synthetic HER-id of the health worker with this HPR number."""
    return "98" + hpr[-7:].rjust(7, "0")


def seed_directory() -> list[DirectoryEntry]:
    offices = {o.her_id: o for o in seed_offices()}
    entries = [
        DirectoryEntry(her_id=o.her_id, kind="organisasjon", name=o.name, role="Kontor", municipality=o.municipality)
        for o in offices.values()
    ]
    entries += [
        DirectoryEntry(her_id=lab.her_id, kind="organisasjon", name=lab.name, role="Sykehusavdeling",
                       municipality=lab.municipality)
        for lab in seed_labs()
    ]
    for member in seed_staff():
        office = offices[member.office_her_id]
        entries.append(
            DirectoryEntry(
                her_id=person_her_id(member.hpr), kind="person", name=member.name, role=member.title, hpr=member.hpr,
                category=member.authorization,
                organisation_her_id=office.her_id, organisation_name=office.name, municipality=office.municipality,
            )
        )
    return entries


def search(entries: list[DirectoryEntry], q: str, limit: int) -> tuple[list[DirectoryEntry], bool]:
    """Entries for a number (HPR number or HER-id, exact) or for words (each the start of a
    word of the name, the role or the organisation's name; case and accents as typed);
    persons first, by family name. At most `limit`, and whether more matched."""
    text = q.strip()
    digits = text.replace(" ", "")
    if digits.isdigit():
        found = [e for e in entries if digits in (e.hpr, e.her_id)]
    else:
        words = [w.casefold() for w in text.replace(",", " ").split()]

        def hit(e: DirectoryEntry) -> bool:
            have = f"{e.name} {e.role} {e.organisation_name or ''}".casefold().replace("-", " ").split()
            return all(any(h.startswith(w) for h in have) for w in words)

        found = [e for e in entries if words and hit(e)]
    found.sort(key=lambda e: (e.kind != "person", e.name.split()[-1].casefold(), e.name.casefold()))
    return found[:limit], len(found) > limit
