"""Pure domain rules (no I/O): identifiers, specimen ids, guided questions, tube planning,
add-ons (etterrekvirering), ordering and catalog search.

Import from the modules themselves, e.g. `from ihr.rules.identifiers import parse_person_id`.
"""
