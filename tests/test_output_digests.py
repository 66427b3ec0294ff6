"""Outputs do not change by accident: every input's JSON against its recorded digest.

The reference (``tests/fixtures/output-digests.json``) is written by
``python tests/output_digests.py --write`` when an output is meant to change;
the commit that changes it says why.
"""
from __future__ import annotations

import json

import pytest
from output_digests import DIGESTS, SHARED, differences, digests, inputs

RECORDED = json.loads(DIGESTS.read_text(encoding="utf-8"))


def test_the_seeds_give_the_recorded_outputs():
    found = digests(only="seeds")
    assert len(found) == 5
    assert differences(found, RECORDED) == []


@pytest.mark.corpus
@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared is not on this machine")
def test_every_shared_input_gives_the_recorded_output():
    names = {name for name, _ in inputs()}
    assert names == set(RECORDED), "an input was added or removed: rerun tests/output_digests.py --write"
    assert differences(digests(), RECORDED) == []
