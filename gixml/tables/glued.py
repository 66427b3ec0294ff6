"""Glued cells: one run of digits holding several cells, and where it can be cut.

Web dumps glue a row's cells together (``801000081`` for 80, 1, 0, 0, 0, 0, 81).
A split never invents or drops a digit: it only chooses where the cut points
go, among the splits in which

- every cell is a well-formed number (no leading zero: ``0`` or ``07`` is not
  one cell ``07``), and printed separators stay cut points;
- the row's own identity holds, where the form has one (``requests``: 总计 =
  the sum of the six applicant columns; ``appeals``: 总计 = the sum of the four
  results, for each of the three groups of five).

When one split remains it is taken (``method="identity"``). When several remain,
the caller may settle them with the column identities across rows
(:func:`choose_by_columns`); what is still open is settled by the value prior
(``prior.py``, the active table) or by a stated rule (:func:`fewest_nonzero`:
the split with the fewest non-zero cells, then the one putting most in the
first column, since most applicants are natural persons), and flagged low
confidence.

The table readers see tokens: :func:`is_glued` says whether a row's value
tokens are glued runs, :func:`split_row` lists their splits and
:func:`cut_tokens` cuts the tokens at a split's points, so that each cell keeps
its own printed characters and offsets.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from functools import lru_cache

from ..lines.tokenise import Token
from ..lines.values import parse_value

Split = tuple[int, ...]
MAX_CANDIDATES = 200_000


class TooManySplits(Exception):
    """A run so long that its splits are not enumerated (its cells stay null)."""


_CUTS: dict[tuple[str, int], tuple[tuple[str, ...], ...]] = {}


def _cuts(digits: str, parts: int) -> tuple[tuple[str, ...], ...]:
    """Every way to cut ``digits`` into ``parts`` well-formed numbers. Short
    answers are memoised: the recursion meets the same tails again and again."""
    found = _CUTS.get((digits, parts))
    if found is not None:
        return found
    if parts == 1:
        found = ((digits,),) if digits and (digits == "0" or digits[0] != "0") else ()
    elif not digits:
        found = ()
    elif digits[0] == "0":  # a leading zero is a cell of its own
        found = tuple(("0",) + rest for rest in _cuts(digits[1:], parts - 1))
    else:
        out: list[tuple[str, ...]] = []
        for i in range(1, len(digits) - parts + 2):
            for rest in _cuts(digits[i:], parts - 1):
                out.append((digits[:i],) + rest)
                if len(out) > MAX_CANDIDATES:
                    raise TooManySplits(digits)
        found = tuple(out)
    if len(found) <= 64:
        if len(_CUTS) >= 50_000:
            _CUTS.clear()
        _CUTS[(digits, parts)] = found
    return found


@lru_cache(maxsize=65_536)
def count_cuts(digits: str, parts: int) -> int:
    """How many ways :func:`_cuts` has (without listing them): a sum over the
    first cell's length, memoised on the rest, so linear in the run's length
    times ``parts``. A run is at most ``MAX_DIGITS`` long."""
    if parts == 1:
        return 1 if digits and (digits == "0" or digits[0] != "0") else 0
    if not digits:
        return 0
    if digits[0] == "0":
        return count_cuts(digits[1:], parts - 1)
    return sum(count_cuts(digits[i:], parts - 1) for i in range(1, len(digits) - parts + 2))


def candidate_splits(
    chunks: Sequence[str],
    width: int,
    check: Callable[[Split], bool] | None = None,
    splittable: Sequence[bool] | None = None,
) -> list[Split]:
    """Splits of printed digit chunks (separated in print) into ``width`` cells.

    Each chunk gives at least one cell; ``check`` filters by the row's identity.
    A chunk that is not ``splittable`` (it fills its own line or tab field, so
    it was printed as one cell) stays one cell. A run with more than
    ``MAX_CANDIDATES`` splits yields none (never a partial list, which could
    make a wrong split look unique).
    """
    if not chunks or any(not c.isdigit() for c in chunks):
        return []
    n = len(chunks)
    if sum(len(c) for c in chunks) < width or n > width:
        return []
    caps = [len(c) if (splittable is None or splittable[i]) else 1 for i, c in enumerate(chunks)]
    try:
        return _candidate_splits(chunks, width, check, caps)
    except TooManySplits:
        return []


def _candidate_splits(
    chunks: Sequence[str], width: int, check: Callable[[Split], bool] | None, caps: list[int]
) -> list[Split]:
    n = len(chunks)
    results: list[Split] = []
    compositions = _compositions(width, n, caps)  # how many cells each chunk holds
    # Counted before they are listed: a long run has millions of splits, and
    # listing them to find out took a second per row.
    total = 0
    for counts in compositions:
        product = 1
        for c, k in zip(chunks, counts):
            product *= count_cuts(c, k)
        total += product
        if total > MAX_CANDIDATES:
            raise TooManySplits(chunks)
    for counts in compositions:
        per_chunk = [_cuts(c, k) for c, k in zip(chunks, counts)]
        if any(not p for p in per_chunk):
            continue
        for combo in itertools.product(*per_chunk):
            split = tuple(int(x) for part in combo for x in part)
            if check is None or check(split):
                results.append(split)
    return sorted(set(results))


def _compositions(total: int, n: int, caps: list[int]) -> list[tuple[int, ...]]:
    """Ways to write ``total`` as n positive parts, part i at most caps[i]."""
    if n == 1:
        return [(total,)] if 1 <= total <= caps[0] else []
    out = []
    for first in range(1, min(caps[0], total - n + 1) + 1):
        out += [(first,) + rest for rest in _compositions(total - first, n - 1, caps[1:])]
    return out


def fewest_nonzero(split: Split) -> tuple[int, int]:
    """Lower is likelier: fewer non-zero cells, then more in the first column."""
    return (sum(1 for v in split if v != 0), -split[0])


def choose_by_columns(
    candidates: dict[str, list[Split]],
    fixed: dict[str, Split],
    column_checks: Sequence[Callable[[dict[str, Split]], bool | None]],
    limit: int = 20000,
) -> tuple[dict[str, Split], bool]:
    """Pick one split per ambiguous row so that most column identities hold.

    ``fixed`` holds the rows already known. Returns the choice and whether it
    was the only best one (if not, :func:`fewest_nonzero` broke the tie).
    """
    rows = sorted(candidates)
    sizes = [len(candidates[r]) for r in rows]
    total = 1
    for s in sizes:
        total *= s
    if total > limit:  # too many: settle each row by fewest_nonzero alone
        return {r: min(candidates[r], key=fewest_nonzero) for r in rows}, False
    best: list[tuple[int, tuple[tuple[int, int], ...], dict[str, Split]]] = []
    for combo in itertools.product(*(candidates[r] for r in rows)):
        choice = dict(zip(rows, combo))
        table = {**fixed, **choice}
        held = sum(1 for check in column_checks if check(table))
        best.append((held, tuple(fewest_nonzero(s) for s in combo), choice))
    top = max(b[0] for b in best)
    winners = [b for b in best if b[0] == top]
    winners.sort(key=lambda b: b[1])
    return winners[0][2], len(winners) == 1


# -- value tokens ---------------------------------------------------------------------------
def digit_run(tok: Token, tail_ok: bool) -> str | None:
    """The digits a value token offers for splitting: a plain digit run, or (for
    the last value of a row whose last column may carry decimals and a unit,
    ``13575394432.52元``) the integer digits before the decimals and unit."""
    if tok.kind != "value":
        return None
    if tok.text.isdigit():
        return tok.text
    if tok.text[:1] == "-" and tok.text[1:].isdigit():  # its first cell is negative
        return tok.text[1:]
    if tail_ok and tok.digits and tok.text[:1].isdigit():
        return tok.digits.split(".")[0]
    return None


def is_glued(values: Sequence[Token], width: int, tail_ok: bool = False) -> bool:
    """Plain digit runs (no sign; a unit or decimals only at the very end, when
    ``tail_ok``), fewer tokens than cells, and at least one run glued to a label
    or to other text (so it may hold several cells); a value filling its own
    line or tab field is one cell."""
    runs = [digit_run(v, tail_ok and i == len(values) - 1) for i, v in enumerate(values)]
    return (
        0 < len(values) < width
        and all(r is not None for r in runs)
        and sum(len(r or "") for r in runs) >= width
        and any(_splittable(v) for v in values)
    )


#: More digits than any cell of the three tables holds (the largest are amounts
#: in 元, under a billion): a run this long is several cells even printed alone.
MAX_CELL_DIGITS = 10


def _splittable(tok: Token) -> bool:
    """A run that may hold several cells: not printed alone in its line or tab
    field, or else one that cannot be one cell (``0000000``: a leading zero;
    more digits than a cell holds), as a web page that glues a whole row of
    cells into one line prints it."""
    if len(tok.text) <= 1:
        return False
    return not tok.alone or not_one_cell(tok)


def not_one_cell(tok: Token) -> bool:
    """A digit run that cannot be one cell: a leading zero (``000``), or more digits than a cell holds."""
    digits = tok.digits or tok.text
    return len(digits) > 1 and digits.isdigit() and (digits[0] == "0" or len(digits) > MAX_CELL_DIGITS)


def split_row(values: Sequence[Token], width: int, check: Callable[[Split], bool] | None = None) -> list[Split]:
    """The splits of a row's glued value tokens into ``width`` cells that pass ``check``."""
    runs = [digit_run(v, i == len(values) - 1) or "" for i, v in enumerate(values)]
    return candidate_splits(runs, width, check, [_splittable(v) for v in values])


def cut_tokens(values: Sequence[Token], split: Sequence[int]) -> list[Token]:
    """The tokens of each cell of a split, cut out of the glued runs that hold
    them. A run printed with a minus (``-18538``) gives a negative first cell;
    the row's last cell keeps the decimals and unit printed after its run."""
    out: list[Token] = []
    queue = list(values)
    tok, pos = queue.pop(0), 0
    for n, value in enumerate(split):
        if pos >= len(digit_run(tok, True) or ""):
            tok, pos = queue.pop(0), 0
        offset = 1 if tok.text[:1] == "-" else 0
        start = tok.start + offset + pos
        end = start + len(str(value))
        number: int | float = value
        unit = None
        if offset and pos == 0:
            start, number = start - 1, -value
        if n == len(split) - 1 and end < tok.end:  # "…432" + ".52元"
            end = tok.end
        text = tok.text[start - tok.start:end - tok.start]
        if end == tok.end and not text.lstrip("-").isdigit():
            parsed = parse_value(text)
            if parsed is not None and parsed.value is not None:
                number, unit = parsed.value, parsed.unit
        out.append(Token("value", tok.line, start, end, text, value=number, unit=unit, digits=text.lstrip("-"),
                         field=tok.field))
        pos += len(str(value))
    return out


#: The most ways to join values across line breaks that are tried.
MAX_JOINS = 5_000


def line_joins(values: Sequence[Token], width: int, check: Callable[[Split], bool]) -> list[list[Token]]:
    """Values of a narrow column wrapped over two lines, joined back.

    A column too narrow for ``12`` prints ``1`` at the end of one line and ``2``
    at the start of the next: more values than cells. Each way to join
    ``len(values) - width`` of the line breaks between two plain digit runs
    (the value before the break and the one after it are one cell; a join may
    chain over several breaks; only a break to the very next line: a layout
    printing a cell per line between blank lines is no wrap) whose cells pass
    ``check`` is returned, as the
    cells' tokens: a joined token keeps the first piece's line and offsets,
    with the joined value. No digit is invented or dropped, and a joined cell
    never starts with a zero."""
    extra = len(values) - width
    if extra <= 0 or any(v.kind != "value" or not v.text.isdigit() for v in values):
        return []
    breaks = [i for i in range(len(values) - 1) if values[i + 1].line == values[i].line + 1]  # a wrap: the next line
    if len(breaks) < extra or math.comb(len(breaks), extra) > MAX_JOINS:
        return []
    out: list[list[Token]] = []
    for chosen in itertools.combinations(breaks, extra):
        joined: list[list[Token]] = []
        for i, tok in enumerate(values):
            if i - 1 in chosen:
                joined[-1].append(tok)
            else:
                joined.append([tok])
        if any(len(g) > 1 and g[0].text.startswith("0") for g in joined):
            continue
        numbers = tuple(int("".join(t.text for t in g)) for g in joined)
        if check(numbers):
            out.append([g[0] if len(g) == 1 else Token("value", g[0].line, g[0].start, g[0].end,
                                                       "".join(t.text for t in g), value=n,
                                                       digits="".join(t.text for t in g), field=g[0].field)
                        for g, n in zip(joined, numbers)])
    return out
