"""Benchmark: catalog search per keystroke over a 10,000-service catalog.

    uv run python -m bench.bench_search [--services 10000] [--rounds 5]

Each query is typed one keystroke at a time ("c", "cr", "crp"), and every keystroke is one
timed `CatalogIndex.search` call. Each round builds a fresh index (cold caches), then types
every query of the list once, as a secretary would in one session: once over all
disciplines and once each filtered to klinisk kjemi and radiologi. Prints the index build
time and p50 / p95 / max per keystroke; the budget is p95 <= 5 ms.

Uses `sandbox.seed.generate.big_catalog(n)` when it exists; otherwise synthesises a
catalog here from realistic name parts.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from ihr.models import (
    Catalog,
    CodeSystem,
    ContainerType,
    Discipline,
    Lab,
    Service,
    SpecimenRequirement,
)
from ihr.rules.search import CatalogIndex

TYPED = [
    "c", "crp", "p-crp", "hb", "hba1c", "tsh", "t4", "ft4", "rtg t", "rtg thorax", "rtg kne",
    "ferr", "ferritin", "vit d", "vitamin b12", "kreatinin", "egfr", "glukose", "kalium",
    "natrium", "alat", "inr", "sr", "leukocytter", "trombocytter", "folat", "strimmel",
    "ct abdomen", "mr caput", "ul", "urin", "blodsukker", "langtidsblodsukker",
    "npu19748", "streptokokk", "klamydia", "psa", "hcg", "graviditetstest", "borrelia", "d-vitamin",
]


DISCIPLINES: list[Discipline | None] = [None, Discipline.LAB, Discipline.RADIOLOGY]


def synthetic_catalog(n: int, seed: int = 1) -> Catalog:
    """A catalog of `n` services built from realistic Norwegian name parts (fallback only)."""
    rng = random.Random(seed)
    systems = ["P", "S", "B", "U", "Pt", "fS"]
    analytes = [
        "CRP", "Glukose", "Ferritin", "TSH", "T4 fritt", "Kreatinin", "Kalium", "Natrium", "ALAT",
        "ASAT", "GT", "ALP", "Bilirubin", "Albumin", "Kolesterol", "HDL-kolesterol", "Triglyserider",
        "Vitamin B12", "Folat", "25-OH Vitamin D", "HbA1c", "Hemoglobin", "Leukocytter",
        "Trombocytter", "Kalsium", "Magnesium", "Fosfat", "Urat", "Urea", "Jern", "Transferrin",
        "Kobber", "Sink", "Selen", "Troponin T", "Litium", "Digoksin", "Prolaktin", "Kortisol",
    ]
    suffixes = ["", ", fritt", ", total", ", ratio", " indeks", ", aktivitet", ", LC-MS/MS", ", beregnet"]
    regions = ["thorax", "abdomen", "bekken", "caput", "kne", "hofte", "skulder", "ankel", "columna lumbalis"]
    modalities = ["Røntgen", "CT", "MR", "UL"]
    services: list[Service] = []
    for i in range(n):
        if i % 8 == 7:
            mod = rng.choice(modalities)
            name = f"{mod} {rng.choice(regions)}{rng.choice(['', ' høyre', ' venstre'])} #{i}"
            services.append(Service(code=f"GEN-RAD{i:05d}", code_system=CodeSystem.LOCAL, name=name,
                                    discipline=Discipline.RADIOLOGY, short_name=name[:12],
                                    abbreviations=[name.replace("Røntgen", "Rtg")] if mod == "Røntgen" else []))
            continue
        analyte = rng.choice(analytes) + rng.choice(suffixes)
        name = f"{rng.choice(systems)}-{analyte} #{i}"
        services.append(Service(
            code=f"GEN-NPU{i:06d}", code_system=CodeSystem.LOCAL, name=name, discipline=Discipline.LAB,
            short_name=analyte[:12], synonyms=[f"{analyte} variant {i % 97}"],
            specimen=SpecimenRequirement(material="Plasma", container="LIH", min_volume_ml=0.5),
        ))
    return Catalog(
        version=f"synthetic-{n}", services=services,
        containers=[ContainerType(code="LIH", name="Heparinrør", cap_colour="grønn", capacity_ml=4, order_of_draw=3)],
        labs=[Lab(her_id="1", name="Lab", short_name="Lab", discipline=Discipline.LAB, health_region="Helse Sør-Øst")],
    )


def load_catalog(n: int) -> tuple[Catalog, str]:
    try:
        from sandbox.seed.generate import big_catalog
    except ImportError:
        return synthetic_catalog(n), "synthesised in bench_search"
    return big_catalog(n), "sandbox.seed.generate.big_catalog"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    catalog, source = load_catalog(args.services)
    print(f"catalog: {len(catalog.services)} services ({source})")

    builds: list[float] = []
    per_key: dict[Discipline | None, list[tuple[float, str]]] = {d: [] for d in DISCIPLINES}
    for _ in range(args.rounds):
        for discipline in DISCIPLINES:
            t0 = time.perf_counter()
            index = CatalogIndex(catalog.services)
            builds.append(time.perf_counter() - t0)
            for query in TYPED:
                for i in range(1, len(query) + 1):
                    typed = query[:i]
                    t0 = time.perf_counter()
                    index.search(typed, discipline)
                    per_key[discipline].append((time.perf_counter() - t0, typed))

    print(f"index build: {statistics.median(builds) * 1000:.0f} ms (median of {len(builds)})")
    worst_p95 = 0.0
    for discipline, timings in per_key.items():
        ms = [t * 1000 for t, _ in timings]
        p95 = percentile(ms, 95)
        worst_p95 = max(worst_p95, p95)
        label = discipline.value if discipline else "alle fag"
        print(f"[{label}] {len(ms)} keystrokes ({len(TYPED)} queries x {args.rounds} rounds, fresh index per round): "
              f"p50 {percentile(ms, 50):.3f} ms  p95 {p95:.3f} ms  max {max(ms):.3f} ms")
        slowest = sorted(timings, reverse=True)[:3]
        print("    slowest: " + ", ".join(f"{q!r} {t * 1000:.2f} ms" for t, q in slowest))
    print("budget p95 <= 5 ms: " + ("ok" if worst_p95 <= 5 else "OVER BUDGET"))


if __name__ == "__main__":
    main()
