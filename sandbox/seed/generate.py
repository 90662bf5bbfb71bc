"""A large, deterministic catalog for benchmarks: `big_catalog(10_000)`.

The seed catalog comes first; generated services fill it up to `n`. Generated services are
marked clearly: their codes start with "GEN-" (for example "GEN-NPU900123", "GEN-MB-00042",
"GEN-CT-00017"), their code system is LOKAL and their notes say they are generated. None of
them is a real NLK or NCRP code. Names, synonyms, abbreviations, specimens, questions,
containers and labs follow the seed catalog, so search, tube planning and question logic
see realistic shapes.
"""

from __future__ import annotations

import random

from ihr.models import Catalog, CodeSystem, Discipline, Service, SpecimenRequirement
from sandbox.seed import catalog as cat

GENERATED_NOTE = "Generert testdata for ytelsesmåling; ikke en ekte kode."

_ANALYTES = [
    "Kobber", "Sink", "Selen", "Mangan", "Bly", "Kvikksølv", "Kadmium", "Krom", "Kobolt",
    "Aluminium", "Jod", "Vitamin A", "Vitamin E", "Vitamin B1", "Vitamin B6", "Vitamin C",
    "Vitamin K1", "Karnitin", "Koenzym Q10", "Cystatin C", "Beta-2-mikroglobulin",
    "Haptoglobin", "Orosomukoid", "Ceruloplasmin", "Alfa-1-antitrypsin", "Komplement C3",
    "Komplement C4", "IgG", "IgA", "IgM", "IgE", "Kappa lette kjeder", "Lambda lette kjeder",
    "Troponin T", "Troponin I", "Myoglobin", "Prokalsitonin", "Interleukin-6", "Laktat",
    "Ammonium", "Osmolalitet", "Bikarbonat", "Aldosteron", "Renin", "DHEAS", "Androstendion",
    "17-OH-progesteron", "SHBG", "Progesteron", "AMH", "Inhibin B", "Kalsitonin", "PTH",
    "Tyreoglobulin", "Anti-TPO", "TRAS", "Gastrin", "Kromogranin A", "Insulin", "C-peptid",
    "Proinsulin", "GAD-antistoff", "Fruktosamin", "Lipase", "Kolinesterase",
    "Apolipoprotein A1", "Apolipoprotein B", "Lipoprotein(a)", "Gallesyrer", "Porfyriner",
    "Transglutaminase", "Deamidert gliadin", "ANA", "Anti-dsDNA", "ANCA", "Revmatoid faktor",
    "Anti-CCP", "Hemopeksin", "Erytropoietin", "Metanefrin", "Normetanefrin", "Serotonin",
    "5-HIAA", "Lamotrigin", "Levetiracetam", "Fenytoin", "Fenobarbital", "Topiramat",
    "Okskarbazepin", "Gabapentin", "Pregabalin", "Sertralin", "Escitalopram", "Citalopram",
    "Fluoksetin", "Venlafaksin", "Mirtazapin", "Olanzapin", "Kvetiapin", "Risperidon",
    "Aripiprazol", "Haloperidol", "Amitriptylin", "Nortriptylin", "Klomipramin", "Vankomycin",
    "Gentamicin", "Tobramycin", "Sirolimus", "Everolimus", "Ciklosporin", "Mykofenolat",
    "Metotreksat", "Paracetamol", "Salisylat", "Etanol", "Metanol", "Etylenglykol", "Oksalat",
    "Sitrat", "Cystin", "Hydroksyprolin", "Kreatin", "Pyruvat", "Ketonlegemer", "Fosfolipider",
    "Fibronektin", "Antitrombin", "Protein C", "Protein S", "Faktor VIII", "Faktor IX",
    "von Willebrand-faktor", "Anti-Xa", "Heparinantistoff", "Lupus antikoagulant",
]
_DRUGS_FROM = _ANALYTES.index("Lamotrigin")
_DRUGS_TO = _ANALYTES.index("Etylenglykol") + 1
_IMMUNO = {"Transglutaminase", "Deamidert gliadin", "ANA", "Anti-dsDNA", "ANCA", "Anti-CCP",
           "Anti-TPO", "TRAS", "GAD-antistoff", "Heparinantistoff", "Revmatoid faktor"}
_SUFFIXES_DRUG = ["", ", metabolitt", ", fritt", ", total"]
_SUFFIXES_IMMUNO = ["", " IgG", " IgA", " IgM", " antistoff"]
_SUFFIXES = ["", ", fritt", ", total", ", ratio", " indeks", ", aktivitet", ", fraksjon"]


def _suffixes(analyte: str, system: str) -> list[str]:
    if analyte in _IMMUNO:
        return _SUFFIXES_IMMUNO
    if _ANALYTES.index(analyte) in range(_DRUGS_FROM, _DRUGS_TO):
        return _SUFFIXES_DRUG
    return _SUFFIXES + [", døgnurin"] if system == "U" else _SUFFIXES

_METHODS = [", LC-MS/MS", ", immunkjemisk", ", HPLC", ", ICP-MS", ", beregnet", ", spesialanalyse"]
# name prefix -> the seed materials it may use
_SYSTEMS = {
    "P": ["Heparinplasma", "Serum", "EDTA-plasma", "Citratplasma"],
    "S": ["Serum"],
    "B": ["EDTA-blod"],
    "U": ["Urin"],
}

_ORGANISMS = [
    "Streptococcus pyogenes", "Staphylococcus aureus", "MRSA", "ESBL-produserende bakterier",
    "VRE", "Mycoplasma pneumoniae", "Bordetella pertussis", "Legionella", "Norovirus",
    "Rotavirus", "Adenovirus", "Enterovirus", "Herpes simplex virus 1/2", "Varicella-zostervirus",
    "Cytomegalovirus", "Epstein-Barr-virus", "Parvovirus B19", "Hepatitt A-virus",
    "Hepatitt C-virus", "Hepatitt E-virus", "Borrelia", "Toxoplasma gondii", "Giardia",
    "Cryptosporidium", "Clostridioides difficile", "Campylobacter", "Salmonella", "Shigella",
    "Yersinia", "Trichomonas vaginalis", "Mycoplasma genitalium", "Candida",
    "Dermatofytter", "Tuberkulose (M. tuberculosis-kompleks)", "Kikhoste", "Meslingvirus",
    "Kusmavirus", "Humant metapneumovirus", "Parainfluensavirus", "Rhinovirus",
]
_MICRO_MATERIALS = ["Urin", "Svelg", "Sår", "Nasofarynks", "Feces", "Serum", "Ekspektorat", "Cervix", "Hud", "Øye"]
_MICRO_METHODS = ["PCR", "dyrkning", "antigen", "resistensbestemmelse", "mikroskopi"]
_SEROLOGY_METHODS = ["antistoff IgG", "antistoff IgM", "antigen", "PCR"]
# material -> container of the seed specimen it uses
_MICRO_CONTAINER = {"Serum": cat.SST, "Urin": cat.STURIN}

_PATH_KINDS = ["Histologi", "Cytologi", "Immunhistokjemi", "Finnålsaspirasjon", "Molekylærpatologi"]
_ORGANS = [
    "hud", "lymfeknute", "mamma", "thyreoidea", "prostata", "ventrikkel", "duodenum", "colon",
    "rektum", "lever", "nyre", "urinblære", "cervix uteri", "endometrium", "ovarium", "lunge",
    "pleuravæske", "ascites", "bløtdel", "knokkel", "spyttkjertel", "øsofagus", "tynntarm",
]

_MODALITIES = {"Rtg": "RTG", "UL": "UL", "CT": "CT", "MR": "MR"}
_REGIONS = [
    "thorax", "abdomen", "bekken", "caput", "columna cervicalis", "columna thoracalis",
    "columna lumbalis", "skulder", "albue", "håndledd", "hånd", "hofte", "kne", "ankel", "fot",
    "lårben", "legg", "overarm", "underarm", "bihuler", "kjeve", "hals", "nyrer", "lever",
    "pancreas", "aorta", "carotis", "bekkenorganer", "scrotum", "sacroiliacaledd",
]
_SIDES = ["", " høyre", " venstre", " bilateral"]

_WEIGHTS = [(Discipline.LAB, 70), (Discipline.MICRO, 12), (Discipline.PATHOLOGY, 6), (Discipline.RADIOLOGY, 12)]


def _abbr(text: str) -> str:
    words = text.replace("-", " ").replace(",", " ").split()
    if len(words) > 1:
        return "".join(w[0] for w in words if w[0].isalnum()).lower()
    return text.lower()[:5]


def big_catalog(n: int = 10_000, seed: int = 1) -> Catalog:
    """The seed catalog filled up with generated services to exactly `n` services.

    Deterministic: the same `n` and `seed` give the same catalog (and version).
    """
    base = cat.seed_catalog()
    rng = random.Random(seed)
    services: list[Service] = list(base.services[:n])
    names = {s.name for s in services}

    by_material: dict[str, list[SpecimenRequirement]] = {}
    micro_specs: list[SpecimenRequirement] = []
    path_specs: list[SpecimenRequirement] = []
    lab_question_sets: list[list] = [[]]
    for s in base.services:
        if s.specimen is None:
            continue
        if s.discipline is Discipline.LAB:
            by_material.setdefault(s.specimen.material, []).append(s.specimen)
            if s.questions and s.questions not in lab_question_sets:
                lab_question_sets.append(s.questions)
        elif s.discipline is Discipline.MICRO:
            micro_specs.append(s.specimen)
        else:
            path_specs.append(s.specimen)
    systems = list(_SYSTEMS)

    disciplines = [d for d, _ in _WEIGHTS]
    weights = [w for _, w in _WEIGHTS]
    counters = {d: 0 for d in disciplines}

    def unique(name: str, extras: list[str]) -> str:
        if name not in names:
            return name
        for extra in extras:
            if name + extra not in names:
                return name + extra
        k = 2
        while f"{name} ({k})" in names:
            k += 1
        return f"{name} ({k})"

    while len(services) < n:
        disc = rng.choices(disciplines, weights)[0]
        counters[disc] += 1
        i = counters[disc]
        if disc is Discipline.LAB:
            system = rng.choice(systems)
            analyte = rng.choice(_ANALYTES)
            name = unique(f"{system}-{analyte}{rng.choice(_suffixes(analyte, system))}", _METHODS)
            material = rng.choice(_SYSTEMS[system])
            spec = rng.choice(by_material[material])
            code = f"GEN-{'NPU' if rng.random() < 0.8 else 'NOR'}9{i:05d}"
            questions = rng.choice(lab_question_sets) if rng.random() < 0.15 else []
            labs = cat.LABS_CHEM if rng.random() < 0.7 else [rng.choice(cat.LABS_CHEM)]
            svc = Service(
                code=code, code_system=CodeSystem.LOCAL, name=name, discipline=disc,
                short_name=analyte[:12], synonyms=[analyte], abbreviations=[_abbr(analyte)],
                labs=labs, specimen=spec, questions=questions, notes=GENERATED_NOTE,
                order_interval_days=rng.choice([None, None, None, 30, 90, 180]),
            )
        elif disc is Discipline.MICRO:
            organism = rng.choice(_ORGANISMS)
            material = rng.choice(_MICRO_MATERIALS)
            method = rng.choice(_SEROLOGY_METHODS if material == "Serum" else _MICRO_METHODS)
            container = _MICRO_CONTAINER.get(material, cat.PINNE)
            spec = rng.choice([sp for sp in micro_specs if sp.container == container])
            name = unique(f"{material}-{organism}, {method}", [", hurtigtest", ", utvidet", ", kontroll"])
            svc = Service(
                code=f"GEN-MB-{i:05d}", code_system=CodeSystem.LOCAL, name=name, discipline=disc,
                short_name=organism[:12], synonyms=[organism], abbreviations=[_abbr(organism)],
                labs=cat.LABS_MICRO, specimen=spec,
                questions=[cat.ANTIBIOTIKA, cat.SYMPTOMDEBUT] if rng.random() < 0.5 else [],
                notes=GENERATED_NOTE,
            )
        elif disc is Discipline.PATHOLOGY:
            kind = rng.choice(_PATH_KINDS)
            organ = rng.choice(_ORGANS)
            name = unique(f"{kind}, {organ}", [", snitt", ", tilleggsundersøkelse", ", revurdering"])
            svc = Service(
                code=f"GEN-PA-{i:05d}", code_system=CodeSystem.LOCAL, name=name, discipline=disc,
                short_name=f"{kind[:5]} {organ}"[:12], synonyms=[organ], abbreviations=[_abbr(kind)],
                labs=cat.LABS_PATH, specimen=rng.choice(path_specs),
                questions=[cat.LOKALISASJON, cat.KLINISKE_OPPL], notes=GENERATED_NOTE,
            )
        else:
            modality = rng.choice(list(_MODALITIES))
            region = rng.choice(_REGIONS)
            contrast = ""
            questions = [cat.PROBLEMSTILLING]
            if modality in ("CT", "MR"):
                contrast = rng.choice([" uten kontrast", " med kontrast", ""])
            if modality == "CT" and contrast == " med kontrast":
                questions += cat.CT_CONTRAST
            if modality == "MR":
                questions += cat.MR
            if region in ("abdomen", "bekken", "columna lumbalis", "bekkenorganer") and modality in ("Rtg", "CT"):
                questions += cat.PREGNANCY
            name = unique(f"{modality} {region}{rng.choice(_SIDES)}{contrast}", [", funksjonsopptak", ", kontroll", ", utvidet"])
            svc = Service(
                code=f"GEN-{_MODALITIES[modality]}-{i:05d}", code_system=CodeSystem.LOCAL, name=name,
                discipline=disc, short_name=f"{modality} {region}"[:12],
                synonyms=[f"{modality} {region}"], abbreviations=[modality.lower(), f"{modality.lower()} {region.split()[0]}"],
                labs=cat.LABS_RAD, specimen=None, questions=questions, notes=GENERATED_NOTE,
                requires_problemstilling=True,
            )
        names.add(svc.name)
        services.append(svc)

    return Catalog(
        version=f"bench-{n}-{seed}",
        services=services,
        containers=base.containers,
        labs=base.labs,
        groups=base.groups if n >= len(base.services) else [],
    )


__all__ = ["GENERATED_NOTE", "big_catalog"]
