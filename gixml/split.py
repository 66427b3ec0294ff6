"""Reading glued cells: one run of digits holding several cells.

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
(:func:`choose_by_columns`); what is still open is settled by a stated prior —
the split with the fewest non-zero cells, then the one putting most in the
first column (most applicants are natural persons) — and flagged low
confidence.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

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
    # how many cells each chunk holds
    for counts in _compositions(width, n, caps):
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


def requests_row_ok(split: Split) -> bool:
    return sum(split[:6]) == split[6]


def appeals_held(split: Split) -> int:
    """How many of the three groups (复议, 直接起诉, 复议后起诉) have 总计 = the sum of the four results."""
    return sum(sum(split[i:i + 4]) == split[i + 4] for i in (0, 5, 10))


def appeals_gap(split: Split) -> int:
    """How far the three 总计 are, in all, from the sums of their results."""
    return sum(abs(sum(split[i:i + 4]) - split[i + 4]) for i in (0, 5, 10))


def appeals_ok(split: Split) -> bool:
    return appeals_held(split) == 3


def prior_key(split: Split) -> tuple[int, int]:
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
    was the only best one (if not, the prior broke the tie).
    """
    rows = sorted(candidates)
    sizes = [len(candidates[r]) for r in rows]
    total = 1
    for s in sizes:
        total *= s
    if total > limit:  # too many: settle each row by the prior alone
        return {r: min(candidates[r], key=prior_key) for r in rows}, False
    best: list[tuple[int, tuple[tuple[int, int], ...], dict[str, Split]]] = []
    for combo in itertools.product(*(candidates[r] for r in rows)):
        choice = dict(zip(rows, combo))
        table = {**fixed, **choice}
        held = sum(1 for check in column_checks if check(table))
        best.append((held, tuple(prior_key(s) for s in combo), choice))
    top = max(b[0] for b in best)
    winners = [b for b in best if b[0] == top]
    winners.sort(key=lambda b: b[1])
    return winners[0][2], len(winners) == 1
