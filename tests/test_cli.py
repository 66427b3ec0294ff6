"""The command line, called in-process: exit codes, outputs and one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gixml.cli import main

SEEDS = sorted((Path(__file__).parent / "fixtures" / "seeds").glob("*.txt"))


def test_extract_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "-q", str(SEEDS[0])]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["cells"]["requests.new_received.total"] == 35


def test_extract_several_is_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "-q", *map(str, SEEDS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(SEEDS)
    assert all(json.loads(line)["format"] == "2019" for line in lines)


def test_bad_file_among_good_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%binary")
    out = tmp_path / "cells.csv"
    code = main(["extract", "-q", str(pdf), str(tmp_path / "missing.txt"), str(SEEDS[0]), "-f", "csv", "-o", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err == [
        f"gixml: error: {pdf}: is not a readable PDF (PdfminerException: No /Root object! - Is this really a PDF?)",
        f"gixml: error: {tmp_path / 'missing.txt'}: no such file",
    ]
    assert "Traceback" not in "\n".join(err)
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("source,organization,year,format,status,key,table,row,col,value")
    assert len(rows) == 1 + 198


def test_warnings_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEEDS[3]), "-f", "xml"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("<?xml")
    assert "warning [identity]" in captured.err
    assert "warning [table_without_data]" in captured.err


def test_strict_not_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prose = tmp_path / "prose.txt"
    prose.write_text("今天天气很好。\n我们去公园散步，看到了很多人。\n", encoding="utf-8")
    assert main(["extract", "-q", str(prose)]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "not_a_report"
    assert main(["extract", "--strict", str(prose)]) == 1
    assert "holds none of the three statistical tables" in capsys.readouterr().err


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "extract" in capsys.readouterr().out


def test_help_does_not_import_the_pipeline() -> None:
    code = (
        "import sys; from gixml import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('gixml.pipeline', 'gixml.tables.assemble', 'charset_normalizer', 'sklearn', 'spacy', "
        "'numpy', 'datasets') if m in sys.modules]\n"
        "print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_errors_are_one_line_and_debug_adds_the_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.txt"
    assert main(["extract", str(missing)]) == 1
    assert capsys.readouterr().err == f"gixml: error: {missing}: no such file\n"
    assert main(["extract", "--debug", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"gixml: error: {missing}: no such file\n") and "Traceback" in err
    assert main(["train", "--annotations", str(tmp_path / "none"), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("gixml: error: ") and "Traceback" not in err[0]
