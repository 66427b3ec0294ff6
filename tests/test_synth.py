"""The synthetic layout generator: labelled lines, identities, determinism."""
from __future__ import annotations

import random

import pytest
from gixml.training.synth import LAYOUTS, generate, generate_corpus, random_cells

from gixml.lines.normalise import normalise
from gixml.records import Cell
from gixml.tables.identities import validate


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_every_line_has_a_label_and_every_value_is_printed(layout, fmt):
    doc = generate(random.Random(7), fmt=fmt, layout=layout)
    assert len(doc.labels) == len(normalise(doc.text))
    assert {lab.value for lab in doc.labels} >= {"heading", "prose", "noise"}
    assert doc.format == fmt and doc.layout == layout


def test_generated_values_satisfy_the_forms_identities():
    for seed in range(20):
        rng = random.Random(seed)
        cells = random_cells(rng, rng.choice(["2019", "2021"]))
        checked, warnings = validate({k: Cell(k, v) for k, v in cells.items()})
        assert warnings == [], (seed, [w.message for w in warnings])


def test_the_generator_is_deterministic_for_a_seed_and_varies_across_seeds():
    a = [d.text for d in generate_corpus(6, seed=1)]
    assert a == [d.text for d in generate_corpus(6, seed=1)]
    assert a != [d.text for d in generate_corpus(6, seed=2)]
    assert [d.layout for d in generate_corpus(6, seed=1)] == list(LAYOUTS)


def test_modifiers_show_in_the_text():
    docs = generate_corpus(60, seed=9)
    full = [d for d in docs if "fullwidth" in d.modifiers]
    assert full and all(any("０" <= ch <= "９" for ch in d.text) for d in full)
    breaks = [d for d in docs if "page_breaks" in d.modifiers]
    assert breaks and any(lab.value == "noise" for d in breaks for lab in d.labels[3:-3])
    assert any(v is None for d in docs for v in d.cells.values())  # blank cells
