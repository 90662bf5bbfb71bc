"""The sandbox's regional catalog: a realistic Norwegian selection of services.

Plain data in tables, one line per service, turned into `ihr.models` objects by
`seed_catalog()`. Laboratory analyses carry NLK codes (NPU#####/NOR#####); codes that were
not confirmed against a public source are listed in `CHECK_CODES` and must be checked
against the NLK before anything real depends on them. Microbiology, pathology, blood-bank
services use the sandbox's LOCAL codes (code system LOKAL; sent as "Uspesifisert
laboratoriekodeverk" 8212): their NLK codes were not available. Imaging carries NCRP codes
where a public source confirms them; the rest keep a LOCAL code, listed in
`UNCONFIRMED_IMAGING`.

Handling values (stability, light protection, centrifugation) are typical of Norwegian
laboratory manuals; they vary between labs and are data, not rules.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from ihr.models import (
    AnswerType,
    Catalog,
    Choice,
    CodeSystem,
    ContainerType,
    Discipline,
    EnableWhen,
    Group,
    Handling,
    JournalSource,
    KithCoding,
    Lab,
    Question,
    QuestionRole,
    Service,
    SpecimenRequirement,
    TemperatureClass,
)
from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR

VERSION_PREFIX = "2026.11-sandbox"

ROOM, COOL, FROZEN = TemperatureClass.ROOM, TemperatureClass.COOL, TemperatureClass.FROZEN
LAB, MICRO, PATH, RAD = Discipline.LAB, Discipline.MICRO, Discipline.PATHOLOGY, Discipline.RADIOLOGY

# ---- NLK codes not confirmed ------------------------------------------------------------
# Found in no public source we could read; recalled, plausible, but *check* each against
# the NLK (ehelse.no / FinnKode) before use outside the sandbox.
CHECK_CODES: set[str] = {
    "NPU01960",  # B-Erytrocytter: a Danish script used both NPU01960 and NPU01961
    "NPU01961",  # B-EVF (hematokrit)
    "NPU01944",  # B-MCV
    "NPU02840",  # B-Monocytter
    "NPU01933",  # B-Eosinofile
    "NPU01349",  # B-Basofile
    "NPU03356",  # B-Retikulocytter (antallsfraksjon)
    "NPU19768",  # P-Fibrinogen
    "NPU19767",  # P-D-dimer: both NPU19767 and NPU28289 are in use
    "NPU04144",  # P-Kalsium, fritt (pH 7,4)
    "NPU03624",  # P-T3
    "NPU03625",  # P-T3 fritt
    "NPU57719",  # P-Amylase, pankreas (older NPU19653 may be what NLK lists)
    "NPU01951",  # S-hCG
    "NPU02509",  # P-LH
    "NPU02072",  # P-FSH
    "NPU01820",  # P-Østradiol
    "NPU03339",  # P-Prolaktin
    "NPU03562",  # P-Testosteron
    "NPU01675",  # S-Digoksin
    "NPU03967",  # S-Valproat
    "NPU01360",  # S-Karbamazepin
    "NPU03565",  # S-Teofyllin
    "NPU19710",  # B-Takrolimus
}

# ---- containers -------------------------------------------------------------------------

CIT, SST, SER, LHG, EDTA, SR = "CIT", "SST", "SER", "LHG", "EDTA", "SR"
URIN, STURIN, PINNE, FORMALIN, CYTO = "URIN", "STURIN", "PINNE", "FORMALIN", "CYTO"

_CONTAINERS = [
    # code      name                                         cap colour   ml    additive                          draw
    (CIT,      "Citratrør 2,7 ml",                           "lyseblå",   2.7,  "Natriumcitrat 3,2 %",             1),
    (SST,      "Serumrør med gel 5 ml",                      "gul",       5.0,  "Koagulasjonsaktivator og gel",    2),
    (SER,      "Serumrør uten gel 6 ml",                     "rød",       6.0,  "Koagulasjonsaktivator",           2),
    (LHG,      "Heparinrør med gel 4,5 ml",                  "grønn",     4.5,  "Litiumheparin og gel",            3),
    (EDTA,     "EDTA-rør 3 ml",                              "lilla",     3.0,  "K2-EDTA",                         4),
    (SR,       "SR-rør 1,6 ml",                              "svart",     1.6,  "Natriumcitrat 3,8 %",             5),
    (URIN,     "Urinrør 10 ml",                              "beige",    10.0,  None,                              9),
    (STURIN,   "Sterilt urinrør med borsyre 10 ml",          "grå",      10.0,  "Borsyre",                         9),
    (PINNE,    "Prøvetakingspinne med transportmedium",      "hvit",      1.0,  "Amies transportmedium",           9),
    (FORMALIN, "Prøveglass med formalin 20 ml",              "hvit",     20.0,  "Bufret formalin 4 %",             9),
    (CYTO,     "Væskebasert cytologiglass 20 ml",            "hvit",     20.0,  "Konserveringsvæske (ThinPrep)",   9),
]

# ---- labs -------------------------------------------------------------------------------
# HER-ids are invented 8-digit numbers starting with 99.

OUS_MB, AHUS_MIKRO, OUS_RAD, OUS_PAT = "99100101", "99100215", "99100329", "99100437"
STO_MB, STO_MIKRO, STO_RAD, STO_PAT = "99300117", "99300223", "99300331", "99300446"

_LABS = [
    # her_id      name                                                        short name              discipline  region
    (OUS_MB,     "Oslo universitetssykehus, Avdeling for medisinsk biokjemi", "OUS Med. biokjemi",    LAB,   "Helse Sør-Øst"),
    (AHUS_MIKRO, "Akershus universitetssykehus, Mikrobiologisk avdeling",     "Ahus Mikrobiologi",    MICRO, "Helse Sør-Øst"),
    (OUS_RAD,    "Oslo universitetssykehus, Radiologisk avdeling",            "OUS Radiologi",        RAD,   "Helse Sør-Øst"),
    (OUS_PAT,    "Oslo universitetssykehus, Avdeling for patologi",           "OUS Patologi",         PATH,  "Helse Sør-Øst"),
    (STO_MB,     "St. Olavs hospital, Avdeling for medisinsk biokjemi",       "St. Olav Med. biokjemi", LAB, "Helse Midt-Norge"),
    (STO_MIKRO,  "St. Olavs hospital, Avdeling for medisinsk mikrobiologi",   "St. Olav Mikrobiologi", MICRO, "Helse Midt-Norge"),
    (STO_RAD,    "St. Olavs hospital, Klinikk for bildediagnostikk",          "St. Olav Radiologi",   RAD,   "Helse Midt-Norge"),
    (STO_PAT,    "St. Olavs hospital, Avdeling for patologi",                 "St. Olav Patologi",    PATH,  "Helse Midt-Norge"),
]

LABS_CHEM = [OUS_MB, STO_MB]
LABS_MICRO = [AHUS_MIKRO, STO_MIKRO]
LABS_PATH = [STO_PAT, OUS_PAT]
LABS_RAD = [STO_RAD, OUS_RAD]

# ---- where a journal keeps the answers (FHIR codes, see ihr.rules.journal) --------------
LOINC, NLK_URI, ATC = "http://loinc.org", "urn:oid:2.16.578.1.12.4.1.1.7280", "http://www.whocc.no/atc"
EGFR_CODES = [f"{LOINC}|62238-1", f"{LOINC}|98979-8", f"{LOINC}|33914-3", f"{NLK_URI}|NOR25909"]
EGFR_MAX_AGE_DAYS = 92  # kidney function before intravenous contrast: at most three months old
FROM_JOURNAL_EGFR = JournalSource(resource="Observation", codes=EGFR_CODES, max_age_days=EGFR_MAX_AGE_DAYS)
FROM_JOURNAL_EGFR_DATE = JournalSource(
    resource="Observation", codes=EGFR_CODES, take="date", max_age_days=EGFR_MAX_AGE_DAYS
)
FROM_JOURNAL_PREGNANT = JournalSource(resource="Observation", codes=[f"{LOINC}|82810-3"], max_age_days=14)
FROM_JOURNAL_LMP = JournalSource(resource="Observation", codes=[f"{LOINC}|8665-2"], max_age_days=60)
FROM_JOURNAL_METFORMIN = JournalSource(resource="MedicationStatement", codes=[f"{ATC}|A10BA02"], take="in_use")
# every medication in use (lithium, anticoagulants, ...), by name; an empty ATC code matches all
FROM_JOURNAL_MEDICATION = JournalSource(resource="MedicationStatement", codes=[f"{ATC}|"], take="names")

# ---- guided questions -------------------------------------------------------------------
# Stable keys: the same key means the same question, asked once per order.

FASTENDE = Question(
    key="fastende", text="Er pasienten fastende?", type=AnswerType.BOOLEAN,
    help="Fastende: ingen mat eller drikke unntatt vann siste 8 timer.",
)
GRAVID = Question(key="gravid", text="Er pasienten gravid?", type=AnswerType.BOOLEAN, journal=FROM_JOURNAL_PREGNANT)
SVANGERSKAPSUKE = Question(
    key="svangerskapsuke", text="Svangerskapsuke", type=AnswerType.INTEGER, required=True,
    unit="uker", min=1, max=45,
    enable_when=[EnableWhen(question="gravid", operator="=", answer=True)],
)
TERMINDATO = Question(
    key="termindato", text="Termindato etter ultralyd", type=AnswerType.DATE,
    help="Fylles ut når termin er fastsatt ved ultralyd (fra uke 18).",
    enable_when=[EnableWhen(question="svangerskapsuke", operator=">=", answer=18)],
)
SISTE_DOSE_TID = Question(
    key="siste_dose_tid", text="Tidspunkt for siste dose", type=AnswerType.DATETIME, required=True,
    help="Bunnverdi: prøven tas rett før neste dose.",
)
DOSE = Question(
    key="dose_mg", text="Døgndose", type=AnswerType.DECIMAL, unit="mg", min=0, max=5000,
)
DOSE_ENDRET = Question(
    key="dose_endret", text="Er dosen endret siste 5 døgn?", type=AnswerType.BOOLEAN,
    enable_when=[EnableWhen(question="dose_mg", operator=">", answer=0)],
)
SISTE_EGFR = Question(
    key="siste_egfr", text="Siste eGFR", type=AnswerType.DECIMAL, required=True,
    unit="ml/min/1,73m²", min=5, max=150,
    help="Nyrefunksjon må være kjent før intravenøs kontrast.", journal=FROM_JOURNAL_EGFR,
)
SISTE_EGFR_DATO = Question(
    key="siste_egfr_dato", text="Dato for siste eGFR", type=AnswerType.DATE, required=True,
    enable_when=[EnableWhen(question="siste_egfr", operator="exists", answer=True)],
    journal=FROM_JOURNAL_EGFR_DATE,
)
EGFR_TILTAK = Question(
    key="egfr_tiltak", text="eGFR under 30: beskriv tiltak (hydrering, alternativ undersøkelse)",
    type=AnswerType.TEXT, required=True, max_length=500,
    enable_when=[EnableWhen(question="siste_egfr", operator="<", answer=30)],
)
METFORMIN = Question(
    key="bruker_metformin", text="Bruker pasienten metformin?", type=AnswerType.BOOLEAN,
    enable_when=[EnableWhen(question="siste_egfr", operator="<=", answer=45)],
    journal=FROM_JOURNAL_METFORMIN,
)
KONTRASTALLERGI = Question(
    key="kontrastallergi", text="Tidligere reaksjon på kontrastmiddel?", type=AnswerType.BOOLEAN,
)
# MR safety questions (HIS 1175 6.6): each answer travels as a Volven code, 8210 MR
# contraindications (yes and no both coded) or 8209 MR information (coded when yes).
PACEMAKER = Question(
    key="pacemaker", text="Har pasienten pacemaker eller ICD?", type=AnswerType.BOOLEAN, required=True,
    kith=KithCoding(code_list="8210", if_yes="PAC", if_no="NOPAC"),
)
KARKLIPS = Question(
    key="intrakranielle_klips", text="Har pasienten klips etter operasjon på blodårer i hodet?",
    type=AnswerType.BOOLEAN, required=True,
    kith=KithCoding(code_list="8210", if_yes="IVK", if_no="NOIVK"),
)
METALL_OYE = Question(
    key="metall_i_oye", text="Har pasienten fått metallsplint i øyet?", type=AnswerType.BOOLEAN, required=True,
    kith=KithCoding(code_list="8210", if_yes="MEY", if_no="NOMEY"),
)
COCHLEA = Question(
    key="cochleaimplantat", text="Har pasienten cochleaimplantat?", type=AnswerType.BOOLEAN, required=True,
    kith=KithCoding(code_list="8210", if_yes="COC", if_no="NOCOC"),
)
NEVROSTIMULATOR = Question(
    key="nevrostimulator", text="Har pasienten nevrostimulator?", type=AnswerType.BOOLEAN, required=True,
    kith=KithCoding(code_list="8210", if_yes="NEV", if_no="NONEV"),
)
METALLIMPLANTAT = Question(
    key="metallimplantat", text="Har pasienten annet implantat av metall (protese, skinne, skruer)?",
    type=AnswerType.BOOLEAN, required=True,
    kith=KithCoding(code_list="8210", if_yes="ANN"),
)
INSULINPUMPE = Question(
    key="insulinpumpe", text="Har pasienten insulin- eller morfinpumpe?", type=AnswerType.BOOLEAN,
    kith=KithCoding(code_list="8209", if_yes="INS"),
)
IMPLANTAT_BESKRIVELSE = Question(
    key="implantat_beskrivelse", text="Beskriv implantatet (type, produsent, år)",
    type=AnswerType.TEXT, required=True, max_length=500,
    enable_when=[
        EnableWhen(question="pacemaker", operator="=", answer=True),
        EnableWhen(question="nevrostimulator", operator="=", answer=True),
        EnableWhen(question="cochleaimplantat", operator="=", answer=True),
        EnableWhen(question="metallimplantat", operator="=", answer=True),
    ],
    enable_behavior="any",
)
KLAUSTROFOBI = Question(
    key="klaustrofobi", text="Har pasienten klaustrofobi?", type=AnswerType.BOOLEAN,
    kith=KithCoding(code_list="8209", if_yes="KLA"),
)
MENOPAUSESTATUS = Question(
    key="menopausestatus", text="Menopausestatus", type=AnswerType.CHOICE,
    choices=[
        Choice(code="pre", display="Før menopause"),
        Choice(code="post", display="Etter menopause"),
        Choice(code="ukjent", display="Ukjent / ikke aktuelt"),
    ],
)
SYKLUSDAG = Question(
    key="syklusdag", text="Syklusdag (dag 1 = første blødningsdag)", type=AnswerType.INTEGER,
    min=1, max=60,
    enable_when=[EnableWhen(question="menopausestatus", operator="!=", answer="post")],
)
FASTE_MEDISINER = Question(
    key="faste_medisiner", text="Faste medisiner", type=AnswerType.TEXT, max_length=500,
    journal=FROM_JOURNAL_MEDICATION,
)
PROVETAKINGSSTED = Question(
    key="provetakingssted", text="Prøvetakingssted", type=AnswerType.CHOICE, required=True,
    choices=[
        Choice(code="urin", display="Førstestråleurin"),
        Choice(code="cervix", display="Cervix"),
        Choice(code="vagina", display="Vagina (selvtatt)"),
        Choice(code="urethra", display="Urethra"),
        Choice(code="rektum", display="Rektum"),
        Choice(code="svelg", display="Svelg"),
    ],
)
PSA_INDIKASJON = Question(
    key="psa_indikasjon", text="Indikasjon", type=AnswerType.CHOICE, required=True,
    choices=[
        Choice(code="symptomer", display="Utredning av symptomer"),
        Choice(code="kontroll", display="Kontroll etter behandling"),
        Choice(code="oppfolging", display="Oppfølging av tidligere forhøyet verdi"),
        Choice(code="onske", display="Pasientens ønske, uten symptomer"),
    ],
)
ANTIBIOTIKA = Question(
    key="antibiotika", text="Pågående eller nylig antibiotikabehandling (preparat)",
    type=AnswerType.TEXT, max_length=200,
)
SYMPTOMDEBUT = Question(
    key="symptomdebut", text="Dato for symptomdebut", type=AnswerType.DATE,
)
UTENLANDSOPPHOLD = Question(
    key="utenlandsopphold", text="Utenlandsopphold siste 3 måneder?", type=AnswerType.BOOLEAN,
)
LOKALISASJON = Question(
    key="lokalisasjon", text="Lokalisasjon (side, sted)", type=AnswerType.TEXT, required=True,
    max_length=200,
)
KLINISKE_OPPL = Question(
    key="kliniske_opplysninger", text="Kliniske opplysninger og spørsmål til patolog",
    type=AnswerType.TEXT, required=True, max_length=500,
)
SISTE_MENS = Question(
    key="siste_menstruasjon", text="Første dag i siste menstruasjon", type=AnswerType.DATE,
    journal=FROM_JOURNAL_LMP,
)
PROBLEMSTILLING = Question(
    key="problemstilling", text="Problemstilling", type=AnswerType.TEXT, required=True,
    max_length=500, help="Klinisk spørsmål som undersøkelsen skal besvare.",
    role=QuestionRole.PROBLEM_STATEMENT,
)

PREGNANCY = [GRAVID, SVANGERSKAPSUKE]
DRUG = [SISTE_DOSE_TID, DOSE, DOSE_ENDRET]
HORMONE = [MENOPAUSESTATUS, SYKLUSDAG]
CT_CONTRAST = [SISTE_EGFR, SISTE_EGFR_DATO, EGFR_TILTAK, METFORMIN, KONTRASTALLERGI]
# NCRP specification of contrast-enhanced CT, from HIS 1175 6.3.
IV_CONTRAST = ("ZTX0EA", "Intravenøs kontrast")

MR = [
    PACEMAKER, KARKLIPS, METALL_OYE, COCHLEA, NEVROSTIMULATOR, METALLIMPLANTAT, IMPLANTAT_BESKRIVELSE,
    INSULINPUMPE, KLAUSTROFOBI,
]

# ---- patient preparation and notes ------------------------------------------------------

FASTING = "Fastende fra kl. 22 kvelden før (vann er tillatt)."
TROUGH = "Bunnverdi: prøven tas rett før neste dose, og minst 5 døgn etter doseendring."
LITHIUM = "Prøven tas 12 timer (±30 min) etter siste kveldsdose, før morgendosen."
MORNING = "Prøven tas mellom kl. 07 og 09."

# ---- specimen presets -------------------------------------------------------------------
# preset: (material, container)
_MATERIAL = {
    "hep": ("Heparinplasma", LHG),
    "serum": ("Serum", SST),
    "ser": ("Serum", SER),
    "edta": ("EDTA-blod", EDTA),
    "edtap": ("EDTA-plasma", EDTA),
    "cit": ("Citratplasma", CIT),
    "sr": ("Citratblod", SR),
    "urin": ("Urin", URIN),
}

# ---- laboratory analyses (klinisk kjemi, hematologi, koagulasjon, hormoner, legemidler, urin)
# Columns: code, name, short name, preset, min ml, temperature, stability hours, extras.
# Extras keys: light, centr (minutes), sep (own tube), prep, q (questions), interval (days),
# sex, min_age, max_age, syn (synonyms), abbr (abbreviations), labs, notes, hnotes,
# descr (Volven 8202 type of requisition when not the discipline's, e.g. CYTO).

_H = "hnotes"

LAB_ANALYSES: list[tuple] = [
    # hematologi
    ("NOR05172", "B-Hemoglobin",           "Hb",          "edta", 0.5, ROOM, 24,  dict(syn=["Blodprosent"], abbr=["hb", "hgb"])),
    ("NPU02593", "B-Leukocytter",          "LPK",         "edta", 0.5, ROOM, 24,  dict(syn=["Hvite blodlegemer"], abbr=["lpk", "lkc"])),
    ("NPU03568", "B-Trombocytter",         "TPK",         "edta", 0.5, ROOM, 24,  dict(syn=["Blodplater"], abbr=["tpk", "trc"])),
    ("NPU01960", "B-Erytrocytter",         "EPK",         "edta", 0.5, ROOM, 24,  dict(syn=["Røde blodlegemer"], abbr=["epk"])),
    ("NPU01961", "B-EVF",                  "EVF",         "edta", 0.5, ROOM, 24,  dict(syn=["Hematokrit"], abbr=["evf", "hct"])),
    ("NPU01944", "B-MCV",                  "MCV",         "edta", 0.5, ROOM, 24,  dict(syn=["Midlere cellevolum"], abbr=["mcv"])),
    ("NPU02902", "B-Nøytrofile granulocytter", "Nøytrofile", "edta", 0.5, ROOM, 24, dict(syn=["Leukocytt differensialtelling"], abbr=["neu", "diff"])),
    ("NPU02636", "B-Lymfocytter",          "Lymfocytter", "edta", 0.5, ROOM, 24,  dict(syn=["Leukocytt differensialtelling"], abbr=["lym", "diff"])),
    ("NPU02840", "B-Monocytter",           "Monocytter",  "edta", 0.5, ROOM, 24,  dict(syn=["Leukocytt differensialtelling"], abbr=["mono", "diff"])),
    ("NPU01933", "B-Eosinofile granulocytter", "Eosinofile", "edta", 0.5, ROOM, 24, dict(syn=["Leukocytt differensialtelling"], abbr=["eos", "diff"])),
    ("NPU01349", "B-Basofile granulocytter", "Basofile",  "edta", 0.5, ROOM, 24,  dict(syn=["Leukocytt differensialtelling"], abbr=["baso", "diff"])),
    ("NPU26631", "B-Myelocytter",          "Myelocytter", "edta", 0.5, ROOM, 24,  dict(syn=["Leukocytt differensialtelling", "Umodne granulocytter"], abbr=["myelo", "diff"], notes="Rapporteres ved mikroskopi av blodutstryk.")),
    ("NPU03356", "B-Retikulocytter",       "Retikulocytt", "edta", 0.5, ROOM, 24, dict(abbr=["retic", "rtc"])),
    ("NPU27300", "B-HbA1c",                "HbA1c",       "edta", 0.5, ROOM, 72,  dict(syn=["Glykert hemoglobin", "Langtidsblodsukker"], abbr=["a1c", "hba1c"], interval=60)),
    ("NPU03404", "B-SR",                   "SR",          "sr",   1.6, ROOM, 4,   dict(syn=["Senkningsreaksjon", "Senkning"], abbr=["sr", "esr"], hnotes="Røret fylles til merket og vendes 8 ganger.")),
    # elektrolytter og nyrefunksjon
    ("NPU03230", "P-Kalium",               "Kalium",      "hep",  0.5, ROOM, 24,  dict(centr=60, abbr=["k"], hnotes="Sentrifugeres innen 60 min. Ikke kjøl før sentrifugering (falsk høy kalium).")),
    ("NPU03429", "P-Natrium",              "Natrium",     "hep",  0.5, ROOM, 72,  dict(abbr=["na"])),
    ("NPU01536", "P-Klorid",               "Klorid",      "hep",  0.5, ROOM, 72,  dict(abbr=["cl"])),
    ("NPU18016", "P-Kreatinin",            "Kreatinin",   "hep",  0.5, ROOM, 72,  dict(syn=["Nyrefunksjon"], abbr=["krea"])),
    ("NOR25909", "P-eGFR (CKD-EPI)",       "eGFR",        "hep",  0.5, ROOM, 72,  dict(syn=["Estimert glomerulær filtrasjonsrate", "Nyrefunksjon"], abbr=["egfr", "gfr"], min_age=18, notes="Beregnes fra P-Kreatinin, alder og kjønn.")),
    ("NPU01459", "P-Karbamid",             "Karbamid",    "hep",  0.5, ROOM, 72,  dict(syn=["Urea"], abbr=["urea"])),
    ("NPU01443", "P-Kalsium",              "Kalsium",     "hep",  0.5, ROOM, 72,  dict(abbr=["ca"])),
    ("NPU04144", "P-Kalsium, fritt (pH 7,4)", "Ca fritt", "hep",  1.0, ROOM, 4,   dict(sep=True, syn=["Ionisert kalsium"], abbr=["ca++", "ica"], hnotes="Fylt rør uten luft, eget rør. Ikke åpne før analyse.")),
    ("NPU02647", "P-Magnesium",            "Magnesium",   "hep",  0.5, ROOM, 72,  dict(abbr=["mg"])),
    ("NPU03096", "P-Fosfat",               "Fosfat",      "hep",  0.5, ROOM, 24,  dict(centr=120, abbr=["fosfat", "po4"])),
    ("NPU09356", "P-Urat",                 "Urat",        "hep",  0.5, ROOM, 72,  dict(syn=["Urinsyre"], abbr=["urat"])),
    ("NPU03278", "P-Protein",              "Protein",     "hep",  0.5, ROOM, 72,  dict(syn=["Totalprotein"], abbr=["prot"])),
    ("NPU19673", "P-Albumin",              "Albumin",     "hep",  0.5, ROOM, 72,  dict(abbr=["alb"])),
    # glukose og lipider
    ("NPU02192", "P-Glukose",              "Glukose",     "hep",  0.5, ROOM, 24,  dict(centr=30, prep=FASTING, q=[FASTENDE], syn=["Blodsukker"], abbr=["glu", "bs"], hnotes="Rør uten fluorid: sentrifugeres innen 30 min.")),
    ("NPU01566", "P-Kolesterol",           "Kolesterol",  "hep",  0.5, ROOM, 72,  dict(prep=FASTING, q=[FASTENDE], syn=["Totalkolesterol", "Lipidstatus"], abbr=["kol", "chol"], interval=90)),
    ("NPU01567", "P-HDL-kolesterol",       "HDL",         "hep",  0.5, ROOM, 72,  dict(prep=FASTING, q=[FASTENDE], syn=["Lipidstatus"], abbr=["hdl"], interval=90)),
    ("NPU01568", "P-LDL-kolesterol",       "LDL",         "hep",  0.5, ROOM, 72,  dict(prep=FASTING, q=[FASTENDE], syn=["Lipidstatus"], abbr=["ldl"], interval=90)),
    ("NPU04094", "P-Triglyserid",          "Triglyserid", "hep",  0.5, ROOM, 72,  dict(prep=FASTING, q=[FASTENDE], syn=["Lipidstatus"], abbr=["tg"], interval=90)),
    # lever, bukspytt, muskel
    ("NPU19651", "P-ALAT",                 "ALAT",        "hep",  0.5, ROOM, 72,  dict(syn=["Leverprøve", "ALT"], abbr=["alat", "alt"])),
    ("NPU19654", "P-ASAT",                 "ASAT",        "hep",  0.5, ROOM, 24,  dict(syn=["Leverprøve", "AST"], abbr=["asat", "ast"], hnotes="Hemolyse gir falskt forhøyet verdi.")),
    ("NPU19657", "P-GT",                   "GT",          "hep",  0.5, ROOM, 72,  dict(syn=["Gamma-GT", "Leverprøve"], abbr=["ggt", "gt"])),
    ("NPU27783", "P-ALP",                  "ALP",         "hep",  0.5, ROOM, 72,  dict(syn=["Alkalisk fosfatase", "Leverprøve"], abbr=["alp"])),
    ("NPU01370", "P-Bilirubin",            "Bilirubin",   "hep",  0.5, ROOM, 24,  dict(light=True, syn=["Leverprøve"], abbr=["bili"], hnotes="Beskyttes mot lys.")),
    ("NPU19658", "P-LD",                   "LD",          "hep",  0.5, ROOM, 24,  dict(syn=["Laktatdehydrogenase"], abbr=["ld", "ldh"], hnotes="Skal ikke kjøles; hemolyse gir falskt høy verdi.")),
    ("NPU19656", "P-CK",                   "CK",          "hep",  0.5, ROOM, 72,  dict(syn=["Kreatinkinase"], abbr=["ck"])),
    ("NPU53974", "P-Amylase",              "Amylase tot", "hep",  0.5, ROOM, 72,  dict(syn=["Totalamylase"], abbr=["amy"], labs=[STO_MB])),
    ("NPU57719", "P-Amylase, pankreas",    "Amylase",     "hep",  0.5, ROOM, 72,  dict(syn=["Pankreasamylase"], abbr=["amy"])),
    # inflammasjon, hjerte, tumormarkører
    ("NPU19748", "P-CRP",                  "CRP",         "hep",  0.5, ROOM, 72,  dict(syn=["C-reaktivt protein", "Infeksjonsprøve"], abbr=["crp"])),
    ("NPU21571", "P-NT-proBNP",            "NT-proBNP",   "hep",  0.5, ROOM, 72,  dict(syn=["Hjertesvikt"], abbr=["bnp", "ntprobnp"])),
    ("NPU08669", "P-PSA",                  "PSA",         "serum", 1.0, ROOM, 24, dict(sex="M", min_age=18, interval=180, q=[PSA_INDIKASJON], syn=["Prostataspesifikt antigen"], abbr=["psa"], prep="Prøven tas før rektal eksplorasjon eller minst 2 døgn etter.")),
    ("NPU19719", "P-CEA",                  "CEA",         "serum", 1.0, ROOM, 72, dict(syn=["Karsinoembryonalt antigen", "Tumormarkør"], abbr=["cea"])),
    ("NPU01448", "S-CA 125",               "CA 125",      "serum", 1.0, ROOM, 72, dict(sex="K", syn=["Tumormarkør"], abbr=["ca125"])),
    # jern, vitaminer
    # *check* B12 and folate: which labs ask for light protection (recalled, not confirmed)
    ("NPU19763", "P-Ferritin",             "Ferritin",    "serum", 0.5, ROOM, 72, dict(syn=["Jernlager"], abbr=["ferr"], interval=30)),
    ("NPU02508", "P-Jern",                 "Jern",        "serum", 0.5, ROOM, 72, dict(prep="Prøven tas om morgenen, fastende.", q=[FASTENDE], syn=["Jernstatus"], abbr=["fe"])),
    ("NPU03607", "P-Transferrin",          "Transferrin", "serum", 0.5, ROOM, 72, dict(syn=["Jernstatus"], abbr=["tf"])),
    ("NPU01700", "P-Vitamin B12",          "B12",         "serum", 1.0, ROOM, 48, dict(light=True, syn=["Kobalamin"], abbr=["b12", "kobalamin"], interval=90, hnotes="Lysbeskyttes ved noen laboratorier.")),
    ("NPU02070", "P-Folat",                "Folat",       "serum", 1.0, ROOM, 24, dict(light=True, syn=["Folsyre"], abbr=["folat"], interval=90, hnotes="Lysbeskyttes ved noen laboratorier.")),
    ("NPU10267", "P-25-OH Vitamin D",      "Vitamin D",   "serum", 1.0, ROOM, 72, dict(syn=["D-vitamin", "Kalsidiol"], abbr=["vitd", "25ohd"], interval=90)),
    ("NPU02780", "P-Metylmalonat",         "MMA",         "serum", 1.0, ROOM, 72, dict(syn=["Metylmalonsyre"], abbr=["mma"], labs=[OUS_MB])),
    ("NPU04073", "P-Homocystein",          "Homocystein", "edtap", 1.0, COOL, 4,  dict(centr=60, q=[FASTENDE], prep=FASTING, abbr=["hcy"], hnotes="Settes på is/kjøl og sentrifugeres innen 60 min.")),
    # stoffskifte og hormoner
    ("NPU03577", "P-TSH",                  "TSH",         "serum", 0.5, ROOM, 72, dict(syn=["Stoffskifte", "Tyreoideastimulerende hormon"], abbr=["tsh"], interval=42)),
    ("NPU03579", "P-T4 fritt",             "FT4",         "serum", 0.5, ROOM, 72, dict(syn=["Stoffskifte", "Fritt tyroksin"], abbr=["ft4", "t4"])),
    ("NPU03625", "P-T3 fritt",             "FT3",         "serum", 0.5, ROOM, 72, dict(syn=["Stoffskifte", "Fritt trijodtyronin"], abbr=["ft3"])),
    ("NPU03624", "P-T3",                   "T3",          "serum", 0.5, ROOM, 72, dict(syn=["Trijodtyronin"], abbr=["t3"])),
    ("NPU01951", "S-hCG",                  "hCG",         "serum", 1.0, ROOM, 72, dict(sex="K", min_age=10, max_age=60, q=PREGNANCY + [TERMINDATO, SISTE_MENS], syn=["Graviditetstest", "Choriongonadotropin"], abbr=["hcg"])),
    ("NPU02509", "P-LH",                   "LH",          "serum", 1.0, ROOM, 72, dict(q=HORMONE, syn=["Luteiniserende hormon"], abbr=["lh"])),
    ("NPU02072", "P-FSH",                  "FSH",         "serum", 1.0, ROOM, 72, dict(q=HORMONE, syn=["Follikkelstimulerende hormon"], abbr=["fsh"])),
    ("NPU01820", "P-Østradiol",            "Østradiol",   "serum", 1.0, ROOM, 72, dict(q=HORMONE, syn=["Østrogen", "Estradiol"], abbr=["e2"])),
    ("NPU03339", "P-Prolaktin",            "Prolaktin",   "serum", 1.0, ROOM, 72, dict(q=HORMONE, prep="Hvile 20 min før prøvetaking, tas om morgenen.", abbr=["prl"])),
    ("NPU03562", "P-Testosteron",          "Testosteron", "serum", 1.0, ROOM, 72, dict(prep=MORNING, q=[FASTE_MEDISINER], abbr=["testo"])),
    ("NPU01787", "P-Kortisol",             "Kortisol",    "serum", 1.0, ROOM, 72, dict(prep=MORNING, q=[FASTE_MEDISINER], abbr=["kort"], notes="Oppgi prøvetakingstidspunkt; døgnvariasjon.")),
    ("NPU19744", "P-ACTH",                 "ACTH",        "edtap", 1.0, COOL, 2,  dict(sep=True, centr=30, prep=MORNING, abbr=["acth"], labs=[OUS_MB], hnotes="Forkjølt EDTA-rør på is, eget rør; sentrifugeres kaldt innen 30 min og fryses.")),
    ("NPU19829", "P-IGF-1",                "IGF-1",       "serum", 1.0, ROOM, 24, dict(syn=["Somatomedin C"], abbr=["igf1"], labs=[OUS_MB])),
    # koagulasjon
    ("NPU01685", "P-INR",                  "INR",         "cit",  2.7, ROOM, 24,  dict(sep=True, q=[FASTE_MEDISINER], syn=["Protrombintid", "Marevankontroll"], abbr=["inr", "pt"], hnotes="Eget citratrør, fylles til merket. Vendes forsiktig 4 ganger.")),
    ("NPU01682", "P-APTT",                 "APTT",        "cit",  2.7, ROOM, 4,   dict(centr=60, q=[FASTE_MEDISINER], syn=["Aktivert partiell tromboplastintid"], abbr=["aptt"], hnotes="Fylles til merket; analyseres innen 4 timer.")),
    ("NPU19767", "P-D-dimer",              "D-dimer",     "cit",  2.7, ROOM, 8,   dict(syn=["Fibrinnedbrytningsprodukt"], abbr=["ddimer", "dd"])),
    ("NPU19768", "P-Fibrinogen",           "Fibrinogen",  "cit",  2.7, ROOM, 8,   dict(abbr=["fib"])),
    # legemiddelmonitorering (bunnverdier)
    ("NPU02613", "S-Litium",               "Litium",      "ser",  1.0, ROOM, 72, dict(prep=LITHIUM, q=DRUG, syn=["Lithium"], abbr=["li"], hnotes="Serumrør uten gel.")),
    ("NPU01675", "S-Digoksin",             "Digoksin",    "ser",  1.0, ROOM, 72, dict(prep="Prøven tas minst 8 timer etter siste dose.", q=DRUG, abbr=["dig"])),
    ("NPU03967", "S-Valproat",             "Valproat",    "ser",  1.0, ROOM, 72, dict(prep=TROUGH, q=DRUG, syn=["Valproinsyre", "Orfiril"], abbr=["vpa"])),
    ("NPU01360", "S-Karbamazepin",         "Karbamazepin", "ser", 1.0, ROOM, 72, dict(prep=TROUGH, q=DRUG, syn=["Tegretol"], abbr=["cbz"])),
    ("NPU03565", "S-Teofyllin",            "Teofyllin",   "ser",  1.0, ROOM, 72, dict(prep=TROUGH, q=DRUG, abbr=["teo"])),
    ("NPU04114", "S-Klozapin",             "Klozapin",    "ser",  1.0, ROOM, 72, dict(prep=TROUGH, q=DRUG, syn=["Leponex"], abbr=["kloz"], labs=[STO_MB])),
    ("NPU19710", "B-Takrolimus",           "Takrolimus",  "edta", 1.0, COOL, 168, dict(prep="Bunnverdi: 12 timer etter siste dose, rett før neste.", q=DRUG, syn=["Prograf"], abbr=["tac"], labs=[OUS_MB])),
    # urin
    ("NPU14924", "U-Strimmeltest",         "U-strimmel",  "urin", 5.0, COOL, 4,   dict(syn=["Urinstiks", "Urinstrimmel"], abbr=["ustix", "strimmel"], prep="Midtstrømsurin, helst morgenurin.")),
    ("NPU19661", "U-Albumin/kreatinin-ratio", "U-ACR",    "urin", 5.0, COOL, 168, dict(syn=["Mikroalbuminuri", "ACR"], abbr=["acr", "ualb"], prep="Morgenurin.", interval=90)),
]

# Blood bank: a local code, since the NLK code of the combined order was not confirmed.
BLOOD_BANK: list[tuple] = [
    ("LOK-BB-BTAS", "B-Blodtype og antistoffscreening", "Blodtype", "edta", 3.0, COOL, 72,
     dict(sep=True, q=PREGNANCY, syn=["Blodtypebestemmelse", "ABO RhD", "Screening irregulære antistoffer"],
          abbr=["btype", "abs"], hnotes="Eget EDTA-rør, merkes ved pasienten (ID-kontroll).")),
]

# ---- mikrobiologi og patologi -----------------------------------------------------------
# Columns: code, name, short name, discipline, material, container, min ml, temperature,
# stability hours, extras (same keys as above).

MICRO_PATH: list[tuple] = [
    ("LOK-MB-URIN",   "U-Dyrkning og resistens",                "Urindyrkning", MICRO, "Urin", STURIN, 5.0, COOL, 48, dict(sep=True, q=[ANTIBIOTIKA, GRAVID, SVANGERSKAPSUKE], syn=["Urinkultur", "UVI"], abbr=["urindyrk", "ud"], prep="Midtstrømsurin, helst morgenurin som har stått minst 4 timer i blæra.")),
    ("LOK-MB-STREP",  "Svelg-Streptokokk gruppe A, dyrkning",   "Strep A",      MICRO, "Svelgsekret", PINNE, 0, ROOM, 48, dict(sep=True, q=[ANTIBIOTIKA, SYMPTOMDEBUT], syn=["Halsprøve", "Halsbetennelse"], abbr=["strep", "gas"])),
    ("LOK-MB-CTNG",   "Chlamydia trachomatis og Neisseria gonorrhoeae, PCR", "CT/NG PCR", MICRO, "Urin/sekret", PINNE, 0, ROOM, 168, dict(sep=True, q=[PROVETAKINGSSTED], syn=["Klamydia", "Gonoré"], abbr=["ctng", "klamydia"], prep="Førstestråleurin: ikke latt vannet siste time.")),
    ("LOK-MB-FAECES", "F-Dyrkning, tarmpatogene bakterier",     "Feces dyrk",   MICRO, "Feces", PINNE, 0, COOL, 72, dict(sep=True, q=[UTENLANDSOPPHOLD, SYMPTOMDEBUT, ANTIBIOTIKA], syn=["Avføringsprøve", "Diaré"], abbr=["fecesdyrk"])),
    ("LOK-MB-RESP",   "Luftveisvirus PCR (SARS-CoV-2, influensa A/B, RSV)", "Luftveis PCR", MICRO, "Nasofarynkssekret", PINNE, 0, COOL, 72, dict(sep=True, q=[SYMPTOMDEBUT], syn=["Koronatest", "Influensatest"], abbr=["covid", "influensa", "rsv"])),
    ("LOK-MB-RUB",    "S-Rubellavirus IgG",                     "Rubella IgG",  MICRO, "Serum", SST, 1.0, COOL, 168, dict(q=PREGNANCY, syn=["Røde hunder", "Svangerskapsserologi"], abbr=["rubella"])),
    ("LOK-MB-HBSAG",  "S-Hepatitt B overflateantigen (HBsAg)",  "HBsAg",        MICRO, "Serum", SST, 1.0, COOL, 168, dict(q=PREGNANCY, syn=["Hepatitt B", "Svangerskapsserologi"], abbr=["hbsag"])),
    ("LOK-MB-HIV",    "S-HIV-1/2 antistoff og p24-antigen",     "HIV",          MICRO, "Serum", SST, 1.0, COOL, 168, dict(q=PREGNANCY, syn=["HIV-test", "Svangerskapsserologi"], abbr=["hiv"])),
    ("LOK-MB-SYF",    "S-Treponema pallidum antistoff",         "Syfilis",      MICRO, "Serum", SST, 1.0, COOL, 168, dict(q=PREGNANCY, syn=["Syfilis", "Svangerskapsserologi"], abbr=["tpha", "syfilis"])),
    ("LOK-MB-HPYL",   "F-Helicobacter pylori antigen",          "H. pylori",    MICRO, "Feces", PINNE, 0, COOL, 72, dict(sep=True, q=[FASTE_MEDISINER], syn=["Magesår"], abbr=["hp"], prep="Protonpumpehemmer seponeres 2 uker før prøven.")),
    ("LOK-PA-CYT",    "Cervixcytologi (væskebasert)",           "Cervixcyto",   PATH, "Cervixcytologi", CYTO, 0, ROOM, 504, dict(sep=True, sex="K", min_age=25, max_age=69, q=[SISTE_MENS, GRAVID, SVANGERSKAPSUKE, KLINISKE_OPPL], descr="CYTO", syn=["Celleprøve", "Livmorhalsprøve", "PAP"], abbr=["cyto", "pap"])),
    ("LOK-PA-HPV",    "Cervix-HPV-test",                        "HPV",          PATH, "Cervixcytologi", CYTO, 0, ROOM, 504, dict(sep=True, sex="K", min_age=25, max_age=69, q=[SISTE_MENS, KLINISKE_OPPL], descr="CYTO", syn=["Humant papillomavirus", "Livmorhalsprøve"], abbr=["hpv"])),
    ("LOK-PA-HIST",   "Histologi, biopsi",                      "Biopsi",       PATH, "Vevsbiopsi", FORMALIN, 0, ROOM, 720, dict(sep=True, q=[LOKALISASJON, KLINISKE_OPPL], syn=["Vevsprøve"], abbr=["hist", "biopsi"], hnotes="Formalinmengde minst 10 ganger vevets volum.")),
    ("LOK-PA-HUD",    "Hudbiopsi",                              "Hudbiopsi",    PATH, "Vevsbiopsi", FORMALIN, 0, ROOM, 720, dict(sep=True, q=[LOKALISASJON, KLINISKE_OPPL], syn=["Føflekk", "Stansebiopsi"], abbr=["hud"], hnotes="Én beholder per lokalisasjon.")),
]

# ---- radiologi --------------------------------------------------------------------------
# Columns: code, name, short name, abbreviations, synonyms, extra questions.

IMAGING: list[tuple] = [
    # Columns: code, name, short name, abbreviations, synonyms, extra questions, 8202 modality,
    # NCRP specification (code, text) or None. NCRP codes where a public source confirms them;
    # LOK- codes are in UNCONFIRMED_IMAGING and travel as text (HIS 1175 6.3).
    ("SSC0AA",       "Rtg thorax",                 "Rtg thorax",  ["rtg thorax", "rtg", "thx"],  ["Lungebilde", "Røntgen lunger", "Rtg toraks"], [], "RTG", None),
    ("LOK-RTG-KNE",  "Rtg kne",                    "Rtg kne",     ["rtg kne", "rtg"],            ["Røntgen kne"], [], "RTG", None),
    ("LOK-RTG-HOFT", "Rtg hofte",                  "Rtg hofte",   ["rtg hofte", "rtg"],          ["Røntgen hofte"], [], "RTG", None),
    ("LOK-RTG-BEK",  "Rtg bekken",                 "Rtg bekken",  ["rtg bekken", "rtg"],         ["Røntgen bekken"], PREGNANCY, "RTG", None),
    ("SNA0GA",       "Rtg columna lumbosakral",    "Rtg LS",      ["rtg ls", "rtg rygg", "rtg"], ["Røntgen korsrygg", "Rtg columna lumbalis"], PREGNANCY, "RTG", None),
    ("LOK-RTG-CS",   "Rtg columna cervicalis",     "Rtg CS",      ["rtg cs", "rtg nakke", "rtg"], ["Røntgen nakke"], [], "RTG", None),
    ("LOK-RTG-SKU",  "Rtg skulder",                "Rtg skulder", ["rtg skulder", "rtg"],        ["Røntgen skulder"], [], "RTG", None),
    ("LOK-RTG-HAN",  "Rtg hånd",                   "Rtg hånd",    ["rtg hånd", "rtg"],           ["Røntgen hånd"], [], "RTG", None),
    ("LOK-RTG-ANK",  "Rtg ankel",                  "Rtg ankel",   ["rtg ankel", "rtg"],          ["Røntgen ankel"], [], "RTG", None),
    ("LOK-UL-ABD",   "UL abdomen",                 "UL abdomen",  ["ul abdomen", "ul"],          ["Ultralyd buk"], [], "UL", None),
    ("LOK-UL-URIN",  "UL urinveier",               "UL urinveier", ["ul nyrer", "ul"],           ["Ultralyd nyrer og blære"], [], "UL", None),
    ("LOK-UL-HALS",  "UL hals og thyreoidea",      "UL hals",     ["ul thyreoidea", "ul"],       ["Ultralyd skjoldbruskkjertel"], [], "UL", None),
    ("LOK-UL-DVT",   "UL vener underekstremitet",  "UL DVT",      ["ul dvt", "ul"],              ["Blodpropp i leggen"], [], "UL", None),
    ("SAA0AD",       "CT caput uten kontrast",     "CT caput",    ["ct caput", "ct hode", "ct"], ["CT hode"], [], "CT", None),
    ("SSD0AD",       "CT abdomen med kontrast",    "CT abd k+",   ["ct abdomen", "ct"],          ["CT buk"], CT_CONTRAST + PREGNANCY, "CT", IV_CONTRAST),
    ("SSL0AD",       "CT abdomen og bekken med kontrast", "CT abd+bek", ["ct abdomen bekken", "ct"], ["CT buk og bekken"], CT_CONTRAST + PREGNANCY, "CT", IV_CONTRAST),
    ("SSC0AD",       "CT thorax med kontrast",     "CT thx k+",   ["ct thorax", "ct"],           ["CT lunger", "CT toraks"], CT_CONTRAST, "CT", IV_CONTRAST),
    ("SNG0AG",       "MR kne",                     "MR kne",      ["mr kne", "mr"],              ["MR menisk"], MR, "MR", None),
    ("SNA0GG",       "MR columna lumbosakral",     "MR LS",       ["mr ls", "mr rygg", "mr"],    ["MR korsrygg", "Prolaps", "MR columna lumbalis"], MR, "MR", None),
    ("SNA0AG",       "MR columna cervicalis",      "MR CS",       ["mr cs", "mr nakke", "mr"],   ["MR nakke"], MR, "MR", None),
    ("SAA0AG",       "MR caput",                   "MR caput",    ["mr caput", "mr hode", "mr"], ["MR hjerne"], MR, "MR", None),
    ("SNB0BG",       "MR skulder",                 "MR skulder",  ["mr skulder", "mr"],          ["MR rotatormansjett"], MR, "MR", None),
    ("LOK-MAMMO",    "Mammografi",                 "Mammografi",  ["mammo", "mammografi"],       ["Klinisk mammografi", "Brystundersøkelse"], [], "MA", None),
]

# Imaging examinations whose NCRP code no public source we could read confirms: they keep a
# local code and go to the lab as text in NCRP (Investigation/Id S=NCRP OT=<name>). *Check*
# each against the NCRP (FinnKode) before anything real depends on them.
UNCONFIRMED_IMAGING: set[str] = {row[0] for row in IMAGING if row[0].startswith("LOK-")}

# ---- groups -----------------------------------------------------------------------------

_GROUP_TIME = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)

GROUPS: list[tuple[str, str, list[str], str | None]] = [
    # id, name, service codes, owner (None = the office's group)
    ("grp-svangerskap-1", "Svangerskap 1. kontroll", [
        "NOR05172", "NPU19763", "NPU02192", "NPU27300", "LOK-BB-BTAS", "LOK-MB-RUB", "LOK-MB-HBSAG",
        "LOK-MB-HIV", "LOK-MB-SYF", "NPU14924", "LOK-MB-URIN", "NPU03577"], None),
    ("grp-diabetes-arskontroll", "Diabetes årskontroll", [
        "NPU27300", "NPU18016", "NOR25909", "NPU01566", "NPU01567", "NPU01568", "NPU04094",
        "NPU19661", "NPU19651", "NPU03230"], None),
    ("grp-stoffskifte", "Stoffskifte", ["NPU03577", "NPU03579"], None),
    ("grp-tretthet", "Tretthet", [
        "NOR05172", "NPU03404", "NPU19748", "NPU19763", "NPU03577", "NPU02192", "NPU01700",
        "NPU02070", "NPU10267", "NPU19651", "NPU18016"], None),
    ("grp-lever", "Leverprøver", [
        "NPU19651", "NPU19654", "NPU19657", "NPU27783", "NPU01370", "NPU19673", "NPU01685"], None),
    ("grp-for-ct-kontrast", "Blodprøver før CT med kontrast", ["NPU18016", "NOR25909"], None),
    ("grp-anemi", "Anemiutredning", [
        "NOR05172", "NPU01944", "NPU03356", "NPU19763", "NPU02508", "NPU03607", "NPU01700",
        "NPU02070", "NPU19748"], None),
    ("grp-litium-personlig", "Mine litiumkontroller", [
        "NPU02613", "NPU18016", "NOR25909", "NPU03429", "NPU01443", "NPU03577"], DEMO_REQUESTER_HPR),
]


def seed_groups() -> list[Group]:
    return [
        Group(
            id=gid,
            name=name,
            service_codes=codes,
            scope="personal" if owner else "office",
            office_her_id=DEMO_OFFICE_HER_ID,
            owner_hpr=owner,
            updated_at=_GROUP_TIME,
        )
        for gid, name, codes, owner in GROUPS
    ]


# ---- building -------------------------------------------------------------------------

def seed_containers() -> list[ContainerType]:
    return [
        ContainerType(code=c, name=n, cap_colour=col, capacity_ml=ml, additive=add, order_of_draw=d)
        for c, n, col, ml, add, d in _CONTAINERS
    ]


def seed_labs() -> list[Lab]:
    return [
        Lab(her_id=h, name=n, short_name=s, discipline=d, health_region=r)
        for h, n, s, d, r in _LABS
    ]


def _service(code, system, name, discipline, short, material, container, ml, temp, stab, x, default_labs):
    handling = Handling(
        temperature=temp,
        stability_hours=stab,
        light_protected=x.get("light", False),
        centrifuge_within_minutes=x.get("centr"),
        notes=x.get(_H),
    )
    return Service(
        code=code,
        code_system=system,
        name=name,
        discipline=discipline,
        short_name=short,
        synonyms=x.get("syn", []),
        abbreviations=x.get("abbr", []),
        labs=x.get("labs", default_labs),
        specimen=SpecimenRequirement(
            material=material, container=container, min_volume_ml=ml, handling=handling,
            separate_tube=x.get("sep", False),
        ),
        questions=x.get("q", []),
        preparation=x.get("prep"),
        notes=x.get("notes"),
        order_interval_days=x.get("interval"),
        sex=x.get("sex"),
        min_age_years=x.get("min_age"),
        max_age_years=x.get("max_age"),
        msg_descr=x.get("descr"),
    )


def seed_services() -> list[Service]:
    out: list[Service] = []
    for code, name, short, preset, ml, temp, stab, x in LAB_ANALYSES:
        material, container = _MATERIAL[preset]
        out.append(_service(code, CodeSystem.NLK, name, LAB, short, material, container, ml, temp, stab, x, LABS_CHEM))
    for code, name, short, preset, ml, temp, stab, x in BLOOD_BANK:
        material, container = _MATERIAL[preset]
        out.append(_service(code, CodeSystem.LOCAL, name, LAB, short, material, container, ml, temp, stab, x, LABS_CHEM))
    for code, name, short, disc, material, container, ml, temp, stab, x in MICRO_PATH:
        labs = LABS_MICRO if disc == MICRO else LABS_PATH
        out.append(_service(code, CodeSystem.LOCAL, name, disc, short, material, container, ml, temp, stab, x, labs))
    for code, name, short, abbr, syn, qs, modality, spec in IMAGING:
        out.append(
            Service(
                code=code,
                code_system=CodeSystem.LOCAL if code in UNCONFIRMED_IMAGING else CodeSystem.NCRP,
                name=name,
                discipline=RAD,
                short_name=short,
                synonyms=syn,
                abbreviations=abbr,
                labs=LABS_RAD,
                specimen=None,
                questions=[PROBLEMSTILLING, *qs],
                notes="Lokal sandkassekode; NCRP-koden er ikke bekreftet." if code in UNCONFIRMED_IMAGING else None,
                requires_problemstilling=True,
                msg_descr=modality,
                ncrp_spec=spec,
            )
        )
    return out


def seed_catalog() -> Catalog:
    """The sandbox catalog; `version` is a content hash, so it changes when the data does."""
    draft = Catalog(
        version=VERSION_PREFIX,
        services=seed_services(),
        containers=seed_containers(),
        labs=seed_labs(),
        groups=seed_groups(),
    )
    digest = hashlib.sha256(draft.model_dump_json().encode()).hexdigest()[:12]
    return draft.model_copy(update={"version": f"{VERSION_PREFIX}+{digest}"})


__all__ = ["CHECK_CODES", "UNCONFIRMED_IMAGING", "seed_catalog", "seed_containers", "seed_groups", "seed_labs", "seed_services"]
