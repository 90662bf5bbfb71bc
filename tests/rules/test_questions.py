"""Guided questions: conditions, cascade, shared keys, cleaning, validation and parsing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ihr.models import (
    AnswerType,
    Choice,
    CodeSystem,
    Discipline,
    EnableWhen,
    FieldProblem,
    Question,
    Service,
)
from ihr.rules.dates import BAD_DATE, BAD_DATETIME
from ihr.rules.questions import (
    clean_answers,
    enabled_questions,
    format_answer,
    is_enabled,
    parse_answer,
    questions_for,
    validate_answers,
)

FASTING = Question(key="fastende", text="Er pasienten fastende?", type=AnswerType.BOOLEAN, required=True)
PREGNANT = Question(
    key="gravid",
    text="Er pasienten gravid?",
    type=AnswerType.CHOICE,
    required=True,
    choices=[Choice(code="ja", display="Ja"), Choice(code="nei", display="Nei"), Choice(code="vet_ikke", display="Vet ikke")],
)
PREGNANCY_WEEK = Question(
    key="svangerskapsuke",
    text="Svangerskapsuke",
    type=AnswerType.INTEGER,
    required=True,
    unit="uker",
    min=1,
    max=45,
    enable_when=[EnableWhen(question="gravid", operator="=", answer="ja")],
)
DUE_DATE = Question(
    key="termin",
    text="Termindato",
    type=AnswerType.DATE,
    enable_when=[EnableWhen(question="svangerskapsuke", operator=">=", answer=12)],
)
LAST_DOSE = Question(
    key="siste_dose",
    text="Tidspunkt for siste dose",
    type=AnswerType.DATETIME,
    required=True,
    help="Speilprøve tas rett før neste dose",
)
CT_CONTRAST = Question(key="ct_kontrast", text="Skal det gis kontrast?", type=AnswerType.BOOLEAN, required=True)
KREATININ = Question(
    key="kreatinin",
    text="Siste kreatininverdi",
    type=AnswerType.DECIMAL,
    required=True,
    unit="µmol/L",
    min=10,
    max=2000,
    enable_when=[EnableWhen(question="ct_kontrast", operator="=", answer=True)],
)
KREATININ_DATE = Question(
    key="kreatinin_dato",
    text="Dato for kreatinin",
    type=AnswerType.DATE,
    required=True,
    enable_when=[EnableWhen(question="kreatinin", operator="exists", answer=True)],
)
PACEMAKER = Question(key="pacemaker", text="Har pasienten pacemaker?", type=AnswerType.BOOLEAN, required=True)
METAL = Question(key="metall", text="Har pasienten metall i kroppen?", type=AnswerType.BOOLEAN, required=True)
MR_DETAILS = Question(
    key="mr_detaljer",
    text="Beskriv pacemaker eller metall",
    type=AnswerType.TEXT,
    required=True,
    max_length=20,
    enable_when=[
        EnableWhen(question="pacemaker", operator="=", answer=True),
        EnableWhen(question="metall", operator="=", answer=True),
    ],
    enable_behavior="any",
)
WEIGHT = Question(key="vekt", text="Pasientens vekt", type=AnswerType.DECIMAL, unit="kg", min=20, max=150)


def svc(code: str, *questions: Question, discipline: Discipline = Discipline.LAB) -> Service:
    return Service(
        code=code, code_system=CodeSystem.NLK, name=code, discipline=discipline, short_name=code[:12],
        questions=list(questions),
    )


def test_shared_key_is_asked_once_first_wins_in_order() -> None:
    glucose = svc("P-Glukose", FASTING)
    lipids = svc("P-Kolesterol", FASTING.model_copy(update={"text": "Fastende?"}), PREGNANT)
    hcg = svc("S-hCG", PREGNANT, PREGNANCY_WEEK)
    qs = questions_for([glucose, lipids, hcg])
    assert [q.key for q in qs] == ["fastende", "gravid", "svangerskapsuke"]
    assert qs[0].text == "Er pasienten fastende?"
    assert questions_for([]) == []


def test_pregnancy_week_only_when_pregnant() -> None:
    qs = [PREGNANT, PREGNANCY_WEEK, DUE_DATE]
    keys = lambda answers: [q.key for q in enabled_questions(qs, answers)]  # noqa: E731
    assert keys({}) == ["gravid"]
    assert keys({"gravid": "nei"}) == ["gravid"]
    assert keys({"gravid": "ja"}) == ["gravid", "svangerskapsuke"]
    assert keys({"gravid": "ja", "svangerskapsuke": 11}) == ["gravid", "svangerskapsuke"]
    assert keys({"gravid": "ja", "svangerskapsuke": 12}) == ["gravid", "svangerskapsuke", "termin"]
    # Cascade: no longer pregnant -> the week is disabled -> the due date too, although the
    # week's stale answer (20) would satisfy its condition.
    assert keys({"gravid": "nei", "svangerskapsuke": 20, "termin": "2027-03-01"}) == ["gravid"]


def test_clean_answers_drops_disabled_unknown_and_blank() -> None:
    qs = [PREGNANT, PREGNANCY_WEEK, DUE_DATE, FASTING]
    answers = {"gravid": "nei", "svangerskapsuke": 20, "termin": "2027-03-01", "fastende": True,
               "ukjent": "x"}
    assert clean_answers(qs, answers) == {"gravid": "nei", "fastende": True}
    assert clean_answers(qs, {"gravid": "ja", "svangerskapsuke": 20, "fastende": "  "}) == {
        "gravid": "ja", "svangerskapsuke": 20}


def _q(operator: str, answer: object, t: AnswerType) -> tuple[Question, dict[str, Question]]:
    ctrl = Question(key="c", text="C", type=t)
    dep = Question(key="d", text="D", type=AnswerType.TEXT,
                   enable_when=[EnableWhen(question="c", operator=operator, answer=answer)])  # type: ignore[arg-type]
    return dep, {"c": ctrl, "d": dep}


@pytest.mark.parametrize(
    ("operator", "answer", "type_", "value", "expected"),
    [
        ("exists", True, AnswerType.TEXT, "noe", True),
        ("exists", True, AnswerType.TEXT, None, False),
        ("exists", True, AnswerType.TEXT, "   ", False),
        ("exists", False, AnswerType.TEXT, None, True),
        ("exists", False, AnswerType.TEXT, "noe", False),
        ("=", True, AnswerType.BOOLEAN, True, True),
        ("=", True, AnswerType.BOOLEAN, False, False),
        ("!=", "nei", AnswerType.CHOICE, "ja", True),
        ("!=", "nei", AnswerType.CHOICE, "nei", False),
        ("!=", "nei", AnswerType.CHOICE, None, True),  # FHIR: no answer is not equal either
        (">", 12, AnswerType.INTEGER, 13, True),
        (">", 12, AnswerType.INTEGER, 12, False),
        ("<", 12, AnswerType.INTEGER, 9, True),  # numeric, not "9" > "12" as strings
        ("<", 12, AnswerType.INTEGER, 12, False),
        (">=", 7.5, AnswerType.DECIMAL, 7.5, True),
        (">=", 7.5, AnswerType.DECIMAL, 7.4, False),
        ("<=", 7.5, AnswerType.DECIMAL, 7.5, True),
        ("<=", 7.5, AnswerType.DECIMAL, 10, False),
        ("=", 7, AnswerType.DECIMAL, 7.0, True),
        (">", "2026-01-31", AnswerType.DATE, "2026-02-01", True),
        (">", "2026-01-31", AnswerType.DATE, "2026-01-31", False),
        ("<", "2026-11-22T09:00", AnswerType.DATETIME, "2026-11-22T08:59", True),
        ("<", "2026-11-22T09:00", AnswerType.DATETIME, "2026-11-22T09:00", False),
        # 10:00 in Oslo (+01:00) is 09:00 UTC: equal, so not earlier.
        ("<", "2026-11-22T09:00+00:00", AnswerType.DATETIME, "2026-11-22T10:00+01:00", False),
        (">", 12, AnswerType.INTEGER, "ikke et tall", False),
    ],
)
def test_each_operator(operator: str, answer: object, type_: AnswerType, value: object, expected: bool) -> None:
    dep, by_key = _q(operator, answer, type_)
    answers = {} if value is None else {"c": value}
    assert is_enabled(dep, answers, by_key) is expected


def test_any_and_all() -> None:
    by_key = {q.key: q for q in (PACEMAKER, METAL, MR_DETAILS)}
    assert not is_enabled(MR_DETAILS, {"pacemaker": False, "metall": False}, by_key)
    assert is_enabled(MR_DETAILS, {"pacemaker": True, "metall": False}, by_key)
    assert is_enabled(MR_DETAILS, {"pacemaker": False, "metall": True}, by_key)
    both = MR_DETAILS.model_copy(update={"enable_behavior": "all"})
    assert not is_enabled(both, {"pacemaker": True, "metall": False}, by_key)
    assert is_enabled(both, {"pacemaker": True, "metall": True}, by_key)


def test_cycle_day_unless_post_menopausal() -> None:
    status = Question(key="menopausestatus", text="Menopausestatus", type=AnswerType.CHOICE,
                      choices=[Choice(code="pre", display="Før menopause"), Choice(code="post", display="Etter menopause")])
    day = Question(key="syklusdag", text="Syklusdag", type=AnswerType.INTEGER, min=1, max=60,
                   enable_when=[EnableWhen(question="menopausestatus", operator="!=", answer="post")])
    keys = lambda answers: [q.key for q in enabled_questions([status, day], answers)]  # noqa: E731
    assert keys({}) == ["menopausestatus", "syklusdag"]
    assert keys({"menopausestatus": "pre"}) == ["menopausestatus", "syklusdag"]
    assert keys({"menopausestatus": "post", "syklusdag": 14}) == ["menopausestatus"]
    assert clean_answers([status, day], {"menopausestatus": "post", "syklusdag": 14}) == {"menopausestatus": "post"}


@pytest.mark.parametrize(("operator", "answer"), [("exists", False), ("!=", "ja"), ("exists", True), ("=", "ja")])
def test_no_condition_holds_on_a_disabled_question(operator: str, answer: object) -> None:
    # gravid is only asked for women here; when it is disabled, a question depending on it
    # is disabled too, even for operators that an unanswered question would satisfy.
    sex = Question(key="kvinne", text="Kvinne?", type=AnswerType.BOOLEAN)
    pregnant = PREGNANT.model_copy(update={"enable_when": [EnableWhen(question="kvinne", operator="=", answer=True)]})
    dep = Question(key="dep", text="Avhengig", type=AnswerType.TEXT,
                   enable_when=[EnableWhen(question="gravid", operator=operator, answer=answer)])  # type: ignore[arg-type]
    qs = [sex, pregnant, dep]
    assert "dep" not in [q.key for q in enabled_questions(qs, {"kvinne": False, "gravid": "ja"})]
    # With "any", another condition that holds still enables it.
    either = dep.model_copy(update={"enable_when": [*dep.enable_when, EnableWhen(question="kvinne", operator="=", answer=False)],
                                    "enable_behavior": "any"})
    assert "dep" in [q.key for q in enabled_questions([sex, pregnant, either], {"kvinne": False})]


def test_condition_on_question_outside_the_basket_is_not_met() -> None:
    assert not is_enabled(PREGNANCY_WEEK, {"gravid": "ja"}, {"svangerskapsuke": PREGNANCY_WEEK})
    absent = Question(key="x", text="X", type=AnswerType.TEXT,
                      enable_when=[EnableWhen(question="mangler", operator="exists", answer=False)])
    assert not is_enabled(absent, {}, {"x": absent})


def test_cycle_is_disabled_not_infinite() -> None:
    a = Question(key="a", text="A", type=AnswerType.BOOLEAN, enable_when=[EnableWhen(question="b", operator="exists", answer=False)])
    b = Question(key="b", text="B", type=AnswerType.BOOLEAN, enable_when=[EnableWhen(question="a", operator="exists", answer=False)])
    c = Question(key="c", text="C", type=AnswerType.BOOLEAN)
    assert enabled_questions([a, b, c], {}) == [c]
    assert not is_enabled(a, {"b": True}, {"a": a, "b": b})


def test_kreatinin_before_ct_with_contrast() -> None:
    qs = [CT_CONTRAST, KREATININ, KREATININ_DATE]
    assert validate_answers(qs, {"ct_kontrast": False}) == []
    assert validate_answers(qs, {"ct_kontrast": True}) == [
        FieldProblem(path="answers.kreatinin", detail="Mangler svar: Siste kreatininverdi"),
    ]
    assert validate_answers(qs, {"ct_kontrast": True, "kreatinin": 85.0}) == [
        FieldProblem(path="answers.kreatinin_dato", detail="Mangler svar: Dato for kreatinin"),
    ]
    assert validate_answers(qs, {"ct_kontrast": True, "kreatinin": 5000, "kreatinin_dato": "2026-13-01"}) == [
        FieldProblem(path="answers.kreatinin", detail="Må være mellom 10 og 2000 µmol/L"),
        FieldProblem(path="answers.kreatinin_dato", detail="Ugyldig dato – skriv dd.mm.åååå"),
    ]
    # Contrast no longer given: the stale kreatinin answers are neither required nor checked.
    assert validate_answers(qs, {"ct_kontrast": False, "kreatinin": 5000, "kreatinin_dato": "x"}) == []


def test_validation_messages() -> None:
    qs = [FASTING, PREGNANT, WEIGHT, LAST_DOSE, MR_DETAILS, PACEMAKER]
    answers = {
        "fastende": "ja",
        "gravid": "kanskje",
        "vekt": 7.5,
        "siste_dose": "2026-11-22",
        "pacemaker": True,
        "mr_detaljer": "x" * 21,
    }
    assert {p.path: p.detail for p in validate_answers(qs, answers)} == {
        "answers.fastende": "Svaret må være ja eller nei",
        "answers.gravid": "Velg et av alternativene: Ja, Nei, Vet ikke",
        "answers.vekt": "Må være mellom 20 og 150 kg",
        "answers.siste_dose": "Ugyldig tidspunkt – skriv dd.mm.åååå tt:mm",
        "answers.mr_detaljer": "Svaret kan ha høyst 20 tegn",
    }
    assert validate_answers(qs, {"fastende": True, "gravid": "nei", "vekt": 80,
                                 "siste_dose": "2026-11-21T20:00", "pacemaker": False}) == []
    missing = validate_answers(qs, {})
    assert [p.detail for p in missing] == [
        "Mangler svar: Er pasienten fastende?",
        "Mangler svar: Er pasienten gravid?",
        "Mangler svar: Tidspunkt for siste dose",
        "Mangler svar: Har pasienten pacemaker?",
    ]


@pytest.mark.parametrize(
    ("question", "value", "detail"),
    [
        (PREGNANCY_WEEK.model_copy(update={"enable_when": []}), 7.5, "Svaret må være et heltall"),
        (PREGNANCY_WEEK.model_copy(update={"enable_when": []}), True, "Svaret må være et heltall"),
        (PREGNANCY_WEEK.model_copy(update={"enable_when": []}), 0, "Må være mellom 1 og 45 uker"),
        (WEIGHT, "80", "Svaret må være et tall"),
        (WEIGHT.model_copy(update={"max": None}), 10, "Må være minst 20 kg"),
        (WEIGHT.model_copy(update={"min": None, "max": 150.5}), 151, "Må være høyst 150,5 kg"),
        (DUE_DATE.model_copy(update={"enable_when": []}), "01.03.2027", "Ugyldig dato – skriv dd.mm.åååå"),
    ],
)
def test_type_and_bounds_problems(question: Question, value: object, detail: str) -> None:
    assert validate_answers([question], {question.key: value}) == [
        FieldProblem(path=f"answers.{question.key}", detail=detail)
    ]


@pytest.mark.parametrize(
    ("question", "text", "value"),
    [
        (FASTING, "ja", True), (FASTING, "J", True), (FASTING, " nei ", False), (FASTING, "n", False),
        (WEIGHT, "72,5", 72.5), (WEIGHT, "72.5", 72.5), (WEIGHT, "80", 80.0),
        (KREATININ, "1 200", 1200.0),
        (PREGNANCY_WEEK, "12", 12),
        (PREGNANT, "Ja", "ja"), (PREGNANT, "vet ikke", "vet_ikke"), (PREGNANT, "3", "vet_ikke"),
        (DUE_DATE, "01.03.2027", "2027-03-01"), (DUE_DATE, "1.3.2027", "2027-03-01"),
        (DUE_DATE, "2027-03-01", "2027-03-01"), (DUE_DATE, "01032027", "2027-03-01"),
        (LAST_DOSE, "21.11.2026 20:00", "2026-11-21T20:00"),
        (LAST_DOSE, "21.11.2026 kl. 8.30", "2026-11-21T08:30"),
        (LAST_DOSE, "2026-11-21T20:00", "2026-11-21T20:00"),
        (MR_DETAILS, "  Hofteprotese  ", "Hofteprotese"),
    ],
)
def test_parse_answer_norwegian_input(question: Question, text: str, value: object) -> None:
    parsed = parse_answer(question, text)
    assert parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize(
    ("question", "text", "message"),
    [
        (FASTING, "kanskje", "Svar ja eller nei"),
        (FASTING, "   ", "Skriv et svar"),
        (WEIGHT, "sytti", "Skriv et tall, for eksempel 7,5"),
        (WEIGHT, "7,5,1", "Skriv et tall, for eksempel 7,5"),
        (WEIGHT, "200", "Må være mellom 20 og 150 kg"),
        (PREGNANCY_WEEK, "12,5", "Skriv et heltall"),
        (PREGNANT, "4", "Velg et av alternativene: Ja, Nei, Vet ikke"),
        (DUE_DATE, "31.02.2027", BAD_DATE),
        (DUE_DATE, "1/3/2027", BAD_DATE),
        (LAST_DOSE, "21.11.2026", BAD_DATETIME),
        (LAST_DOSE, "21.11.2026 25:00", BAD_DATETIME),
        (MR_DETAILS, "x" * 21, "Svaret kan ha høyst 20 tegn"),
    ],
)
def test_parse_answer_errors(question: Question, text: str, message: str) -> None:
    with pytest.raises(ValueError) as exc:
        parse_answer(question, text)
    assert str(exc.value) == message


def test_parsed_answers_validate_and_format_back() -> None:
    qs = [FASTING, WEIGHT, DUE_DATE.model_copy(update={"enable_when": []}), LAST_DOSE, PREGNANT]
    typed = {"fastende": "j", "vekt": "72,5", "termin": "01.03.2027", "siste_dose": "21.11.2026 20:00", "gravid": "nei"}
    answers = {q.key: parse_answer(q, typed[q.key]) for q in qs}
    assert validate_answers(qs, answers) == []
    shown = {q.key: format_answer(q, answers[q.key]) for q in qs}
    assert shown == {"fastende": "Ja", "vekt": "72,5 kg", "termin": "01.03.2027",
                     "siste_dose": "21.11.2026 20:00", "gravid": "Nei"}


# ---- properties over random answer sets ---------------------------------------------------


ALL = [FASTING, PREGNANT, PREGNANCY_WEEK, DUE_DATE, LAST_DOSE, CT_CONTRAST, KREATININ, KREATININ_DATE,
       PACEMAKER, METAL, MR_DETAILS, WEIGHT]
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), st.floats(-5, 3000, allow_nan=False),
                   st.sampled_from(["ja", "nei", "vet_ikke", "", "  ", "2026-11-22", "2026-11-22T08:30", "tekst"]))


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from([q.key for q in ALL] + ["ukjent"]), VALUES))
def test_cleaning_keeps_exactly_the_enabled_answers(answers: dict[str, object]) -> None:
    cleaned = clean_answers(ALL, answers)  # type: ignore[arg-type]
    enabled = {q.key for q in enabled_questions(ALL, answers)}  # type: ignore[arg-type]
    assert set(cleaned) <= enabled
    assert all(cleaned[k] == answers[k] for k in cleaned)
    # Dropping what was ignored changes nothing: same questions enabled, same problems, stable.
    assert {q.key for q in enabled_questions(ALL, cleaned)} == enabled
    assert validate_answers(ALL, cleaned) == validate_answers(ALL, answers)  # type: ignore[arg-type]
    assert clean_answers(ALL, cleaned) == cleaned
    # A required, enabled question without a (non-blank) answer is always reported.
    missing = {p.path for p in validate_answers(ALL, answers) if p.detail.startswith("Mangler svar")}  # type: ignore[arg-type]
    assert missing == {f"answers.{q.key}" for q in ALL if q.key in enabled and q.required and q.key not in cleaned}
