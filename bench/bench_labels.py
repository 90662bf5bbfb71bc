"""Benchmark: lay out and write ZPL for 1,000 labels. Budget: under 0.1 s.

    uv run python -m bench.bench_labels

Builds varied synthetic labels (names with æøå and ZPL characters, long names, different
numbers of analyses), then times `layout_label` + `to_zpl` for all of them at 203 dpi and
again at 300 dpi, best of 5 runs.
"""

from __future__ import annotations

import sys
import time

from printing.labels import LabelData
from printing.layout import LabelSize, layout_label
from printing.zpl import to_zpl

N = 1000
BUDGET_S = 0.1

FAMILIES = ["Nordmann", "Ødegård", "Ærøy-Åsheim", "O^Brien~Smith_Jones",
            "Wergeland-Kristoffersen Haugen-Østbø", "Li"]
GIVENS = ["Kari", "Åse Marie", "Émile Ünal", "Anne-Margrethe Kristine Elisabeth", "Bo"]
ANALYSES = ["CRP", "Ferritin", "TSH", "T4 fritt", "ALAT", "Kreatinin", "Vitamin B12", "Folat",
            "Hemoglobin", "HbA1c"]


def make_labels(n: int = N) -> list[LabelData]:
    return [
        LabelData(
            specimen_id=f"{2611000000 + i:010d}",
            family_name=FAMILIES[i % len(FAMILIES)],
            given_name=GIVENS[i % len(GIVENS)],
            person_id="14838540105",
            container_name="Serumrør med gel 5 ml",
            cap_colour="gul",
            material="Serum",
            min_volume_ml=4.5,
            handling=("kjøl", "lysbeskyttet", "sentrifuger innen 30 min")[: 1 + i % 3],
            requester_name="Lege Ola Testlege",
            requester_hpr="9144889",
            lab_short_name="TSH Med. biokjemi",
            analyses=tuple(ANALYSES[: 1 + i % len(ANALYSES)]),
            tube_number=1 + i % 5,
            tube_count=5,
        )
        for i in range(n)
    ]


def run(labels: list[LabelData], size: LabelSize) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for label in labels:
            to_zpl(layout_label(label, size))
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    labels = make_labels()
    worst = 0.0
    for dpi in (203, 300):
        elapsed = run(labels, LabelSize(dpi=dpi))
        worst = max(worst, elapsed)
        print(f"{N} labels at {dpi} dpi (layout + ZPL): {elapsed:.3f} s "
              f"({elapsed / N * 1e6:.0f} µs per label), budget {BUDGET_S} s")
    return 0 if worst < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
