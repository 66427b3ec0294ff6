"""The fast paths give the same answers as the slow, obvious ones they replace:
the numpy scorer and the estimator, numpy hashing and scikit-learn's,
the prefiltered label pattern and the plain one, memoised lines and fresh ones."""
from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from gixml.classify import LinearScorer, default_labeller, load_scorer
from gixml.estimator import load_model
from gixml.features import hashed_ngrams_matrix, murmurhash3_32, murmurhash3_32_many
from gixml.labels import RuleLabeller
from gixml.normalise import _ZS, _normalise_text, normalise, normalise_line
from gixml.templates import ALL_LABELS, LABEL_PATTERN
from gixml.tokenise import _tokens_of_text, tokenise

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))]
SEED_LINES = [line for text in SEED_TEXTS for line in normalise(text)]


def test_the_shipped_scorer_gives_the_estimators_probabilities():
    scorer, card = load_scorer()
    estimator, estimator_card = load_model()
    assert card == json.loads(json.dumps(estimator_card))  # the card as JSON
    rules = RuleLabeller()
    for text in SEED_TEXTS:
        lines = normalise(text)
        tokens = tokenise(lines)
        decided = [rules.predict_one(line, toks) for line, toks in zip(lines, tokens)]
        which = [i for i, line in enumerate(lines) if line.text.strip()]
        fast = scorer.predict_lines(lines, tokens, decided, which)
        slow = estimator.predict_lines(lines, tokens, decided, which)
        assert fast.shape == slow.shape and np.abs(fast - slow).max() < 1e-9


def test_a_scorer_saved_and_loaded_is_the_same(tmp_path):
    scorer, _ = load_scorer()
    path = scorer.save(tmp_path / "m.npz")
    again = LinearScorer.load(path)
    assert again.feature_names == scorer.feature_names and np.array_equal(again.coef, scorer.coef)
    assert (again.window, again.ngram_range, again.n_features) == (scorer.window, scorer.ngram_range,
                                                                     scorer.n_features)


def test_extraction_does_not_import_scikit_learn_or_scipy():
    code = ("import sys, gixml; gixml.extract(sys.argv[1]); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'pandas', 'joblib'}))")
    out = subprocess.run([sys.executable, "-c", code, str(sorted((ROOT / "tests/fixtures/seeds").glob("*.txt"))[0])],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_murmurhash_matches_scikit_learns():
    from sklearn.utils import murmurhash3_32 as reference

    rng = random.Random(7)
    items = [''.join(chr(rng.choice([rng.randint(32, 126), rng.randint(0x4E00, 0x9FFF), rng.randint(0x10000, 0x1FFFF)]))
                     for _ in range(rng.randint(0, 6))).encode("utf-8") for _ in range(3000)]
    want = [reference(b) for b in items]
    assert [murmurhash3_32(b) for b in items] == want
    assert murmurhash3_32_many(items) == want


def test_hashed_ngrams_match_the_hashing_vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    texts = [line.text for line in SEED_LINES if line.text.strip()][:800] + ["a  b\t\tc", "𠀀𠀁汉字", "x"]
    hv = HashingVectorizer(analyzer="char", ngram_range=(1, 3), n_features=2**15, alternate_sign=False, norm="l2",
                           lowercase=False)
    want = hv.transform(texts).tocoo()
    rows, cols, values = hashed_ngrams_matrix(texts, (1, 3), 2**15)
    got = {(int(r), int(c)): v for r, c, v in zip(rows, cols, values)}
    expected = {(int(r), int(c)): v for r, c, v in zip(want.row, want.col, want.data)}
    assert got.keys() == expected.keys()
    assert max(abs(got[k] - expected[k]) for k in got) < 1e-12


def test_the_prefiltered_label_pattern_finds_what_the_plain_alternation_finds():
    plain = re.compile("|".join(f"(?P<g{n}_{m}>{p})" for n, spec in enumerate(ALL_LABELS)
                                for m, p in enumerate(spec.patterns)))
    assert LABEL_PATTERN.pattern.startswith("(?=[")
    rng = random.Random(3)
    texts = [line.text for line in SEED_LINES]
    texts += ["".join(rng.sample(t, len(t))) for t in texts[:400]]  # shuffled characters: odd positions
    for text in texts:
        assert [(m.span(), m.lastgroup) for m in LABEL_PATTERN.finditer(text)] == \
               [(m.span(), m.lastgroup) for m in plain.finditer(text)], text


def test_the_space_separators_are_unicodes():
    zs = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Zs")
    assert _ZS == zs


def test_memoised_lines_are_the_lines_computed_afresh():
    for line in SEED_LINES[:300]:
        again = normalise_line(line.number, line.raw)
        assert (again.text, again.offsets) == _normalise_text(line.raw)
        cached = tokenise([line])[0]
        fresh = [t for t in _tokens_of_text(line.text)]
        assert [(t.kind, t.start, t.end, t.text, t.value, t.alone) for t in cached] == \
               [(t.kind, t.start, t.end, t.text, t.value, t.alone) for t in fresh]
        assert all(t.line == line.number for t in cached)


@pytest.mark.parametrize("text", SEED_TEXTS[:2])
def test_the_default_labeller_is_deterministic(text):
    lines = normalise(text)
    tokens = tokenise(lines)
    labeller = default_labeller()
    assert labeller.label(lines, tokens) == labeller.label(lines, tokens)
