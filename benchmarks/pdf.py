"""Reading PDFs: the pdfplumber engine against the pdfium engine, in one run, on every PDF in ../shared.

    python benchmarks/pdf.py [--shared ../shared] [--repeat 3]

Takes every ``*.pdf`` under ``../shared`` (the seeds, the corpus's originals,
``pdf-made``), and for each engine (``read_pdf(engine="pdfplumber")``, the old
path, and ``engine="pdfium"``, ``gixml.read.pdf_fast``) measures:

- **read**: ``read_pdf`` on the file's bytes (held in memory), the text only;
- **extract**: ``gixml.extract`` on the file, the whole pipeline, the engine
  chosen by ``GIXML_PDF_ENGINE``.

Each measure is the shortest of ``--repeat`` rounds; in each round the two
engines take turns file by file, so a machine busy with something else slows
both alike. It runs in one process on one core, so PDFs/s is also PDFs/s per
core. It checks that the two engines give the same text on every PDF (and the
same report from ``extract``) and names any that differ. Issue 20's target:
the pdfium engine ≥ 4× the pdfplumber engine, with identical text.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENGINES = ("pdfplumber", "pdfium")


def pdfs(shared: Path) -> list[Path]:
    """Every PDF under the shared folder, in a fixed order."""
    return sorted(p for p in shared.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=3, help="rounds; each figure is the shortest round")
    args = ap.parse_args(argv)

    import gixml
    from gixml.read.pdf import read_pdf

    files = pdfs(args.shared)
    if not files:
        print(f"no PDFs under {args.shared}", file=sys.stderr)
        return 2
    data = [f.read_bytes() for f in files]
    names = [str(f.relative_to(args.shared)) for f in files]
    texts: dict[str, list[str]] = {}
    reports: dict[str, list[str]] = {}
    for engine in ENGINES:  # warm up (imports, the model) and keep each engine's output
        texts[engine] = [read_pdf(d, path=n, engine=engine) for d, n in zip(data, names)]
        os.environ["GIXML_PDF_ENGINE"] = engine
        reports[engine] = [gixml.extract(f).to_json() for f in files]
    read_times = {e: [] for e in ENGINES}  # type: dict[str, list[float]]
    extract_times = {e: [] for e in ENGINES}  # type: dict[str, list[float]]
    for _ in range(max(1, args.repeat)):
        rounds = {e: 0.0 for e in ENGINES}
        for d, n in zip(data, names):
            for engine in ENGINES:
                start = time.perf_counter()
                read_pdf(d, path=n, engine=engine)
                rounds[engine] += time.perf_counter() - start
        for e in ENGINES:
            read_times[e].append(rounds[e])
        rounds = {e: 0.0 for e in ENGINES}
        for f in files:
            for engine in ENGINES:
                os.environ["GIXML_PDF_ENGINE"] = engine
                start = time.perf_counter()
                gixml.extract(f)
                rounds[engine] += time.perf_counter() - start
        for e in ENGINES:
            extract_times[e].append(rounds[e])
    os.environ.pop("GIXML_PDF_ENGINE", None)

    from importlib.metadata import version

    n = len(files)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"pdfplumber {version('pdfplumber')}, pypdfium2 {version('pypdfium2')}; one process (PDFs/s = per core)")
    print(f"{n} PDFs under {args.shared}, shortest of {args.repeat} rounds")
    for label, times in (("read", read_times), ("extract", extract_times)):
        old, new = min(times["pdfplumber"]), min(times["pdfium"])
        print(f"{label:8s} pdfplumber {n / old:6.2f} PDFs/s ({old:.2f} s)   pdfium {n / new:6.2f} PDFs/s ({new:.2f} s)"
              f"   speed-up {old / new:.2f}x")
    same_text = [a == b for a, b in zip(texts["pdfplumber"], texts["pdfium"])]
    same_report = [a == b for a, b in zip(reports["pdfplumber"], reports["pdfium"])]
    print(f"identical text: {sum(same_text)}/{n}   identical extract: {sum(same_report)}/{n}")
    for name, st, sr in zip(names, same_text, same_report):
        if not (st and sr):
            print(f"  differs: {name} ({'text' if not st else 'report'})")
    return 0 if all(same_text) and all(same_report) else 1


if __name__ == "__main__":
    sys.exit(main())
