"""Bad inputs made from good reports, and the properties gixml keeps on all of them.

    python tests/fuzzing.py [--n 10000] [--seed 0] [--big]

Each case starts from a real report (the seeds; with ../shared, also the corpus
reports that may be copied) and applies one to three mutations: truncation
anywhere (bytes, so a character may be cut), lines deleted, duplicated or
shuffled, random bytes flipped, lines re-encoded in GBK among UTF-8 ones, CRLF
or lone-CR line ends, the tables removed, two reports concatenated, the prose
alone, numbers turned into runs of thousands of digits, long hostile lines
(:data:`HOSTILE_PIECES` repeated up to 100,000 characters) or the whole report
on one line, a report repeated to 10 MB (with ``--big``), random binary, an
empty file. Every case must satisfy:

1. **no uncaught exception** — a report, or a :class:`gixml.GixmlError`;
2. **linear time** — at most ``TIME_BOUND_BASE + TIME_BOUND_PER_BYTE × size``
   seconds (1 s + 4 µs per byte: a typical report takes 1 µs per byte);
3. **every value cites its source** — each cell with a value names a line
   whose raw text is ``cell.source`` and holds ``cell.printed``, and the
   printed characters read as the value;
4. **determinism** — the same input gives byte-identical JSON, whatever was
   extracted before.

The script prints the counts and the slowest cases; it exits 1 if any
property failed. ``tests/test_fuzz.py`` runs a few hundred cases on every CI
run (with hypothesis) and the 10,000-case run when slow tests are asked for.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

import gixml  # noqa: E402
from gixml.errors import GixmlError  # noqa: E402
from gixml.lines.normalise import split_lines  # noqa: E402
from gixml.lines.values import parse_value  # noqa: E402
from gixml.pipeline import extract_document  # noqa: E402
from gixml.read.document import read_bytes  # noqa: E402

TIME_BOUND_BASE = 1.0  # seconds
TIME_BOUND_PER_BYTE = 4e-6  # seconds per byte of input
SHARED = ROOT.parent / "shared"


def sources() -> list[str]:
    """The reports cases are made from (texts are read, never copied elsewhere)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))]
    corpus = SHARED / "corpus"
    if corpus.is_dir():
        for folder in sorted(corpus.iterdir()):
            try:
                source = json.loads((folder / "source.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if source.get("copy_into_repo") is True:
                texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("text-*.txt"))]
    return texts


# ----------------------------------------------------------------- mutations
Mutation = Callable[[random.Random, bytes, list[str]], bytes]


def _lines(data: bytes) -> list[str]:
    return split_lines(data.decode("utf-8", errors="replace"))


def truncate(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    return data[:rng.randint(0, len(data))]


def delete_lines(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    lines = _lines(data)
    keep = [line for line in lines if rng.random() > rng.choice((0.05, 0.2, 0.5))]
    return "\n".join(keep).encode("utf-8")


def duplicate_lines(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    out = []
    for line in _lines(data):
        out += [line] * (rng.randint(2, 4) if rng.random() < 0.1 else 1)
    return "\n".join(out).encode("utf-8")


def shuffle_lines(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    lines = _lines(data)
    if rng.random() < 0.5:
        rng.shuffle(lines)
    elif lines:  # a block moved, as page order goes wrong
        i, j = sorted(rng.sample(range(len(lines) + 1), 2)) if len(lines) > 1 else (0, 1)
        block, rest = lines[i:j], lines[:i] + lines[j:]
        k = rng.randint(0, len(rest))
        lines = rest[:k] + block + rest[k:]
    return "\n".join(lines).encode("utf-8")


def flip_bytes(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    out = bytearray(data)
    for _i in range(rng.randint(1, 50)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def mixed_encodings(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    parts = []
    for line in _lines(data):
        encoding = "gb18030" if rng.random() < 0.5 else "utf-8"
        parts.append(line.encode(encoding, errors="replace"))
    return b"\n".join(parts)


def line_ends(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    return data.replace(b"\n", rng.choice((b"\r\n", b"\r", b"\n\r")))


def remove_tables(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    lines = _lines(data)
    starts = [i for i, line in enumerate(lines) if "主动公开政府信息" in line or "收到和处理" in line]
    ends = [i for i, line in enumerate(lines) if "存在的主要问题" in line]
    if starts and ends and min(starts) < max(ends):
        lines = lines[:min(starts) + 1] + lines[max(ends):]
    return "\n".join(lines).encode("utf-8")


def concatenate(rng: random.Random, data: bytes, pool: list[str]) -> bytes:
    return data + b"\n" + rng.choice(pool).encode("utf-8")


def prose_only(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    lines = [line for line in _lines(data) if not any(ch.isdigit() for ch in line) and len(line) > 15]
    return "\n".join(lines).encode("utf-8")


def long_numbers(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    """A few numbers become absurdly long digit runs (up to 6,000 digits; Python
    reads no int of over 4,300)."""
    lines = _lines(data)
    numbered = [i for i, line in enumerate(lines) if any(ch.isdigit() for ch in line)]
    for i in rng.sample(numbered, min(len(numbered), rng.randint(1, 3))):
        run = "".join(rng.choice("0123456789") for _ in range(rng.choice((40, 1001, 4301, 6000))))
        lines[i] = re.sub(r"\d+", lambda _m: run, lines[i], count=1)
    return "\n".join(lines).encode("utf-8")


#: Pieces hostile lines are made of: separators, digits, signs, blank marks,
#: dates, brackets, ordinals, the form's labels and glued digit runs. Repeated
#: or mixed, they make every shape that once cost quadratic time (a million
#: tab-separated cells, digits without end, spaced digits, cells glued with
#: minus signs, a label repeated without a break, glued rows) and others.
HOSTILE_PIECES = (
    "\t", " ", "|", "0", "7", "12", "-", "/", "—", ".", "2021-01-26", "（", "）", "(一)", "（七）", "一、", "三、",
    "万元", "。", "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "结转下年度继续办理", "予以公开",
    "结果维持", "行政复议", "8" * 40, "1234567890", "－", "＋30", "2.", "其他",
)


def hostile_line(rng: random.Random, size: int) -> str:
    """A line of about ``size`` characters: a few hostile pieces, repeated."""
    unit = "".join(rng.choice(HOSTILE_PIECES) for _ in range(rng.randint(1, 6)))
    return (unit * (size // len(unit) + 1))[:size]


def hostile_lines(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    """One to three long hostile lines (up to 100,000 characters) put among the
    report's lines, or the whole report written on one line (a web page dumped
    without line ends)."""
    lines = _lines(data)
    if rng.random() < 0.2:
        return " ".join(lines).encode("utf-8")
    for _ in range(rng.randint(1, 3)):
        lines.insert(rng.randint(0, len(lines)), hostile_line(rng, rng.choice((2_000, 20_000, 100_000))))
    return "\n".join(lines).encode("utf-8")


def binary(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    return bytes(rng.randrange(256) for _ in range(rng.randint(1, 4000)))


def empty(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    return b"" if rng.random() < 0.5 else rng.choice((b"\n\n\n", b"   ", b"\xef\xbb\xbf", b"\t\r\n"))


def big(rng: random.Random, data: bytes, _: list[str]) -> bytes:
    """The report repeated to about 10 MB."""
    return (data + b"\n") * max(1, 10_000_000 // max(len(data), 1))


MUTATIONS: dict[str, Mutation] = {
    "truncate": truncate, "delete_lines": delete_lines, "duplicate_lines": duplicate_lines,
    "shuffle_lines": shuffle_lines, "flip_bytes": flip_bytes, "mixed_encodings": mixed_encodings,
    "line_ends": line_ends, "remove_tables": remove_tables, "concatenate": concatenate, "prose_only": prose_only,
    "long_numbers": long_numbers, "hostile_lines": hostile_lines,
}
WHOLE: dict[str, Mutation] = {"binary": binary, "empty": empty}  # replace the report altogether


@dataclass
class Case:
    name: str
    data: bytes


def make_case(rng: random.Random, pool: list[str], *, allow_big: bool = False) -> Case:
    roll = rng.random()
    base = rng.choice(pool).encode("utf-8")
    if roll < 0.04:
        name = rng.choice(sorted(WHOLE))
        return Case(name, WHOLE[name](rng, base, pool))
    if allow_big and roll < 0.045:
        return Case("big", big(rng, base, pool))
    names = rng.sample(sorted(MUTATIONS), rng.randint(1, 3))
    data = base
    for name in names:
        data = MUTATIONS[name](rng, data, pool)
    return Case("+".join(names), data)


# ---------------------------------------------------------------- properties
@dataclass
class Outcome:
    case: str
    size: int
    seconds: float
    result: str  # "report:<status>", "error:<ErrorType>", or "crash:<ExceptionType>"
    problems: list[str] = field(default_factory=list)


def time_bound(size: int) -> float:
    return TIME_BOUND_BASE + TIME_BOUND_PER_BYTE * size


def check(case: Case) -> Outcome:
    """Extract one case and check the four properties."""
    start = time.perf_counter()
    problems: list[str] = []
    try:
        doc = read_bytes(case.data, source="fuzz.txt")
        report = extract_document(doc)
    except GixmlError as exc:
        seconds = time.perf_counter() - start
        if not str(exc).startswith("fuzz.txt: "):
            problems.append(f"error without the file's name: {exc}")
        outcome = Outcome(case.name, len(case.data), seconds, f"error:{type(exc).__name__}", problems)
    except Exception as exc:  # the property this suite exists for
        seconds = time.perf_counter() - start
        return Outcome(case.name, len(case.data), seconds, f"crash:{type(exc).__name__}",
                       [f"uncaught {type(exc).__name__}: {exc}"])
    else:
        seconds = time.perf_counter() - start
        outcome = Outcome(case.name, len(case.data), seconds, f"report:{report.status}", problems)
        raw_lines = split_lines(doc.text)
        wrapped = {k for w in report.warnings if w.code == "wrapped_cells" for k in w.cells}
        for key, cell in report.cells.items():
            if cell.value is None:
                continue
            if cell.line is None or not 1 <= cell.line <= len(raw_lines):
                problems.append(f"{key}: cites line {cell.line}, outside the input")
                continue
            raw = raw_lines[cell.line - 1]
            if cell.source != raw:
                problems.append(f"{key}: its source is not line {cell.line} as printed")
            if not cell.printed or cell.printed not in raw:
                problems.append(f"{key}: printed {cell.printed!r} is not in line {cell.line}")
                continue
            parsed = parse_value(cell.printed)
            if key in wrapped and parsed is not None and parsed.value != cell.value:
                # printed over two lines by a narrow column: the first piece is cited, the rest starts the next line
                rest = str(cell.value)[len(cell.printed):] if str(cell.value).startswith(cell.printed) else None
                if rest and cell.line < len(raw_lines) and raw_lines[cell.line].lstrip().startswith(rest):
                    continue
            if parsed is None or parsed.value != cell.value:
                problems.append(f"{key}: printed {cell.printed!r} does not read as {cell.value!r}")
        again = extract_document(read_bytes(case.data, source="fuzz.txt"))
        if again.to_json() != report.to_json():
            problems.append("a second extraction of the same bytes gives other JSON")
    if outcome.seconds > time_bound(outcome.size):
        problems.append(f"took {outcome.seconds:.2f} s, over the bound {time_bound(outcome.size):.2f} s")
    return outcome


def run(n: int, seed: int = 0, *, allow_big: bool = False, log: Callable[[str], None] = print) -> list[Outcome]:
    rng = random.Random(seed)
    pool = sources()
    gixml.extract_text(pool[0])  # start-up (the model, the charset detector) is not the input's time
    try:
        read_bytes(bytes(range(128, 256)) * 4, source="warm-up")
    except GixmlError:
        pass
    outcomes = []
    for i in range(n):
        outcome = check(make_case(rng, pool, allow_big=allow_big))
        outcomes.append(outcome)
        if outcome.problems:
            log(f"case {i} ({outcome.case}, {outcome.size} bytes): " + "; ".join(outcome.problems[:3]))
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    from collections import Counter

    results = Counter(o.result for o in outcomes)
    crashes = sum(1 for o in outcomes if o.result.startswith("crash"))
    over = sum(1 for o in outcomes if o.seconds > time_bound(o.size))
    failing = sum(1 for o in outcomes if o.problems)
    slowest = sorted(outcomes, key=lambda o: o.seconds / time_bound(o.size), reverse=True)[:3]
    lines = [f"{len(outcomes)} cases: {crashes} uncaught exceptions, {over} over the time bound "
             f"({TIME_BOUND_BASE:g} s + {TIME_BOUND_PER_BYTE * 1e6:g} µs/byte), {failing} with a failed property",
             "outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(results.items())),
             "slowest against the bound: " + "; ".join(f"{o.case} {o.size:,} B in {o.seconds:.2f} s" for o in slowest)]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="cases (default 10000)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the generator (default 0)")
    ap.add_argument("--big", action="store_true", help="include 10 MB cases (about 1 in 200)")
    args = ap.parse_args()
    started = time.perf_counter()
    outcomes = run(args.n, args.seed, allow_big=args.big)
    print(summary(outcomes))
    print(f"{time.perf_counter() - started:.0f} s")
    return 1 if any(o.problems for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
