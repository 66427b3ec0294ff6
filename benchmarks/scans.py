"""The scan test set: reports printed, stamped and scanned, read back by OCR and scored against truth.

    python benchmarks/scans.py [--limit N] [--dpi 150 300] [--keep DIR]

Each case is a PDF made the way offices make them (``../shared/pdf-made``: Word
tables → LibreOffice PDF) or a LibreOffice PDF of a Word document built from a corpus report's or a
seed's truth (``examples/truth``, ``tests/fixtures/truth``), turned into a scan: rendered at 150 and 300 dpi, turned by
a small angle, a red round stamp over part of a table, grey noise, and wrapped
back into an image-only PDF. gixml reads each through OCR (``gixml[ocr]``).
It prints, per resolution: cells right, non-zero cells right, confident wrong
cells (confidence ≥ 0.9 and not the truth's: the number that must stay 0),
wrong cells without a flag, and pages per second: wall, and per CPU-second (onnxruntime spreads a page over
every core, so the CPU time is the per-core figure, and it holds when other work shares the machine).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def cases(limit: int | None) -> list[tuple[str, Path | None, dict]]:
    """(name, original PDF or None to make one from the truth, truth)."""
    out: list[tuple[str, Path | None, dict]] = []
    for folder in sorted((SHARED / "pdf-made").glob("*")):
        if (folder / "original.pdf").exists() and (folder / "truth.json").exists():
            out.append((folder.name, folder / "original.pdf", json.loads((folder / "truth.json").read_text("utf-8"))))
    for truth_file in sorted((ROOT / "examples" / "truth").glob("*.truth.json")):
        out.append((truth_file.stem, None, json.loads(truth_file.read_text("utf-8"))))
    for truth_file in sorted((ROOT / "tests" / "fixtures" / "truth").glob("*.json")):  # the seeds
        out.append((f"seed-{truth_file.stem}", None, json.loads(truth_file.read_text("utf-8"))))
    return out[:limit] if limit else out


def _pdf_of(truth: dict, tmp: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from report_builders import build_docx

    from gixml.training.zoo.convert import soffice_convert

    build_docx(truth, tmp / "made.docx")
    soffice_convert(tmp / "made.docx", "pdf", tmp)
    return tmp / "made.pdf"


def scanned(pdf: Path, dpi: int, out: Path, seed: int) -> int:
    """An image-only PDF of ``pdf`` as a scanner gives it; returns its pages."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    pages = []
    document = pdfium.PdfDocument(str(pdf))
    for n in range(len(document)):
        image = document[n].render(scale=dpi / 72).to_pil().convert("RGB")
        w, h = image.size
        if n == 1 or len(document) == 1:  # a red stamp over part of a table
            stamp = Image.new("RGBA", image.size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(stamp)
            r = int(0.09 * w)
            cx, cy = int(w * rng.uniform(0.55, 0.75)), int(h * rng.uniform(0.3, 0.6))
            for k in range(3):
                draw.ellipse((cx - r + k * 3, cy - r + k * 3, cx + r - k * 3, cy + r - k * 3),
                             outline=(210, 30, 30, 150), width=max(2, dpi // 75))
            draw.regular_polygon((cx, cy, r // 3), 5, fill=(210, 30, 30, 120))
            image = Image.alpha_composite(image.convert("RGBA"), stamp).convert("RGB")
        angle = rng.uniform(-0.8, 0.8)
        image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255))
        pixels = np.asarray(image).astype(np.int16)
        noise = np.random.default_rng(seed + n).normal(0, 10, pixels.shape[:2])[..., None]
        image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.4))
        pages.append(image)
    pages[0].save(out, save_all=True, append_images=pages[1:], resolution=dpi)
    return len(pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="the first N cases only")
    ap.add_argument("--dpi", type=int, nargs="+", default=[150, 300])
    ap.add_argument("--keep", type=Path, default=None, help="keep the scanned PDFs in this folder")
    args = ap.parse_args(argv)
    import gixml

    found = cases(args.limit)
    print(f"{len(found)} cases")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(args.keep or tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        for dpi in args.dpi:
            right = total = nz_right = nz_total = confident_wrong = unflagged = pages = 0
            seconds = cpu = 0.0
            for i, (name, original, truth) in enumerate(found):
                pdf = original if original is not None else _pdf_of(truth, tmp)
                scan = tmp / f"{name}-{dpi}.pdf"
                pages += scanned(pdf, dpi, scan, seed=i)
                started, started_cpu = time.perf_counter(), time.process_time()
                report = gixml.extract(scan)
                seconds += time.perf_counter() - started
                cpu += time.process_time() - started_cpu
                skip = set(truth.get("ambiguous", []))
                misses, case_right = [], 0
                for key, want in truth["cells"].items():
                    if key in skip:
                        continue
                    cell = report.cells.get(gixml.CellKey.parse(key))
                    got = cell.value if cell else None
                    ok = got == want or (got is not None and want is not None and math.isclose(got, want))
                    total += 1
                    right += ok
                    case_right += ok
                    if want:
                        nz_total += 1
                        nz_right += ok
                    if not ok:
                        flags = ",".join(cell.flags) if cell else ""
                        misses.append(f"{key}: {got} (want {want}{', ' + flags if flags else ''})")
                        if cell is not None and got is not None:
                            confident_wrong += cell.confidence >= 0.9
                            unflagged += not cell.flags
                print(f"  {dpi} dpi {name}: {case_right}/{len(truth['cells']) - len(skip)}"
                      + (f"  {misses[:4]}" if misses else ""), flush=True)
            print(f"{dpi} dpi: cells {right / total:.2%} ({right}/{total}) · non-zero {nz_right / nz_total:.2%} · "
                  f"confident wrong {confident_wrong} · wrong without a flag {unflagged} · "
                  f"{pages / seconds:.2f} pages/s wall, {pages / cpu:.2f} pages per CPU-second (per core) "
                  f"({pages} pages, {seconds:.0f} s wall, {cpu:.0f} s CPU)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
