"""Check annotation files by hand: show lines with their labels, correct them, mark them checked.

    python -m gixml.training.review show FILE [--from N] [--to M] [--unchecked] [--below 0.9]
    python -m gixml.training.review set FILE 12=noise 30-41=label ...
    python -m gixml.training.review check FILE [--lines 1-200]
    python -m gixml.training.review cell FILE 23:1-2=active.regulations.new_made 40:0-3=- ...

``show`` prints ``line  label  confidence  checked | text`` (the text read from
the source when the file does not hold it), and below a line the cells of its
values (``[1:2] active.regulations.new_made = 0``). ``set`` changes labels (and
marks those lines checked); ``check`` marks lines checked once a person has
read them. ``cell`` says which cell the value at ``LINE:START-END`` is (``-``:
none); a key moved to a new place leaves its old one, and the line is marked
checked.
"""
from __future__ import annotations

import argparse
import re
import sys

from gixml.lines.labels import LineLabel

from .annotations import _known_keys, read_document, read_records, write

_CELL = re.compile(r"^(\d+):(\d+)-(\d+)=(\S+)$")


def _ranges(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m gixml.training.review", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("show")
    s.add_argument("file")
    s.add_argument("--from", dest="first", type=int, default=1)
    s.add_argument("--to", dest="last", type=int, default=10**9)
    s.add_argument("--unchecked", action="store_true")
    s.add_argument("--below", type=float, default=None, help="only lines whose confidence is below this")
    t = sub.add_parser("set")
    t.add_argument("file")
    t.add_argument("changes", nargs="+", help="LINES=LABEL, LINES like 12 or 30-41 or 3,5,9")
    c = sub.add_parser("check")
    c.add_argument("file")
    c.add_argument("--lines", default=None)
    k = sub.add_parser("cell")
    k.add_argument("file")
    k.add_argument("changes", nargs="+", help="LINE:START-END=KEY (KEY - for no cell)")
    args = ap.parse_args(argv)

    records = read_records(args.file)
    if args.cmd == "show":
        doc = read_document(args.file)
        if doc is None:
            print(f"{args.file}: its source is not on this machine", file=sys.stderr)
            return 1
        for rec, text in zip(records, doc.lines):
            if not args.first <= rec["line"] <= args.last:
                continue
            if args.unchecked and rec.get("checked"):
                continue
            if args.below is not None and (rec.get("confidence") or 0) >= args.below:
                continue
            mark = "✓" if rec.get("checked") else " "
            print(f"{rec['line']:5d} {rec['label']:8s} {rec.get('confidence') or 0:.2f} {mark}| {text}")
            for start, end, key in rec.get("cells") or ():
                print(f"{'':21s}[{start}:{end}] {key} = {text[start:end]}")
        return 0
    by_line = {r["line"]: r for r in records}
    if args.cmd == "cell":
        return _cells(args.file, args.changes, records, by_line)
    if args.cmd == "set":
        for change in args.changes:
            lines, _, label = change.partition("=")
            try:
                LineLabel(label)
            except ValueError:
                print(f"{args.file}: no label {label!r}; the labels: {', '.join(x.value for x in LineLabel)}",
                      file=sys.stderr)
                return 1
            wanted = _ranges(lines)
            if any(n not in by_line for n in wanted):
                print(f"{args.file}: no line {next(n for n in wanted if n not in by_line)}", file=sys.stderr)
                return 1
            relabelled = sum(by_line[n]["label"] != label for n in wanted)
            for n in wanted:
                by_line[n]["label"] = label
                by_line[n]["checked"] = True
            print(f"{args.file}: lines {lines} → {label}: {relabelled} relabelled, {len(wanted)} now checked")
    else:
        wanted = _ranges(args.lines) if args.lines else list(by_line)
        missing = [n for n in wanted if n not in by_line]
        if missing:
            print(f"{args.file}: no line {missing[0]}", file=sys.stderr)
            return 1
        newly = sum(not by_line[n].get("checked") for n in wanted)
        for n in wanted:
            by_line[n]["checked"] = True
        left = sum(not r.get("checked") for r in records)
        print(f"{args.file}: {newly} lines newly checked ({len(wanted) - newly} already were); {left} unchecked left")
    write(args.file, records)
    return 0


def _cells(path: str, changes: list[str], records: list[dict], by_line: dict[int, dict]) -> int:
    """``review cell``: put each value's cell where the person says."""
    known = _known_keys()
    doc = read_document(path)
    texts = dict(zip((r["line"] for r in records), doc.lines)) if doc is not None else {}
    for change in changes:
        m = _CELL.match(change)
        if m is None:
            print(f"{path}: {change!r} is not LINE:START-END=KEY", file=sys.stderr)
            return 1
        n, start, end, key = int(m[1]), int(m[2]), int(m[3]), m[4]
        if n not in by_line:
            print(f"{path}: no line {n}", file=sys.stderr)
            return 1
        if key != "-" and key not in known:
            print(f"{path}: {key!r} is not a cell key of SCHEMA.md", file=sys.stderr)
            return 1
        text = texts.get(n, by_line[n].get("text") or "")
        if not 0 <= start < end <= len(text):
            print(f"{path}: line {n} has no characters {start}-{end} (it is {text!r})", file=sys.stderr)
            return 1
        said = []
        if key != "-":
            for r in records:  # a cell has one place: the key leaves any other
                kept = [list(c) for c in r.get("cells") or () if c[2] != key]
                if len(kept) != len(r.get("cells") or ()):
                    said.append(f"left line {r['line']}")
                    r["cells"] = kept
        rec = by_line[n]
        cells = [list(c) for c in rec.get("cells") or () if c[1] <= start or c[0] >= end]  # the span's old cell goes
        if key != "-":
            cells.append([start, end, key])
        rec["cells"] = sorted(cells)
        rec["checked"] = True
        print(f"{path}: line {n} {text[start:end]!r} → {key if key != '-' else 'no cell'}"
              + (f" ({', '.join(said)})" if said else ""))
    write(path, records)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
