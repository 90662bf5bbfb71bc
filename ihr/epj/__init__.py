"""The journal system (EPJ) as FHIR R4: the launch bundle it hands `ihr`, and the order
`ihr` hands back.

- `ihr.epj.codes`: the identifier and code systems (HL7 Norway no-basis, LOINC, NLK, ATC,
  ICPC-2), plain strings.
- `ihr.epj.launch`: read and check a launch `Bundle` (patient, requester, office, recent
  observations, medication, conditions) into an `ihr.epj.launch.JournalRecord`.
- `ihr.epj.returned`: an order as a transaction `Bundle` of `ServiceRequest`s and
  `Specimen`s, and back.

Both parse and build with `fhir.resources` (its R4B models: R4B is R4 with technical
corrections, the same JSON for every resource used here); nothing here reads or writes
FHIR JSON by hand. Importing `fhir.resources` costs about 0.4 s, so only a start with a
bundle and a return to the journal import these modules; no Textual, no httpx.
"""
