"""Bad input never crashes gixml and never yields a number it cannot cite
(the properties and mutations are in tests/fuzzing.py)."""
from __future__ import annotations

import random
import time

import fuzzing
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gixml
from gixml.errors import GixmlError, InputTooLargeError
from gixml.pipeline import extract_document
from gixml.read.document import MAX_TEXT_BYTES, read_bytes

POOL = fuzzing.sources()


@pytest.fixture(scope="module", autouse=True)
def _warm():
    gixml.extract_text(POOL[0])  # the model loads once, outside the time bound


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_mutated_reports_keep_every_property(seed):
    case = fuzzing.make_case(random.Random(seed), POOL)
    outcome = fuzzing.check(case)
    assert outcome.problems == [], f"{case.name}: {outcome.problems}"


@pytest.mark.parametrize("name", sorted(fuzzing.MUTATIONS) + sorted(fuzzing.WHOLE))
def test_each_mutation_alone_on_each_seed(name):
    mutate = {**fuzzing.MUTATIONS, **fuzzing.WHOLE}[name]
    for i, text in enumerate(POOL[:5]):
        case = fuzzing.Case(name, mutate(random.Random(i), text.encode("utf-8"), POOL))
        outcome = fuzzing.check(case)
        assert outcome.problems == [], f"{name} on source {i}: {outcome.problems}"


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pieces=st.lists(st.sampled_from(fuzzing.HOSTILE_PIECES), min_size=1, max_size=8),
       size=st.integers(min_value=1_000, max_value=300_000), where=st.sampled_from(["alone", "inside", "twice"]))
def test_long_hostile_lines_end_in_time_without_a_crash(pieces, size, where):
    """Hypothesis builds lines of up to 300,000 characters from hostile pieces
    (separators, digits, signs, labels, glued runs): each extraction ends in a
    report or a GixmlError within the linear time bound, with every property kept."""
    unit = "".join(pieces)
    line = (unit * (size // len(unit) + 1))[:size]
    report = POOL[0]
    text = {"alone": line, "inside": report.replace("\n", "\n" + line + "\n", 1),
            "twice": line + "\n" + report + "\n" + line}[where]
    outcome = fuzzing.check(fuzzing.Case(f"hostile {unit[:30]!r}×{size} {where}", text.encode("utf-8")))
    assert outcome.problems == [], f"{outcome.case}: {outcome.problems}"


@pytest.mark.parametrize("line", [" " * 20_000 + "x", "\t" * 20_000 + "|", "\u3000" * 20_000,
                                  "2020" + "\t" * 20_000 + "年", "|" + " " * 20_000 + "--x"],
                         ids=["spaces", "tabs", "ideographic-spaces", "year-and-tabs", "pipe-and-spaces"])
def test_long_runs_of_spaces_do_not_backtrack(line):
    """Two runs of optional spaces side by side in a regex (the markdown rule,
    the title's year) once took five seconds on a line of 20,000 spaces."""
    for text in (line, line + "\n" + POOL[0], POOL[0].replace("\n", "\n" + line + "\n", 1)):
        outcome = fuzzing.check(fuzzing.Case("spaces", text.encode("utf-8")))
        assert outcome.problems == [], outcome.problems
        assert outcome.seconds < 0.5


def test_a_line_of_a_million_cells_is_cut_with_a_warning():
    """Past MAX_LINE_TOKENS tokens the rest of a line is text: a warning says so, the report still reads."""
    from gixml.lines.tokenise import MAX_LINE_TOKENS

    line = "0\t" * (MAX_LINE_TOKENS + 500)
    start = time.perf_counter()
    report = gixml.extract_text(POOL[0] + "\n" + line)
    assert time.perf_counter() - start < fuzzing.time_bound(len(line) + len(POOL[0]))
    assert report.values == gixml.extract_text(POOL[0]).values
    [warning] = [w for w in report.warnings if w.code == "long_line"]
    assert f"holds more than {MAX_LINE_TOKENS:,} words and numbers" in warning.message
    assert str(len(POOL[0].split("\n")) + 1) in warning.message  # it names the line


def test_a_truncated_download_is_read_with_a_note_not_refused():
    data = POOL[1].encode("utf-8")
    cut = data[:len(data) - 1]  # inside the last (Chinese) character
    assert cut.decode("utf-8", errors="ignore") != cut.decode("utf-8", errors="replace")
    report = extract_document(read_bytes(cut, source="cut.txt"))
    assert report.status in ("complete", "partial")
    assert [w.code for w in report.warnings if w.code == "decoding"] == ["decoding"]


def test_gbk_lines_in_a_utf8_file_are_read_as_gbk():
    lines = POOL[0].split("\n")
    mixed = b"\n".join(line.encode("gb18030") if i % 3 == 0 else line.encode("utf-8") for i, line in enumerate(lines))
    doc = read_bytes(mixed, source="mixed.txt")
    assert doc.text == "\n".join(lines) and doc.encoding == "utf-8+gb18030"
    assert extract_document(doc).values == gixml.extract_text(POOL[0]).values


def test_a_ten_megabyte_input_is_read_in_linear_time():
    data = (POOL[0].encode("utf-8") + b"\n") * (10_000_000 // len(POOL[0].encode("utf-8")) + 1)
    start = time.perf_counter()
    report = extract_document(read_bytes(data, source="big.txt"))
    seconds = time.perf_counter() - start
    assert seconds < fuzzing.time_bound(len(data)), seconds
    assert report.status in ("complete", "partial")


def test_a_hundred_megabyte_input_is_refused_at_once_with_a_clear_error():
    data = b"0\n" * 50_000_000
    assert len(data) > MAX_TEXT_BYTES
    start = time.perf_counter()
    with pytest.raises(InputTooLargeError) as info:
        read_bytes(data, source="huge.txt")
    assert time.perf_counter() - start < 1.0
    assert str(info.value).startswith("huge.txt: is 100 MB") and "split it" in str(info.value)
    with pytest.raises(InputTooLargeError):
        gixml.extract_text("规章 0 0 0\n" * 3_000_000)  # 21 million characters


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf", bytes(range(256)) * 64, b"\x00" * 1000,
                                  "只有一段文字，没有任何表格。".encode("utf-8") * 50])
def test_empty_binary_and_prose_only_inputs_end_in_a_typed_outcome(data):
    try:
        report = extract_document(read_bytes(data, source="odd.txt"))
    except GixmlError as exc:
        assert str(exc).startswith("odd.txt: ")
    else:
        assert report.status == "not_a_report"
        assert all(v is None for v in report.values.values())


@pytest.mark.slow
def test_ten_thousand_generated_inputs():
    """The full run (python tests/fuzzing.py --n 10000 --seed 0): about 4 minutes."""
    outcomes = fuzzing.run(10_000, seed=0, log=lambda _: None)
    failing = [o for o in outcomes if o.problems]
    assert failing == [], fuzzing.summary(outcomes)


def test_the_same_bytes_give_the_same_json_in_fresh_processes_whatever_the_hash_seed(tmp_path):
    import os
    import subprocess
    import sys

    rng = random.Random(11)
    case = fuzzing.make_case(rng, POOL)
    while case.name in fuzzing.WHOLE:
        case = fuzzing.make_case(rng, POOL)
    path = tmp_path / "case.txt"
    path.write_bytes(case.data + b"\n" + POOL[2].encode("utf-8"))
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "gixml.cli", "extract", "-q", str(path)], capture_output=True,
                              env=env, timeout=120)
        assert done.returncode in (0, 1), done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0]
