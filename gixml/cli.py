"""The ``gixml`` command: a thin layer over the library.

    gixml extract FILE... [--format json|xml|csv] [-o OUT] [--provenance full|lines|none]
    gixml batch INPUT... -o results.jsonl [--jobs N] [--csv FILE] [--xml-dir DIR] [--timeout S] [-q|-v]
    gixml train (--out DIR | --replace-shipped) [--annotations DIR] [--zoo DIR]
    gixml evaluate [--annotations DIR] [--jobs N] [--write FILE]
    gixml annotate FILE [-o OUT] [--least-confident-first]

Only the standard library and gixml's errors and version are imported at
start-up; a command imports what it needs when it runs (the pipeline, the
training code), so ``gixml --help`` is fast.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
import traceback
from collections.abc import Sequence
from typing import TextIO

from .errors import GixmlError
from .version import __version__

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gixml",
        description="Exact, verifiable data from Chinese government information-disclosure annual reports "
        "(政府信息公开工作年度报告): every cell of the three statistical tables, with the line it came from "
        "and a warning wherever the report's own arithmetic does not add up.",
    )
    parser.add_argument("--version", action="version", version=f"gixml {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # options several commands share (argparse "parents")
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", help="print a traceback with an error")
    strict = argparse.ArgumentParser(add_help=False)
    strict.add_argument("--strict", action="store_true", help="treat a text without any table as an error")
    model = argparse.ArgumentParser(add_help=False)
    model.add_argument("--model", metavar="DIR", help="use the line-classifier model in this folder (model.npz and "
                       "card.json, as gixml train writes them) instead of the shipped one")
    provenance = argparse.ArgumentParser(add_help=False)
    provenance.add_argument("--provenance", choices=("full", "lines", "none"), default="lines",
                            help="how much of the source each report carries: full (every cell's provenance, the "
                            "cited lines' text and the six sections' text), lines (default: every cell's provenance "
                            "and the cited lines' text, once), none (values, warnings and flags only)")
    annotations = argparse.ArgumentParser(add_help=False)
    annotations.add_argument("--annotations", metavar="DIR", help="annotation folder (default: ./annotations)")
    annotations.add_argument("--synthetic", type=int, default=None, metavar="N",
                             help="synthetic training documents (default 150)")
    annotations.add_argument("--zoo", metavar="DIR", help="also train on the converter zoo built in DIR (python -m "
                             "gixml.training.zoo.dataset --out DIR); the shipped model is trained with one")

    # name: (options shared with other commands, one-line help, description)
    commands = {
        "extract": (
            [strict, model, provenance, debug], "extract the tables of one or more reports",
            "Extract the tables, metadata and sections of reports (text files in any encoding; '-' reads standard "
            "input). One input gives one JSON/XML document; several give JSON Lines (one report per line), one "
            "<reports> XML document, or one CSV table."),
        "batch": (
            [strict, provenance, debug], "extract many reports in parallel into a JSON Lines file, resumably",
            "Extract every report under INPUT (files, folders searched for .txt .text .md .pdf .docx .doc .wps .rtf .html .htm, glob "
            "patterns) into OUT, one JSON line per input: path, sha256, status (ok / warnings / not_a_report / error) "
            "and the report or the error. Each failure is printed with its reason as it happens; the run ends with a "
            "summary. Re-running the same command skips the inputs already done with the same content; a run "
            "stopped at any point (Ctrl-C, even kill -9) loses at most the inputs in flight."),
        "train": (
            [annotations, debug], "train the line classifier and the value prior from annotated data",
            "Train the line classifier on every annotation file under DIR (lines a person has checked, plus synthetic "
            "layouts, plus with --zoo the converter zoo's labelled texts), and the value prior on DIR/values.tsv, and "
            "write each model with its card into its folder under OUT (line-classifier/, value-prior/); then extract "
            "with --model OUT. It says what it trained on, and the line labels (and annotated cells) right before and "
            "after. --replace-shipped writes the checkout's models/ instead: in a checkout, with ../shared beside it "
            "and --zoo the zoo its card names, this reproduces the shipped models."),
        "evaluate": (
            [annotations, debug], "leave-one-report-out evaluation of the line classifier",
            "Per-label precision/recall/F1 with leave-one-report-out over the real annotated documents, and the cell "
            "score of extraction with the model against rules alone (left-out real documents with a truth file, and "
            "synthetic layouts from an unseen generator seed)."),
        "annotate": (
            [model, debug], "write a pre-labelled annotation file for a report, to correct and train on",
            "Label every line of FILE with the model and write an annotation file (JSON Lines, see "
            "annotations/GUIDELINES.md) with the model's confidence per line and the cells extraction read from "
            "it (\"cells\": [start, end, key] per value). Correct the labels and the cells, set \"checked\": true, "
            "put the file under annotations/ and run gixml train --out DIR."),
        "table": (
            [strict, debug], "one row per report, one column per cell: CSV, Parquet or Excel",
            "Write the wide table of many reports to OUT (.csv, .parquet or .xlsx, by its suffix): one row per report "
            "(path, sha256, organization, year, published, format, status, error, the count of warnings and of cells "
            "flagged failed_identity, low_confidence and undetermined), then one column per cell key of both "
            "formats. A blank cell stays blank, distinct from 0. INPUT is a results file of gixml batch (.jsonl; the "
            "last record of each input) or reports to extract (files, folders, glob patterns); an input that fails "
            "is a row with status error and the reason. Parquet and Excel need pip install 'gixml[data]'."),
        "review": (
            [debug], "a page to check each cell against the line it came from, and correct it",
            "Write a static, self-contained HTML page (no server, nothing fetched) of one report: its tables drawn "
            "as the national form draws them, each cell coloured by how it was read and outlined by its flags, beside "
            "the source text; click a cell to see its line. Corrections (where a value is printed, a line's label) "
            "export as an annotation file for gixml train. With a results file of gixml batch (.jsonl), OUT is a "
            "folder: a page per report and index.html, the reports needing most review first."),
    }
    ex, ba, tr, ev, an, ta, rv = (sub.add_parser(name, parents=parents, help=help_, description=description)
                                  for name, (parents, help_, description) in commands.items())
    rv.add_argument("input", metavar="INPUT", help="a report gixml reads, or a results file (.jsonl)")
    rv.add_argument("-o", "--output", required=True, metavar="OUT",
                    help="the page (.html), or for a results file the folder of pages")
    ta.add_argument("inputs", nargs="+", metavar="INPUT", help="results file (.jsonl), report file, folder or glob")
    ta.add_argument("-o", "--output", required=True, metavar="OUT", help="the table: OUT.csv, OUT.parquet or OUT.xlsx")
    ta.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                    help="worker processes to extract reports with (default 1; -1: one per core)")
    ta.add_argument("--comparable", choices=("exact", "approximate"), default=None,
                    help="write the cells in the keys both national formats share, so that a series runs across "
                    "the 2021 change: exact (the same quantity, or format 2021's three （六） sub-rows summed) or "
                    "approximate (also 本年新制作数量 as 本年制发件数); see gixml/crosswalk.py")
    ex.add_argument("files", nargs="+", metavar="FILE",
                    help="report file(s): text, PDF, Word (.docx; .doc, .wps, .rtf with LibreOffice) or web page; - for "
                    "standard input")
    ex.add_argument("-f", "--format", choices=("json", "xml", "csv"), default="json", help="output format (default json)")
    ex.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    ex.add_argument("-q", "--quiet", action="store_true", help="do not print the reports' warnings on standard error")
    ex.add_argument("--rules-only", action="store_true", help="label lines with the rules alone, without the model")

    ba.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder or glob pattern")
    ba.add_argument("-o", "--output", required=True, metavar="OUT", help="results file (JSON Lines), appended to")
    ba.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (default 1; -1: one per core)")
    ba.add_argument("--csv", metavar="FILE", help="also write every cell of every report as CSV (one row per cell)")
    ba.add_argument("--xml-dir", metavar="DIR", help="also write each report as XML into DIR")
    ba.add_argument("--retry-errors", action="store_true", help="extract again the inputs that failed last time")
    ba.add_argument("--backend", choices=("loky", "dask"), default="loky",
                    help="local worker processes (loky, default) or a Dask cluster (dask)")
    ba.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler, e.g. tcp://10.0.0.5:8786")
    ba.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                    help="show a progress bar (default: when standard error is a terminal)")
    ba.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                    help="time limit per input: one that takes longer is recorded as an error "
                    "(ExtractionTimeoutError) and the run goes on (default 300; 0: no limit)")
    talk = ba.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true",
                      help="print only the inputs that failed (no progress bar, no summary)")
    talk.add_argument("-v", "--verbose", action="store_true",
                      help="print every input as it is done, with its status, warnings and time")

    where = tr.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="DIR", help="the folder to write the models into (then gixml extract --model DIR)")
    where.add_argument("--replace-shipped", action="store_true",
                       help="write the checkout's models/ (the models gixml ships), only on purpose")
    tr.add_argument("--allow-missing-sources", action="store_true",
                    help="with --replace-shipped: train even when some annotated documents' texts are not here")
    tr.add_argument("--seed", type=int, default=None, help="seed of the synthetic-layout generator (default 0)")

    ev.add_argument("--jobs", type=int, default=2, metavar="N", help="folds trained in parallel (default 2)")
    ev.add_argument("--synthetic-test", type=int, default=60, metavar="N",
                    help="synthetic test documents (default 60)")
    ev.add_argument("--write", metavar="FILE", help="also write the Markdown report to FILE")
    ev.add_argument("--card", metavar="FILE",
                    help="also record the headline figures in this model card (the shipped model's: "
                    "models/line-classifier/card.json)")

    an.add_argument("file", metavar="FILE")
    an.add_argument("-o", "--output", metavar="OUT", help="annotation file to write (default: standard output)")
    an.add_argument("--least-confident-first", action="store_true",
                    help="order the records by the model's confidence, lowest first")
    an.add_argument("--no-text", action="store_true",
                    help="leave the lines' text out (for sources that may not be copied); it is read back from FILE")
    return parser


def _write(out: str | None, text: str) -> None:
    """Write to stdout, or atomically to a file (never a half-written file)."""
    if out is None or out == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    directory = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(prefix=".gixml-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _error(message: str, err: TextIO) -> None:
    print(f"gixml: error: {message}", file=err)


def extract_command(args: argparse.Namespace, err: TextIO) -> int:
    from .export import reports_to_xml, rows_to_csv
    from .lines.cascade import labeller_for
    from .lines.labels import Labeller
    from .lines.rules import RuleLabeller
    from .pipeline import extract, extract_document
    from .read.document import read_bytes
    from .report import Report

    labeller: Labeller | None = None
    try:
        if args.rules_only:
            labeller = RuleLabeller()
        elif args.model:
            labeller = labeller_for(args.model)
    except GixmlError as exc:
        _error(str(exc), err)
        return EXIT_ERRORS
    reports: list[Report] = []
    failed = 0
    for name in args.files:
        try:
            if name == "-":
                doc = read_bytes(sys.stdin.buffer.read(), source="<stdin>")
                report = extract_document(doc, strict=args.strict, labeller=labeller)
            else:
                report = extract(name, strict=args.strict, labeller=labeller)
        except GixmlError as exc:
            failed += 1
            _error(str(exc), err)
            if args.debug:
                traceback.print_exc(file=err)
            continue
        except Exception as exc:  # a bug: say which file, keep going
            failed += 1
            _error(f"{name}: internal error ({type(exc).__name__}: {exc}); please report it with this file "
                   "(rerun with --debug for a traceback)", err)
            if args.debug:
                traceback.print_exc(file=err)
            continue
        if not args.quiet:
            for w in report.warnings:
                print(f"{report.source or name}: warning [{w.code}]: {w.message}", file=err)
        reports.append(report)

    if reports:
        if args.format == "json":
            if len(args.files) == 1:
                text = reports[0].to_json(provenance=args.provenance) + "\n"
            else:
                text = "".join(r.to_json(indent=None, provenance=args.provenance) + "\n" for r in reports)
        elif args.format == "xml":
            text = (reports[0].to_xml(provenance=args.provenance) if len(args.files) == 1
                    else reports_to_xml(reports, provenance=args.provenance))
        else:
            text = rows_to_csv(row for r in reports for row in r.to_rows())
        _write(args.output, text)
    return EXIT_ERRORS if failed else EXIT_OK


def batch_command(args: argparse.Namespace, err: TextIO) -> int:
    from .batch import DEFAULT_TIMEOUT, BatchOptions, Verbosity, run_batch

    if args.backend == "dask" and not args.scheduler:
        _error("--backend dask needs --scheduler ADDRESS (the Dask scheduler, e.g. tcp://127.0.0.1:8786)", err)
        return EXIT_USAGE
    if args.timeout is not None and args.timeout < 0:
        _error(f"--timeout takes seconds ≥ 0 (0: no limit), not {args.timeout:g}", err)
        return EXIT_USAGE
    verbosity: Verbosity = "quiet" if args.quiet else "verbose" if args.verbose else "normal"
    options = BatchOptions(n_jobs=args.jobs, backend=args.backend, scheduler=args.scheduler, strict=args.strict,
                           xml_dir=args.xml_dir, csv_path=args.csv, retry_errors=args.retry_errors,
                           progress=args.progress, provenance=args.provenance,
                           timeout=DEFAULT_TIMEOUT if args.timeout is None else (args.timeout or None))
    summary = run_batch(args.inputs, args.output, options, err=err, own_process=getattr(args, "own_process", False),
                        verbosity=verbosity)
    if summary.interrupted:
        command = shlex.join(["gixml", *args.argv])
        print(f"gixml batch: interrupted: {summary.done} of {summary.todo} inputs were done and are in "
              f"{args.output}" + (" (the CSV is written when a run ends)" if args.csv else "") +
              f". To go on where it stopped, run the same command again:\n  {command}", file=err)
        return 130
    if verbosity != "quiet":
        from .dataset import cross_year_summary

        print("gixml batch: " + "\n".join(summary.lines(args.output) + cross_year_summary(args.output)), file=err)
    return EXIT_ERRORS if summary.errors else EXIT_OK


def train_command(args: argparse.Namespace, err: TextIO) -> int:
    from .training.train import DEFAULT_SEED, DEFAULT_SYNTHETIC, train

    if not args.out and not args.replace_shipped:
        _error("name the folder to train into (--out DIR, then gixml extract --model DIR), or --replace-shipped to "
               "replace the models of this checkout", err)
        return EXIT_USAGE
    synthetic = DEFAULT_SYNTHETIC if args.synthetic is None else args.synthetic
    seed = DEFAULT_SEED if args.seed is None else args.seed
    train(args.annotations, args.out, synthetic=synthetic, seed=seed, replace_shipped=args.replace_shipped,
          allow_missing_sources=args.allow_missing_sources, zoo=args.zoo, log=lambda m: print(m, file=err))
    return EXIT_OK


def evaluate_command(args: argparse.Namespace, err: TextIO) -> int:
    from .training.evaluate import evaluate, record_in_card, report
    from .training.train import DEFAULT_SYNTHETIC

    synthetic = DEFAULT_SYNTHETIC if args.synthetic is None else args.synthetic
    result = evaluate(args.annotations, jobs=args.jobs, synthetic=synthetic, synthetic_test=args.synthetic_test,
                      zoo=args.zoo, log=lambda m: print(m, file=err))
    text = report(result)
    sys.stdout.write(text)
    if args.write:
        _write(args.write, text)
    if args.card:
        record_in_card(result, args.card, report_file=args.write)
    return EXIT_OK


def annotate_command(args: argparse.Namespace, err: TextIO) -> int:
    from .confidence import REVIEW_BELOW
    from .lines.cascade import labeller_for
    from .training.annotations import FIELDS, prelabel, write

    labeller = labeller_for(args.model)
    labeller.rule_threshold, labeller.model_threshold = 2.0, 0.0  # the model's label on every line
    target_dir = os.path.dirname(os.path.abspath(args.output)) if args.output and args.output != "-" else os.getcwd()
    records = prelabel(args.file, labeller=labeller, include_text=not args.no_text, relative_to=target_dir,
                       extraction=labeller_for(args.model))  # (the cells as extraction reads them)
    if args.least_confident_first:
        records.sort(key=lambda r: (r["confidence"], r["line"]))
    if args.output and args.output != "-":
        write(args.output, records)
        low = sum(1 for r in records if r["confidence"] < REVIEW_BELOW)
        print(f"{args.output}: {len(records)} lines, {low} with confidence below {REVIEW_BELOW}", file=err)
    else:
        sys.stdout.write("".join(json.dumps({k: r.get(k) for k in FIELDS}, ensure_ascii=False) + "\n"
                                 for r in records))
    return EXIT_OK


def review_command(args: argparse.Namespace, err: TextIO) -> int:
    from .review import review_file, review_site

    if args.input.endswith(".jsonl"):
        if not os.path.isfile(args.input):
            _error(f"{args.input}: no such results file", err)
            return EXIT_ERRORS
        n = review_site(args.input, args.output)
        print(f"gixml review: {n} page(s) and index.html written to {args.output}", file=err)
    else:
        review_file(args.input, args.output)
        print(f"gixml review: {args.output}", file=err)
    return EXIT_OK


def table_command(args: argparse.Namespace, err: TextIO) -> int:
    from itertools import chain

    from .batch import BatchOptions, extract_many, find_inputs_and_others
    from .dataset import write_table

    results = [p for p in args.inputs if p.endswith(".jsonl")]
    missing = [p for p in results if not os.path.isfile(p)]
    if missing:
        _error(f"{missing[0]}: no such results file", err)
        return EXIT_ERRORS
    reports = [p for p in args.inputs if not p.endswith(".jsonl")]
    paths, others = find_inputs_and_others(reports) if reports else ([], [])
    for path in others:
        _error(f"{path}: no such file, or not a report gixml reads", err)
    extracted = extract_many(paths, BatchOptions(n_jobs=args.jobs, strict=args.strict, progress=False)) \
        if paths else iter(())
    failed = 0

    def counted(items: Any) -> Any:
        nonlocal failed
        for item in items:
            if getattr(item, "status", None) == "error":
                failed += 1
                _error(f"{item.path}: {item.error}", err)
            yield item

    sources = chain(*(_results(p) for p in results), counted(extracted))
    n = write_table(sources, args.output, comparable=args.comparable)
    print(f"gixml table: {n} report(s) written to {args.output}" + (f"; {failed} could not be read (status error)"
                                                                     if failed else ""), file=err)
    return EXIT_ERRORS if failed or others else EXIT_OK


def _results(path: str) -> Any:
    from .dataset import records

    return records(path)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line. ``argv`` None: the arguments of this process, which then
    runs nothing else (``gixml batch`` may tune its garbage collector)."""
    parser = _parser()
    args = parser.parse_args(argv)
    args.own_process = argv is None
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    commands = {"extract": extract_command, "batch": batch_command, "train": train_command,
                "evaluate": evaluate_command, "annotate": annotate_command, "table": table_command,
                "review": review_command}
    try:
        return commands[args.command](args, sys.stderr)
    except KeyboardInterrupt:
        _error("interrupted", sys.stderr)
        return 130
    except OSError as exc:  # e.g. the output cannot be written
        _error(f"{getattr(exc, 'filename', None) or ''}: {exc.strerror or exc}".lstrip(": "), sys.stderr)
        return EXIT_ERRORS
    except (GixmlError, ValueError) as exc:
        _error(str(exc), sys.stderr)
        if getattr(args, "debug", False):
            traceback.print_exc(file=sys.stderr)
        return EXIT_ERRORS
    except Exception as exc:  # a bug: one line, the traceback on request
        _error(f"internal error ({type(exc).__name__}: {exc}); please report it "
               "(rerun with --debug for a traceback)", sys.stderr)
        if getattr(args, "debug", False):
            traceback.print_exc(file=sys.stderr)
        return EXIT_ERRORS

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
