"""Check annotation files by hand: show lines with their labels, correct them, mark them checked.

    python -m gixml.training.review show FILE [--from N] [--to M] [--unchecked] [--below 0.9]
    python -m gixml.training.review set FILE 12=noise 30-41=label ...
    python -m gixml.training.review check FILE [--lines 1-200]

``show`` prints ``line  label  confidence  checked | text`` (the text read from
the source when the file does not hold it). ``set`` changes labels (and marks
those lines checked); ``check`` marks lines checked once a person has read them.
"""
from __future__ import annotations

import argparse
import sys

from gixml.lines.labels import LineLabel

from .annotations import read_document, read_records, write


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
        return 0
    by_line = {r["line"]: r for r in records}
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


if __name__ == "__main__":
    raise SystemExit(main())
