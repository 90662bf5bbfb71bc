"""The sandbox seed data: counts, referential integrity, question logic and synthetic ids."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ihr.models import AnswerType, CodeSystem, Discipline, QuestionRole
from sandbox.seed.catalog import CHECK_CODES, UNCONFIRMED_IMAGING, seed_catalog, seed_groups
from sandbox.seed.generate import GENERATED_NOTE, big_catalog
from sandbox.seed.people import (
    DEMO_OFFICE_HER_ID,
    DEMO_PATIENT_ID,
    DEMO_REQUESTER_HPR,
    LAB_UNKNOWN_PATIENT_IDS,
    seed_offices,
    seed_patients,
    seed_requesters,
)

TODAY = date(2026, 11, 22)
NLK_CODE = re.compile(r"^(NPU|NOR)\d{5}$")
NCRP_CODE = re.compile(r"^S[A-Z]{2}0[A-Z]{2}$")  # e.g. SNG0AG MR kne


@pytest.fixture(scope="module")
def catalog():
    return seed_catalog()


@pytest.fixture(scope="module")
def patients():
    return seed_patients()


def by_discipline(catalog, discipline):
    return [s for s in catalog.services if s.discipline is discipline]


# ---- counts ---------------------------------------------------------------------------


def test_counts(catalog, patients):
    lab = [s for s in by_discipline(catalog, Discipline.LAB) if s.code_system is CodeSystem.NLK]
    assert len(lab) >= 80
    assert all(NLK_CODE.match(s.code) for s in lab)
    assert len(by_discipline(catalog, Discipline.MICRO)) + len(by_discipline(catalog, Discipline.PATHOLOGY)) >= 10
    imaging = by_discipline(catalog, Discipline.RADIOLOGY)
    assert len(imaging) >= 20
    # NCRP where a public source confirms the code; the rest keep a local code, listed as such.
    for s in imaging:
        if s.code in UNCONFIRMED_IMAGING:
            assert s.code_system is CodeSystem.LOCAL and s.code.startswith("LOK-")
        else:
            assert s.code_system is CodeSystem.NCRP and NCRP_CODE.match(s.code), s.code
    confirmed = {s.code for s in imaging if s.code_system is CodeSystem.NCRP}
    assert {"SAA0AG", "SAA0AD", "SNG0AG", "SNB0BG", "SNA0GG", "SNA0AG", "SSC0AD", "SSD0AD", "SSL0AD",
            "SSC0AA", "SNA0GA"} == confirmed
    assert len(catalog.containers) >= 8
    assert len(catalog.groups) >= 6
    assert len(patients) == 25
    assert len(seed_requesters()) == 5
    assert 2 <= len(seed_offices()) <= 3


def test_domain_examples_present(catalog):
    examples = {
        "NOR05172": "B-Hemoglobin", "NPU19748": "P-CRP", "NPU27300": "B-HbA1c", "NPU02192": "P-Glukose",
        "NPU19763": "P-Ferritin", "NPU03577": "P-TSH", "NPU03579": "P-T4 fritt", "NPU19651": "P-ALAT",
        "NPU18016": "P-Kreatinin", "NOR25909": "eGFR", "NPU03230": "P-Kalium", "NPU03429": "P-Natrium",
        "NPU01685": "P-INR", "NPU14924": "U-Strimmeltest", "NPU01700": "P-Vitamin B12", "NPU02070": "P-Folat",
        "NPU10267": "P-25-OH Vitamin D", "NPU02593": "B-Leukocytter", "NPU03568": "B-Trombocytter",
        "NPU03404": "B-SR",
    }
    for code, name in examples.items():
        assert name in catalog.service(code).name
        assert code not in CHECK_CODES


def test_check_codes_are_catalog_codes(catalog):
    codes = {s.code for s in catalog.services}
    assert CHECK_CODES <= codes


def test_labs_in_both_regions(catalog):
    assert len(catalog.labs) >= 4
    regions = {lab.health_region for lab in catalog.labs}
    assert {"Helse Sør-Øst", "Helse Midt-Norge"} <= regions
    for discipline in Discipline:
        assert any(lab.discipline is discipline for lab in catalog.labs), discipline


# ---- integrity ------------------------------------------------------------------------


def test_unique_codes_and_ids(catalog):
    codes = [s.code for s in catalog.services]
    assert len(codes) == len(set(codes))
    assert len({c.code for c in catalog.containers}) == len(catalog.containers)
    assert len({lab.her_id for lab in catalog.labs}) == len(catalog.labs)
    assert len({g.id for g in catalog.groups}) == len(catalog.groups)


def test_specimens_and_labs(catalog):
    containers = {c.code for c in catalog.containers}
    for s in catalog.services:
        assert s.labs, s.code
        for her_id in s.labs:
            assert catalog.lab(her_id).discipline is s.discipline, (s.code, her_id)
        if s.discipline is Discipline.RADIOLOGY:
            assert s.specimen is None
        else:
            assert s.specimen is not None, s.code
            assert s.specimen.container in containers, s.code
            assert s.specimen.min_volume_ml <= catalog.container(s.specimen.container).capacity_ml
        assert len(s.short_name) <= 12, s.short_name


def test_order_of_draw(catalog):
    draw = {c.code: c.order_of_draw for c in catalog.containers}
    assert draw["CIT"] == 1 and draw["SST"] == 2 and draw["LHG"] == 3 and draw["EDTA"] == 4 and draw["SR"] == 5
    assert {c.order_of_draw for c in catalog.containers} <= {1, 2, 3, 4, 5, 9}


def test_groups(catalog):
    assert catalog.groups == seed_groups()
    names = {g.name for g in catalog.groups}
    assert {"Svangerskap 1. kontroll", "Diabetes årskontroll", "Stoffskifte", "Tretthet"} <= names
    for g in catalog.groups:
        for code in g.service_codes:
            catalog.service(code)
        assert g.office_her_id == DEMO_OFFICE_HER_ID
    personal = [g for g in catalog.groups if g.scope == "personal"]
    assert personal and all(g.owner_hpr == DEMO_REQUESTER_HPR for g in personal)
    assert all(g.owner_hpr is None for g in catalog.groups if g.scope == "office")


def test_enable_when_refers_to_questions_of_the_same_service(catalog):
    for s in catalog.services:
        keys = [q.key for q in s.questions]
        assert len(keys) == len(set(keys)), s.code
        for q in s.questions:
            for cond in q.enable_when:
                assert cond.question in keys, (s.code, q.key, cond.question)
                assert cond.question != q.key


def test_shared_keys_mean_the_same_question(catalog):
    seen = {}
    for s in catalog.services:
        for q in s.questions:
            assert seen.setdefault(q.key, q) == q, q.key


def test_every_answer_type_operator_and_behaviour_occurs(catalog):
    questions = [q for s in catalog.services for q in s.questions]
    assert {q.type for q in questions} == set(AnswerType)
    operators = {c.operator for q in questions for c in q.enable_when}
    assert operators == {"exists", "=", "!=", ">", "<", ">=", "<="}
    assert {q.enable_behavior for q in questions if q.enable_when} == {"all", "any"}
    for q in questions:
        if q.type is AnswerType.CHOICE:
            assert q.choices
        if q.type is AnswerType.DECIMAL and q.key == "siste_egfr":
            assert (q.min, q.max, q.unit) == (5, 150, "ml/min/1,73m²")


def _texts(value):
    """Every string in a dumped model, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)


DEVELOPER_MARKERS = re.compile(r"\*check\*|\bTODO\b|\bXXX\b|\bFIXME\b", re.IGNORECASE)


def test_no_developer_marker_reaches_the_secretary(catalog):
    """Notes for developers ("*check*", "TODO") stay in code comments: the catalog is shown
    to the secretary (support panel, questions, review) and printed into messages."""
    marked = [t for t in _texts(catalog.model_dump(mode="json")) if DEVELOPER_MARKERS.search(t)]
    assert marked == []


def test_no_question_names_its_unit_in_its_text(catalog):
    """The unit lives in `unit` alone: the questions screen, the review and the message add it
    to the text or the answer, so a unit in the text as well is shown twice."""
    for s in catalog.services:
        for q in s.questions:
            if q.unit:
                assert q.unit not in q.text, (s.code, q.key)


def test_imaging_requires_problemstilling(catalog):
    for s in by_discipline(catalog, Discipline.RADIOLOGY):
        assert s.requires_problemstilling
        q = next(q for q in s.questions if q.key == "problemstilling")
        assert q.required and q.type is AnswerType.TEXT and q.max_length == 500
        assert q.role is QuestionRole.PROBLEM_STATEMENT
    for code in ("SNG0AG", "SNA0GG"):
        questions = seed_catalog().service(code).questions
        assert {"pacemaker", "metallimplantat", "implantat_beskrivelse"} <= {q.key for q in questions}
        # Every yes/no MR safety question is coded in 8210 (contraindications) or 8209 (information).
        coded = {q.key: q.kith for q in questions if q.type is AnswerType.BOOLEAN}
        assert coded and all(k is not None and k.code_list in {"8209", "8210"} for k in coded.values())
        assert coded["pacemaker"].if_yes == "PAC" and coded["pacemaker"].if_no == "NOPAC"
    keys = {q.key for q in seed_catalog().service("SSD0AD").questions}
    assert {"siste_egfr", "gravid", "svangerskapsuke"} <= keys


def test_rules_of_thumb(catalog):
    assert catalog.service("NPU08669").sex == "M"
    assert catalog.service("NPU01951").sex == "K"
    assert catalog.service("LOK-PA-CYT").sex == "K"
    assert catalog.service("NPU27300").order_interval_days == 60
    assert catalog.service("NPU10267").order_interval_days == 90
    assert catalog.service("NPU19763").order_interval_days == 30
    assert catalog.service("NPU08669").order_interval_days == 180
    assert catalog.service("NPU01685").specimen.separate_tube
    assert catalog.service("NPU01370").specimen.handling.light_protected
    assert catalog.service("NPU03230").specimen.handling.centrifuge_within_minutes
    assert "fastende" in {q.key for q in catalog.service("NPU02192").questions}
    assert catalog.service("NPU01566").preparation
    drug = [s for s in catalog.services if "siste_dose_tid" in {q.key for q in s.questions}]
    assert len(drug) >= 5


# ---- people ---------------------------------------------------------------------------

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def check_digit(digits: str, weights) -> int:
    return (11 - sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11) % 11


def test_patient_ids_are_synthetic_and_valid(patients):
    ids = [p.id for p in patients]
    assert len(set(ids)) == len(ids)
    d_numbers = 0
    for p in patients:
        assert re.fullmatch(r"\d{11}", p.id), p.id
        day, month = int(p.id[0:2]), int(p.id[2:4])
        assert month >= 81 and month - 80 == p.birth_date.month  # synthetic only
        if day > 40:
            d_numbers += 1
            assert day - 40 == p.birth_date.day
        else:
            assert day == p.birth_date.day
        assert int(p.id[4:6]) == p.birth_date.year % 100
        k1 = check_digit(p.id[:9], W1)
        k2 = check_digit(p.id[:9] + str(k1), W2)
        assert k1 != 10 and k2 != 10
        assert p.id[9:] == f"{k1}{k2}"
        assert (int(p.id[8]) % 2 == 1) == (p.sex == "M")
    assert d_numbers >= 3


def test_patients_span_ages_and_sexes(patients):
    ages = [p.age_on(TODAY) for p in patients]
    assert min(ages) < 1 and max(ages) > 90
    assert {p.sex for p in patients} == {"M", "K"}
    names = [f"{p.given_name} {p.family_name}" for p in patients]
    assert any(len(n) >= 40 for n in names)
    assert any("-" in p.family_name for p in patients)
    assert any(" " in p.family_name for p in patients)
    assert any(set("æøåÆØÅ") & set(n) for n in names)


def test_demo_context(patients):
    ids = {p.id for p in patients}
    assert DEMO_PATIENT_ID in ids
    assert len(LAB_UNKNOWN_PATIENT_IDS) == 2 and LAB_UNKNOWN_PATIENT_IDS <= ids
    assert DEMO_PATIENT_ID not in LAB_UNKNOWN_PATIENT_IDS
    requesters = {r.hpr: r for r in seed_requesters()}
    assert requesters[DEMO_REQUESTER_HPR].office_her_id == DEMO_OFFICE_HER_ID
    offices = {o.her_id for o in seed_offices()}
    assert DEMO_OFFICE_HER_ID in offices
    assert all(r.office_her_id in offices for r in requesters.values())
    assert all(re.fullmatch(r"\d{7,9}", hpr) for hpr in requesters)
    assert all(re.fullmatch(r"\d{6,8}", her) for her in offices)


def test_seed_catalog_is_stable():
    assert seed_catalog().version == seed_catalog().version
    assert seed_catalog().version.startswith("2026.11-sandbox")


# ---- benchmark catalog ----------------------------------------------------------------


@pytest.fixture(scope="module")
def big():
    return big_catalog(10_000)


def test_big_catalog(big, catalog):
    assert len(big.services) == 10_000
    assert len({s.code for s in big.services}) == 10_000
    assert big.services[: len(catalog.services)] == catalog.services
    generated = big.services[len(catalog.services):]
    assert all(s.code.startswith("GEN-") and s.notes == GENERATED_NOTE for s in generated)
    assert {s.discipline for s in generated} == set(Discipline)
    containers = {c.code for c in big.containers}
    labs = {lab.her_id: lab for lab in big.labs}
    for s in generated:
        assert all(labs[h].discipline is s.discipline for h in s.labs)
        assert s.specimen is None or s.specimen.container in containers
        keys = {q.key for q in s.questions}
        assert all(c.question in keys for q in s.questions for c in q.enable_when)
        if s.discipline is Discipline.RADIOLOGY:
            assert "problemstilling" in keys


def test_big_catalog_is_deterministic(big):
    again = big_catalog(10_000, seed=1)
    assert again == big
    other = big_catalog(10_000, seed=2)
    assert [s.name for s in other.services] != [s.name for s in big.services]


def test_big_catalog_small_n():
    small = big_catalog(50)
    assert len(small.services) == 50


def test_requester_names_split_without_their_title() -> None:
    """Messages carry the title as a code: the given name never starts with it."""
    for requester in seed_requesters():
        given, family = requester.person_name
        assert given and family, requester.name
        assert not given.casefold().split()[0].endswith("lege"), requester.name
        assert f"{given} {family}" == requester.display_name
        assert requester.name.endswith(requester.display_name)
    assert {r.display_name for r in seed_requesters()} >= {"Sigrid Aasen Holmvik", "Randi Sørlie"}


def test_patients_with_a_fodselsnummer_have_a_known_fastlege(patients) -> None:
    hprs = {r.hpr for r in seed_requesters()}
    for p in patients:
        assert (p.gp_hpr in hprs) if int(p.id[0]) < 4 else p.gp_hpr is None
