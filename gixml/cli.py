"""The ``gixml`` command: a thin layer over the library.

    gixml extract FILE... [--format json|xml|csv] [-o OUT]

Only the standard library is imported at start-up; the pipeline is imported
when a command runs, so ``gixml --help`` is fast.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from typing import TextIO

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="gixml",
        description="Exact, verifiable data from Chinese government information-disclosure annual reports "
        "(政府信息公开工作年度报告): every cell of the three statistical tables, with the line it came from "
        "and a warning wherever the report's own arithmetic does not add up.",
    )
    parser.add_argument("--version", action="version", version=f"gixml {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser(
        "extract",
        help="extract the tables of one or more reports",
        description="Extract the tables, metadata and sections of reports (text files in any encoding; "
        "'-' reads standard input). One input gives one JSON/XML document; several give JSON Lines "
        "(one report per line), one <reports> XML document, or one CSV table.",
    )
    ex.add_argument("files", nargs="+", metavar="FILE", help="report text file(s), or - for standard input")
    ex.add_argument("-f", "--format", choices=("json", "xml", "csv"), default="json", help="output format (default json)")
    ex.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    ex.add_argument("--strict", action="store_true", help="treat a text without any table as an error")
    ex.add_argument("-q", "--quiet", action="store_true", help="do not print the reports' warnings on standard error")
    ex.add_argument("--debug", action="store_true", help="print a traceback with each error")
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
    from .errors import GixmlError
    from .export import reports_to_xml, rows_to_csv
    from .pipeline import extract
    from .report import Report

    reports: list[Report] = []
    failed = 0
    for name in args.files:
        try:
            if name == "-":
                from .read import decode

                text, _ = decode(sys.stdin.buffer.read(), source="<stdin>")
                report = extract(text if "\n" in text else text + "\n", strict=args.strict)
            else:
                report = extract(os.fspath(name) if os.path.exists(name) else _missing(name), strict=args.strict)
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
                text = reports[0].to_json() + "\n"
            else:
                text = "".join(r.to_json(indent=None) + "\n" for r in reports)
        elif args.format == "xml":
            text = reports[0].to_xml() if len(args.files) == 1 else reports_to_xml(reports)
        else:
            text = rows_to_csv(row for r in reports for row in r.to_rows())
        _write(args.output, text)
    return EXIT_ERRORS if failed else EXIT_OK


def _missing(name: str) -> str:
    from .errors import UnreadableFileError

    raise UnreadableFileError("no such file", path=name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        if args.command == "extract":
            return extract_command(args, sys.stderr)
    except KeyboardInterrupt:
        _error("interrupted", sys.stderr)
        return 130
    except OSError as exc:  # e.g. the output cannot be written
        _error(f"{getattr(exc, 'filename', None) or ''}: {exc.strerror or exc}".lstrip(": "), sys.stderr)
        return EXIT_ERRORS
    parser.print_help()
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
