"""Tube planning: never over capacity, never mixing, every service once, order of draw, determinism."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from ihr.models import (
    Catalog,
    CodeSystem,
    ContainerType,
    Discipline,
    Handling,
    PlannedTube,
    Service,
    SpecimenRequirement,
    TemperatureClass,
)
from ihr.rules.tubes import is_oversize, numbered, open_tubes, plan_tubes

from .conftest import LAB_AHUS, LAB_OUS, RAD_OUS


def test_a_diabetes_and_thyroid_basket(catalog: Catalog) -> None:
    codes = ["NPU19748", "NPU02192", "NPU19763", "NPU03577", "NPU27300", "NOR05172", "NPU01685",
             "NPU03230", "NPU10267", "RTG0001", "NPU19748"]
    items = [(catalog.service(c), RAD_OUS if c.startswith("RTG") else LAB_OUS) for c in codes]
    tubes = plan_tubes(items, catalog)
    summary = [(t.container, t.service_codes, t.volume_ml) for t in tubes]
    assert summary == [
        ("CIT", ["NPU01685"], 2.7),  # INR: citrate first, a tube of its own
        # CRP, glukose, ferritin, TSH and vitamin D share; vitamin D makes the tube light-protected
        ("LIH", ["NPU02192", "NPU03577", "NPU10267", "NPU19748", "NPU19763"], 3.0),
        ("LIH", ["NPU03230"], 0.5),  # kalium: centrifuge within 60 min, not with the others
        ("EDTA", ["NOR05172", "NPU27300"], 1.0),
    ]
    assert [t.order_of_draw for t in tubes] == [1, 3, 3, 4]
    assert tubes[1].light_protected and not tubes[2].light_protected
    assert tubes[2].centrifuge_within_minutes == 60


def test_two_labs_two_tubes_and_imaging_none(catalog: Catalog) -> None:
    crp, glu, rtg = (catalog.service(c) for c in ("NPU19748", "NPU02192", "RTG0001"))
    tubes = plan_tubes([(crp, LAB_OUS), (glu, LAB_AHUS), (rtg, RAD_OUS)], catalog)
    assert [(t.lab_her_id, t.service_codes) for t in tubes] == [(LAB_OUS, ["NPU19748"]), (LAB_AHUS, ["NPU02192"])]
    assert plan_tubes([(rtg, RAD_OUS)], catalog) == []


def test_oversize_service_gets_one_flagged_tube(catalog: Catalog) -> None:
    big = catalog.service("NPU19748").model_copy(
        update={"code": "X1", "specimen": catalog.service("NPU19748").specimen.model_copy(update={"min_volume_ml": 6.0})}  # type: ignore[union-attr]
    )
    tubes = plan_tubes([(big, LAB_OUS), (catalog.service("NPU19748"), LAB_OUS)], catalog)
    assert [(t.service_codes, t.volume_ml) for t in tubes] == [(["NPU19748"], 0.5), (["X1"], 6.0)]
    assert [is_oversize(t, catalog) for t in tubes] == [False, True]


# ---- properties over generated catalogs ---------------------------------------------------

MATERIALS = ["Plasma", "Serum", "EDTA-blod"]
LABS = ["L1", "L2"]


@st.composite
def baskets(draw: st.DrawFn) -> tuple[Catalog, list[tuple[Service, str]]]:
    n_containers = draw(st.integers(1, 4))
    containers = [
        ContainerType(code=f"C{i}", name=f"Rør {i}", cap_colour="gul",
                      capacity_ml=draw(st.sampled_from([1.0, 2.7, 4.0, 5.0, 10.0])),
                      order_of_draw=draw(st.integers(1, 9)))
        for i in range(n_containers)
    ]
    services = []
    for i in range(draw(st.integers(0, 14))):
        if draw(st.integers(0, 9)) == 0:
            services.append(Service(code=f"R{i:02d}", code_system=CodeSystem.LOCAL, name=f"Rtg {i}",
                                    discipline=Discipline.RADIOLOGY, short_name=f"Rtg {i}"))
            continue
        services.append(Service(
            code=f"S{i:02d}", code_system=CodeSystem.NLK, name=f"P-Analyse {i}", discipline=Discipline.LAB,
            short_name=f"A{i}",
            specimen=SpecimenRequirement(
                material=draw(st.sampled_from(MATERIALS)),
                container=f"C{draw(st.integers(0, n_containers - 1))}",
                min_volume_ml=draw(st.sampled_from([0.1, 0.2, 0.3, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 6.0, 12.0])),
                separate_tube=draw(st.integers(0, 7)) == 0,
                handling=Handling(
                    temperature=draw(st.sampled_from(list(TemperatureClass))),
                    light_protected=draw(st.integers(0, 5)) == 0,
                    centrifuge_within_minutes=draw(st.sampled_from([None, None, None, 30, 60])),
                ),
            ),
        ))
    items = [(s, draw(st.sampled_from(LABS))) for s in services]
    items += draw(st.lists(st.sampled_from(items), max_size=3)) if items else []  # the same line twice
    catalog = Catalog(version="h", services=services, containers=containers, labs=[])
    return catalog, items


def _check_plan(catalog: Catalog, items: list[tuple[Service, str]], tubes: list[PlannedTube]) -> None:
    by_code = {s.code: s for s, _ in items}
    expected = Counter(set((s.code, lab) for s, lab in items if s.specimen))
    planned = Counter((code, t.lab_her_id) for t in tubes for code in t.service_codes)
    assert planned == expected  # every service with a specimen exactly once (per lab)

    for t in tubes:
        capacity = catalog.container(t.container).capacity_ml
        members = [by_code[c] for c in t.service_codes]
        for s in members:
            spec = s.specimen
            assert spec is not None
            assert (spec.material, spec.container, spec.handling.temperature, spec.handling.centrifuge_within_minutes) == (
                t.material, t.container, t.temperature, t.centrifuge_within_minutes)
            if spec.separate_tube:
                assert t.service_codes == [s.code]
        # The tube is light-protected exactly when one of its services must be.
        assert t.light_protected == any(s.specimen.handling.light_protected for s in members)  # type: ignore[union-attr]
        assert abs(t.volume_ml - sum(s.specimen.min_volume_ml for s in members)) < 1e-6  # type: ignore[union-attr]
        assert t.order_of_draw == catalog.container(t.container).order_of_draw
        if t.volume_ml > capacity + 1e-9:  # the documented oversize case: one service alone
            assert len(members) == 1 and members[0].specimen.min_volume_ml > capacity  # type: ignore[union-attr]
            assert is_oversize(t, catalog)
        else:
            assert not is_oversize(t, catalog)

    assert [t.order_of_draw for t in tubes] == sorted(t.order_of_draw for t in tubes)

    # First fit: no two shared tubes of one group could have been one tube.
    def group(t: PlannedTube) -> tuple[object, ...]:
        return (t.material, t.container, t.temperature, t.lab_her_id, t.centrifuge_within_minutes)

    shared = [t for t in tubes if not any(by_code[c].specimen.separate_tube for c in t.service_codes)  # type: ignore[union-attr]
              and not is_oversize(t, catalog)]
    for i, a in enumerate(shared):
        for b in shared[i + 1:]:
            if group(a) == group(b):
                assert a.volume_ml + b.volume_ml > catalog.container(a.container).capacity_ml


@settings(max_examples=150, deadline=None)
@given(basket=baskets(), data=st.data())
def test_plan_properties_and_order_independence(basket: tuple[Catalog, list[tuple[Service, str]]], data: st.DataObject) -> None:
    catalog, items = basket
    tubes = plan_tubes(items, catalog)
    _check_plan(catalog, items, tubes)
    shuffled = data.draw(st.permutations(items))
    assert plan_tubes(shuffled, catalog) == tubes
    assert plan_tubes(iter(shuffled), catalog) == tubes  # any iterable


def test_largest_volumes_are_packed_first(catalog: Catalog) -> None:
    # 3 + 2 and 2.5 + 1.5 fit two 5 ml serum tubes; packing the smallest first would need three.
    base = catalog.service("NOR00001")
    assert base.specimen is not None
    services = [
        base.model_copy(update={"code": code, "specimen": base.specimen.model_copy(update={"min_volume_ml": ml})})
        for code, ml in [("A", 1.5), ("B", 2.0), ("C", 2.5), ("D", 3.0)]
    ]
    tubes = plan_tubes([(s, LAB_OUS) for s in services], catalog)
    assert [(t.service_codes, t.volume_ml) for t in tubes] == [(["A", "C"], 4.0), (["B", "D"], 5.0)]


def test_one_numbering_1_to_n_in_order_of_draw_whatever_the_ranks(catalog: Catalog) -> None:
    """Two tubes of one rank (heparin, 3) get numbers of their own; planned tubes keep the
    plan's order, saved specimens (any order in) are numbered by rank, then id."""
    from datetime import datetime

    from ihr.models import Specimen

    items = [(catalog.service(c), LAB_OUS) for c in ["NOR05172", "NPU03230", "NPU19748", "NPU01685"]]
    planned = plan_tubes(items, catalog)
    assert [(n, t.order_of_draw) for n, t in numbered(planned)] == [(1, 1), (2, 3), (3, 3), (4, 4)]
    specimens = [Specimen(**t.model_dump(), id=f"00100000{i}", requisition_id="R1") for i, t in enumerate(planned)]
    assert [t.id for _, t in numbered(reversed(specimens))] == [s.id for s in specimens]
    taken = [s.model_copy(update={"collected_at": datetime(2026, 11, 20, 9, 30)}) if s.order_of_draw == 3 else s
             for s in specimens]
    assert [(n, t.id) for n, t in open_tubes(taken)] == [(1, specimens[0].id), (4, specimens[3].id)]
