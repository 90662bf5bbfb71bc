"""Identifier and code systems of the journal's FHIR resources (no FHIR library needed)."""

from __future__ import annotations

# HL7 Norway's base profiles (no-basis)
FNR = "urn:oid:2.16.578.1.12.4.1.4.1"  # fødselsnummer
DNR = "urn:oid:2.16.578.1.12.4.1.4.2"  # D-nummer
HPR = "urn:oid:2.16.578.1.12.4.1.4.4"  # HPR-nummer
HER = "urn:oid:2.16.578.1.12.4.1.2"  # HER-id (Adresseregisteret)
ORGNR = "urn:oid:2.16.578.1.12.4.1.4.101"  # organisasjonsnummer (Enhetsregisteret)

# Code systems
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ATC = "http://www.whocc.no/atc"
NLK = "urn:oid:2.16.578.1.12.4.1.1.7280"  # Norsk laboratoriekodeverk (NPU/NOR codes)
NCRP = "urn:oid:2.16.578.1.12.4.1.1.7270"  # radiology procedures
ICPC2 = "urn:oid:2.16.578.1.12.4.1.1.7170"
IHR_LOCAL = "urn:ihr:lokal-kode"  # the catalog's own codes (code system LOKAL)

# SNOMED CT values of LOINC 82810-3 Pregnancy status
PREGNANT = "77386006"
NOT_PREGNANT = "60001007"

# What `ihr` writes into the returned bundle: its own identifiers (invented URNs, stable)
ORDER_ID = "urn:ihr:bestilling"
REQUISITION_NUMBER = "urn:ihr:rekvisisjonsnummer"
ITEM_ID = "urn:ihr:bestillingslinje"
SPECIMEN_ID = "urn:ihr:provenummer"  # the barcode on the label
