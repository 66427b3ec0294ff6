"""The fast paths give the same answers as the slow, obvious ones they replace:
numpy hashing and scikit-learn's, the prefiltered label pattern and the plain
one, numpy folding and ``str.translate``, memoised tokens and fresh ones, the
fast constructor and the dataclass's own. (The compiled scorer against the
estimator: ``test_classify.py``.) Each is kept for a measured gain on a whole
batch; the figures are in its docstring."""
from __future__ import annotations

import random
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from gixml.forms import ALL_LABELS, LABEL_FIRST_CHARACTERS
from gixml.lines.cascade import default_labeller
from gixml.lines.ngrams import hashed_ngrams_matrix, murmurhash3_32_many
from gixml.lines.normalise import _ZS, _normalise_text, normalise, normalise_line
from gixml.lines.rules import RuleLabeller
from gixml.lines.tokenise import LABEL_PATTERN, _tokens_of_text, tokenise
from gixml.records import CellKey

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))]
SEED_LINES = [line for text in SEED_TEXTS for line in normalise(text)]


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
    assert murmurhash3_32_many(items) == want


def test_hashed_ngrams_match_the_hashing_vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    texts = [line.text for line in SEED_LINES if line.text.strip()][:800] + ["a  b\t\tc", "𠀀𠀁汉字", "x", "", "  ", "yz"]
    hv = HashingVectorizer(analyzer="char", ngram_range=(1, 3), n_features=2**15, alternate_sign=False, norm="l2",
                           lowercase=False)
    want = hv.transform(texts).tocoo()
    rows, cols, values = hashed_ngrams_matrix(texts, (1, 3), 2**15)
    got = {(int(r), int(c)): v for r, c, v in zip(rows, cols, values)}
    expected = {(int(r), int(c)): v for r, c, v in zip(want.row, want.col, want.data)}
    assert got.keys() == expected.keys()
    assert max(abs(got[k] - expected[k]) for k in got) < 1e-12


def _first_characters(parsed) -> tuple[set[str], bool] | None:
    """The characters a match of a parsed pattern can start with, and whether it
    can be empty; None when the pattern is not simple enough to tell."""
    from re import _constants as sre

    out: set[str] = set()
    for op, av in parsed:
        if op is sre.LITERAL:
            return out | {chr(av)}, False
        if op is sre.IN:
            for kind, arg in av:
                if kind is sre.LITERAL:
                    out.add(chr(arg))
                elif kind is sre.RANGE and arg[1] - arg[0] < 256:
                    out.update(chr(c) for c in range(arg[0], arg[1] + 1))
                else:
                    return None
            return out, False
        if op in (sre.SUBPATTERN, sre.BRANCH, sre.MAX_REPEAT, sre.MIN_REPEAT):
            subs = [av[3]] if op is sre.SUBPATTERN else av[1] if op is sre.BRANCH else [av[2]]
            nullable = False
            for sub in subs:
                found = _first_characters(sub)
                if found is None:
                    return None
                out |= found[0]
                nullable = nullable or found[1]
            if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] == 0:
                nullable = True
            if not nullable:
                return out, False
            continue
        if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            continue  # zero width
        return None
    return out, True


@pytest.mark.parametrize("spec", ALL_LABELS, ids=lambda spec: f"{spec.kind}:{spec.key}")
def test_every_label_starts_with_one_of_the_first_characters(spec):
    """forms.LABEL_FIRST_CHARACTERS, which the label matcher looks ahead for, covers every pattern
    (read with the regex engine's own parser: a private module, so here and not in the package)."""
    from re import _parser

    for pattern in spec.patterns:
        found = _first_characters(_parser.parse(pattern))
        assert found is not None, f"{pattern!r}: too complex to read its first characters"
        first, can_be_empty = found
        assert not can_be_empty, f"{pattern!r} can match the empty string"
        missing = first - set(LABEL_FIRST_CHARACTERS)
        assert not missing, f"{pattern!r} starts with {''.join(sorted(missing))}: add it to LABEL_FIRST_CHARACTERS"


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


def test_folding_a_long_line_in_numpy_is_str_translate():
    from gixml.lines.normalise import _FOLD_TABLE, fold_text

    rng = random.Random(5)
    alphabet = [chr(c) for c in _FOLD_TABLE] + list("abc 012\t汉字，。") + ["\U0001F600", "\U00020000", "\ud800"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(101, 400)))
        assert fold_text(text) == text.translate(_FOLD_TABLE)
    for line in SEED_LINES:
        assert fold_text(line.raw) == line.raw.translate(_FOLD_TABLE)


def test_furniture_in_two_patterns_is_the_single_alternation():
    from gixml.lines.rules import is_furniture

    single = re.compile(
        r"当前位置|网站标识码|ICP备|公网安备|^\s*主办[:：]|^\s*承办[:：]|联系电话[:：]|^\s*(?:发布时间|来源|时间|标题|文号|栏目|"
        r"原文链接|本地目录|发布机构|索引号|录入)\s*[:：]|分享到|打印本页|关闭窗口|页面链接|^={3,}|字体[:：]?\s*[大中小]|"
        r"^\s*(?:首页|上一篇|下一篇|附件下载|相关链接)")
    pieces = ["当前位置", "网站标识码", "ICP备", "主办：", " 承办:", "联系电话：", "发布时间 ：", "来源:", "索引号：",
              "分享到", "打印本页", "===", "字体：大", "字体 中", "首页", "上一篇", "相关链接", "本报告", "0", " ", "时间"]
    rng = random.Random(9)
    texts = [line.text for line in SEED_LINES] + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
                                                  for _ in range(3000)]
    assert sum(is_furniture(t) for t in texts) > 1000
    for text in texts:
        assert is_furniture(text) == bool(single.search(text)), text


def test_a_neighbours_context_is_that_part_of_its_shape():
    from gixml.lines.features import _CONTEXT_KEYS, context_shape, line_shape
    from gixml.lines.labels import label_lines
    from gixml.lines.rejoin import rejoin

    labeller = RuleLabeller()
    checked = 0
    for text in SEED_TEXTS:
        lines = normalise(text)
        for ll in rejoin(label_lines(lines, tokenise(lines), labeller)):  # rejoined labels have empty spans
            rule = labeller.predict_one(ll.line, ll.tokens)
            shape = line_shape(ll.line, ll.tokens, (rule[0].value, rule[1]))
            context = context_shape(ll.line, ll.tokens, rule[0].value)
            assert list(context.items()) == [(c, shape[c]) for c in _CONTEXT_KEYS], ll.line.text
            checked += 1
    assert checked > 1000


def test_offsets_point_at_the_raw_characters_of_long_and_short_lines():
    from gixml.lines.normalise import fold_text

    rng = random.Random(17)
    pieces = ["结", "果", "维", "持", " ", "  ", "\u3000", "0", "12", "\t", "|", "\r", "ａ", "，", "(一)", "\xa0 "]
    lines = [line.raw for line in SEED_LINES] + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 400)))
                                                 for _ in range(2000)]
    for raw in lines:
        text, offsets = _normalise_text(raw)
        assert len(offsets) == len(text)
        assert all(a < b for a, b in zip(offsets, list(offsets)[1:]))
        for ch, at in zip(text, offsets):
            printed = fold_text(raw[at])
            assert ch == printed or (ch == "\t" and printed == "|"), (raw, text)


def test_the_space_separators_are_unicodes():
    zs = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Zs")
    assert _ZS == zs


def test_memoised_tokens_are_the_tokens_computed_afresh():
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


def test_memoised_cuts_are_the_cuts():
    from itertools import combinations

    from gixml.tables.glued import _cuts

    def plain(digits: str, parts: int) -> set[tuple[str, ...]]:
        out = set()
        for cut in combinations(range(1, len(digits)), parts - 1):
            pieces = tuple(digits[i:j] for i, j in zip((0,) + cut, cut + (len(digits),)))
            if all(p == "0" or p[0] != "0" for p in pieces):
                out.add(pieces)
        return out

    rng = random.Random(11)
    for _ in range(300):
        digits = "".join(rng.choice("0012345") for _ in range(rng.randint(1, 12)))
        parts = rng.randint(1, 7)
        assert set(_cuts(digits, parts)) == plain(digits, parts), (digits, parts)
        assert set(_cuts(digits, parts)) == plain(digits, parts)  # and again, from the memo


FAST_INIT_SAMPLES = {
    # class path: (positional arguments with every field, the required ones only)
    "gixml.lines.tokenise.Token": (("value", 7, 2, 5, "12元", None, "requests", 12, "元", "12", 1, True), ("text", 1, 0, 2, "其他")),
    "gixml.lines.normalise.Line": ((3, " 1 2", "1 2", range(1, 4)), (3, " 1 2", "1 2", range(1, 4))),
    "gixml.lines.labels.LabelledLine": ((normalise("x 1")[0], (), "number", 0.7, "rule"),) * 2,
    "gixml.records.Cell": ((CellKey("a", "b", "c"), 5, "元", 3, "总计 5元", "5元", (3, 5), 0.9, "rule", ("x",)),
                           (CellKey("a", "b", "c"), None)),
}


@pytest.mark.parametrize("path", sorted(FAST_INIT_SAMPLES))
def test_the_fast_init_builds_what_the_dataclass_init_builds(path):
    """The same object as the generated ``__init__`` of a twin dataclass: with
    every argument, positional or by keyword, and with the defaults."""
    import dataclasses
    import importlib
    import inspect
    import pickle

    module, name = path.rsplit(".", 1)
    cls = getattr(importlib.import_module(module), name)
    fields = dataclasses.fields(cls)
    twin = dataclasses.make_dataclass(
        f"Plain{name}", [(f.name, f.type, dataclasses.field(default=f.default)) if f.default is not dataclasses.MISSING
                         else (f.name, f.type) for f in fields], frozen=True, slots=True)
    as_tuple = [(p.name, p.default, p.kind) for p in inspect.signature(cls.__init__).parameters.values()]
    assert as_tuple == [(p.name, p.default, p.kind) for p in inspect.signature(twin.__init__).parameters.values()]
    full, required = FAST_INIT_SAMPLES[path]
    for args in (full, required):
        fast, plain = cls(*args), twin(*args)
        assert dataclasses.astuple(fast) == dataclasses.astuple(plain)
        assert cls(**{f.name: getattr(fast, f.name) for f in fields}) == fast
        assert hash(fast) == hash(cls(*args)) and fast == cls(*args)
        assert pickle.loads(pickle.dumps(fast)) == fast
        assert dataclasses.replace(fast, **{fields[0].name: getattr(plain, fields[0].name)}) == fast
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(fast, fields[-1].name, None)
        with pytest.raises(TypeError):
            cls(*args, *range(len(fields)))  # too many arguments, as with the dataclass's own
    with pytest.raises(TypeError):
        cls()


def test_fast_init_refuses_what_it_cannot_build():
    import dataclasses

    from gixml.records import fast_init

    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class WithFactory:
        a: list = dataclasses.field(default_factory=list)

    for cls in (NoSlots, WithFactory):
        with pytest.raises(TypeError):
            fast_init(cls)
