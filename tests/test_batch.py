"""Batch processing: finding inputs, parallel runs, the results file, resume
after a kill, errors among good files, the Dask backend."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import gixml
from gixml.batch import BatchOptions, extract_many, find_inputs, read_results, run_batch
from gixml.cli import main
from gixml.errors import UnreadableFileError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))


def _copies(folder: Path, n: int) -> list[Path]:
    """n distinct inputs: the seeds, each copy with its own first line."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        text = SEEDS[i % len(SEEDS)].read_text(encoding="utf-8")
        path = folder / f"r{i:04d}.txt"
        path.write_text(f"副本 {i}\n{text}", encoding="utf-8")
        paths.append(path)
    return paths


def _records(results: Path) -> list[dict]:
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    assert all(line.endswith("\n") for line in lines)
    return [json.loads(line) for line in lines]


def _wait_for_lines(proc: subprocess.Popen, results: Path, n: int) -> None:
    """Until the running batch has written ``n`` lines (or ended, or two minutes passed)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if results.exists() and results.read_bytes().count(b"\n") >= n:
            return
        time.sleep(0.02)


def test_find_inputs_walks_folders_expands_globs_and_names_what_is_missing(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/1.txt", "a/b/2.pdf", "a/b/3.docx", "a/4.htm", "a/notes.json", "a/.hidden.txt", "5.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = find_inputs([str(tmp_path / "a"), str(tmp_path / "*.md"), str(tmp_path / "a" / "1.txt")])
    assert [Path(p).relative_to(tmp_path).as_posix() for p in found] == ["a/1.txt", "a/4.htm", "a/b/2.pdf",
                                                                        "a/b/3.docx", "5.md"]
    with pytest.raises(UnreadableFileError, match="nothing.txt: no such file or folder"):
        find_inputs([str(tmp_path / "nothing.txt")])
    with pytest.raises(UnreadableFileError, match=r"\*.xyz: matches no file"):
        find_inputs([str(tmp_path / "*.xyz")])


def test_batch_writes_a_line_per_input_records_bad_files_and_goes_on(tmp_path, capsys):
    good = _copies(tmp_path / "in", 6)
    (tmp_path / "in" / "damaged.pdf").write_bytes(b"%PDF-1.7\n%broken")
    (tmp_path / "in" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    results, cells, xml = tmp_path / "out" / "results.jsonl", tmp_path / "cells.csv", tmp_path / "xml"
    code = main(["batch", str(tmp_path / "in"), "-o", str(results), "--jobs", "2", "--csv", str(cells),
                 "--xml-dir", str(xml)])
    err = capsys.readouterr().err
    assert code == 1  # errors were recorded
    records = {Path(r["path"]).name: r for r in _records(results)}
    assert len(records) == 8
    assert records["damaged.pdf"]["status"] == "error" and records["damaged.pdf"]["report"] is None
    assert "is not a readable PDF" in records["damaged.pdf"]["error"]
    assert records["image.txt"]["error_type"] == "UnsupportedInputError"
    for path in good:
        record = records[path.name]
        assert record["status"] in ("ok", "warnings") and record["error"] is None
        assert record["report"]["cells"] == gixml.extract(path).to_dict()["cells"]
        assert len(record["sha256"]) == 64
    assert "Traceback" not in err
    assert "8 extracted" in err and "errors 2" in err and "reports/s" in err
    # each failure printed with its reason
    assert f"gixml: error: {tmp_path / 'in' / 'damaged.pdf'}: is not a readable PDF" in err
    assert f"gixml: error: {tmp_path / 'in' / 'image.txt'}: is a PNG image" in err
    rows = cells.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("source,organization,year,format,status,key,table,row,col,value")
    assert len(rows) == 1 + sum(len(records[p.name]["report"]["cells"]) for p in good)
    xmls = sorted(xml.glob("*.xml"))
    assert len(xmls) == 6
    xmlschema = pytest.importorskip("xmlschema")
    from gixml.export import xsd_path

    xmlschema.XMLSchema(xsd_path()).validate(str(xmls[0]))


def test_rerunning_skips_what_is_done_and_redoes_what_changed_or_failed(tmp_path, capsys):
    inputs = _copies(tmp_path / "in", 4)
    bad = tmp_path / "in" / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    results = tmp_path / "results.jsonl"
    run_batch([str(tmp_path / "in")], str(results))
    first = results.read_bytes()
    first_sha = read_results(str(results))[0][os.path.abspath(inputs[1])]["sha256"]
    summary = run_batch([str(tmp_path / "in")], str(results))
    assert (summary.skipped, summary.done) == (5, 0)
    assert results.read_bytes() == first  # nothing appended
    inputs[1].write_text(inputs[1].read_text(encoding="utf-8") + "\n附注。\n", encoding="utf-8")
    summary = run_batch([str(tmp_path / "in")], str(results))
    assert (summary.skipped, summary.done) == (4, 1)
    summary = run_batch([str(tmp_path / "in")], str(results), BatchOptions(retry_errors=True))
    assert (summary.skipped, summary.errors) == (4, 1)
    latest, _ = read_results(str(results))
    assert len(latest) == 5 and len(_records(results)) == 5 + 1 + 1  # the changed input and the retried error
    assert latest[os.path.abspath(inputs[1])]["sha256"] != first_sha
    assert latest[os.path.abspath(bad)]["status"] == "error"
    # the CSV holds the latest report of each input once
    import csv

    from gixml.batch import write_csv

    n = write_csv(str(results), str(tmp_path / "cells.csv"))
    with open(tmp_path / "cells.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == n == sum(len(gixml.extract(p).cells) for p in inputs)
    assert {r["source"] for r in rows} == {str(p) for p in inputs}


def test_the_summary_counts_what_the_results_file_holds(tmp_path):
    inputs = _copies(tmp_path / "in", 5)
    # one report's arithmetic made wrong: a total that no longer adds up
    text = inputs[0].read_text(encoding="utf-8")
    report = gixml.extract(inputs[0])
    total = next(c for k, c in report.cells.items() if k.startswith("requests.") and k.endswith(".total") and c.value)
    lines = text.split("\n")
    lines[total.line - 1] = lines[total.line - 1].replace(total.printed, str(total.value + 7), 1)
    inputs[0].write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    results = tmp_path / "results.jsonl"
    summary = run_batch([str(tmp_path / "in")], str(results), BatchOptions(n_jobs=2))
    records = _records(results)
    by_status = {s: sum(r["status"] == s for r in records) for s in ("ok", "warnings", "not_a_report", "error")}
    assert (summary.ok, summary.warnings, summary.not_a_report, summary.errors) == (
        by_status["ok"], by_status["warnings"], 0, 1)
    failed = [r for r in records if r["report"] and any(w["code"] == "identity" for w in r["report"]["warnings"])]
    assert summary.identities_failed == len(failed) >= 1
    assert summary.error_paths == [str(tmp_path / "in" / "bad.txt")]


def test_a_line_cut_short_is_removed_before_appending(tmp_path):
    _copies(tmp_path / "in", 3)
    results = tmp_path / "results.jsonl"
    run_batch([str(tmp_path / "in")], str(results))
    lines = results.read_bytes().splitlines(keepends=True)
    results.write_bytes(b"".join(lines[:2]) + lines[2][:100])  # as a kill in mid-write would leave it
    summary = run_batch([str(tmp_path / "in")], str(results))
    assert (summary.skipped, summary.done) == (2, 1)
    assert sorted(Path(r["path"]).name for r in _records(results)) == ["r0000.txt", "r0001.txt", "r0002.txt"]


def test_kill_9_mid_batch_then_rerun_gives_every_input_exactly_once(tmp_path):
    inputs = _copies(tmp_path / "in", 400)
    results = tmp_path / "results.jsonl"
    cmd = [sys.executable, "-m", "gixml.cli", "batch", str(tmp_path / "in"), "-o", str(results), "--jobs", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    _wait_for_lines(proc, results, 20)
    assert proc.poll() is None, "the batch ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the command and its worker processes
    proc.wait()
    killed_at = results.read_bytes().count(b"\n")
    assert 20 <= killed_at < len(inputs)
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"skipped {killed_at}: {killed_at} already in results.jsonl" in again.stderr
    names = [Path(r["path"]).name for r in _records(results)]
    assert sorted(names) == sorted(p.name for p in inputs)  # every input, each exactly once


def test_extract_many_yields_every_input_once_as_they_finish(tmp_path):
    inputs = _copies(tmp_path / "in", 12) + [tmp_path / "missing.txt"]
    results = list(extract_many(inputs, BatchOptions(n_jobs=2)))
    assert sorted(r.path for r in results) == sorted(map(str, inputs))
    by_path = {r.path: r for r in results}
    missing = by_path[str(tmp_path / "missing.txt")]
    assert missing.status == "error" and "no such file" in missing.error and missing.report is None
    for path in inputs[:3]:
        assert by_path[str(path)].report.values == gixml.extract(path).values
    serial = list(extract_many(inputs[:2]))
    assert [r.report.values for r in serial] == [by_path[str(p)].report.values for p in inputs[:2]]
    with pytest.raises(ValueError, match="xml_dir, retry_errors are options of run_batch"):
        list(extract_many(inputs, BatchOptions(xml_dir=str(tmp_path), retry_errors=True)))


def test_batch_on_a_dask_localcluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    inputs = _copies(tmp_path / "in", 10)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    results = tmp_path / "results.jsonl"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                  processes=True) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        code = main(["batch", str(tmp_path / "in"), "-o", str(results), "--backend", "dask", "--scheduler",
                     cluster.scheduler_address])
        many = list(extract_many(inputs[:3], BatchOptions(backend="dask", scheduler=cluster.scheduler_address)))
    assert code == 0
    records = {Path(r["path"]).name: r for r in _records(results)}
    assert len(records) == 11
    assert records["empty.txt"]["report"]["status"] == "not_a_report"
    for path in inputs:
        assert records[path.name]["report"]["cells"] == gixml.extract(path).to_dict()["cells"]
    assert sorted(r.path for r in many) == sorted(map(str, inputs[:3]))


def test_dask_backend_without_a_scheduler_is_a_usage_error(tmp_path, capsys):
    shutil.copy(SEEDS[0], tmp_path / "a.txt")
    assert main(["batch", str(tmp_path / "a.txt"), "-o", str(tmp_path / "r.jsonl"), "--backend", "dask"]) == 2
    assert "--backend dask needs --scheduler" in capsys.readouterr().err


def test_extraction_makes_no_reference_cycles(tmp_path):
    """The batch workers pause the cyclic garbage collector while they extract
    (gixml/batch.py): that is only safe while extraction leaves no cycles
    behind. Checked in a fresh process (other tests' threads make garbage)."""
    inputs = _copies(tmp_path / "in", 10) + [tmp_path / "missing.txt"]
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    inputs.append(tmp_path / "in" / "bad.txt")
    script = (
        "import gc, json, sys\n"
        "from gixml.batch import WorkerOptions, _work_chunk\n"
        "paths = json.loads(sys.argv[1])\n"
        "_work_chunk(paths[:2], WorkerOptions())\n"  # imports and the model, loaded once
        "gc.collect(); gc.disable()\n"
        "lines = _work_chunk(paths, WorkerOptions(tune_gc=True))\n"
        "print([done.status for done in lines].count('error'), gc.collect())\n"
    )
    done = subprocess.run([sys.executable, "-c", script, json.dumps([str(p) for p in inputs])],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "0"]  # two errors among the inputs; no unreachable object


def _slow_input(path: Path) -> Path:
    """A text that takes well over a second to extract: a real report repeated to 3 MB."""
    text = SEEDS[0].read_text(encoding="utf-8")
    path.write_text("\n".join([text] * (3_000_000 // len(text.encode("utf-8")))), encoding="utf-8")
    return path


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_input_over_the_time_limit_is_an_error_and_the_run_goes_on(tmp_path, capsys, jobs):
    inputs = _copies(tmp_path / "in", 3)
    slow = _slow_input(tmp_path / "in" / "slow.txt")
    results = tmp_path / "results.jsonl"
    code = main(["batch", str(tmp_path / "in"), "-o", str(results), "--jobs", str(jobs), "--timeout", "0.3"])
    err = capsys.readouterr().err
    assert code == 1
    records = {Path(r["path"]).name: r for r in _records(results)}
    assert records["slow.txt"]["status"] == "error"
    assert records["slow.txt"]["error_type"] == "ExtractionTimeoutError"
    assert 0.3 <= records["slow.txt"]["seconds"] < 5
    assert all(records[p.name]["status"] in ("ok", "warnings") for p in inputs)
    assert f"gixml: error: {slow}: took longer than 0.3 s, the time limit per input (--timeout)" in err
    assert "errors 0 · timeouts 1" in err
    # the limit is lifted: the same command with more time extracts it
    assert main(["batch", str(tmp_path / "in"), "-o", str(results), "--retry-errors", "--timeout", "0"]) == 0
    assert read_results(str(results))[0][os.path.abspath(slow)]["status"] in ("ok", "warnings")


def test_the_time_limit_leaves_no_timer_behind():
    """In-process (one job) the timer is the caller's: it is restored after each input."""
    before = signal.getsignal(signal.SIGALRM)
    results = list(extract_many([SEEDS[0]], BatchOptions(timeout=30)))
    assert results[0].status in ("ok", "warnings")
    assert signal.getsignal(signal.SIGALRM) == before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with pytest.raises(ValueError, match="timeout must be"):
        BatchOptions(timeout=-1)


def test_the_summary_names_not_reports_and_what_was_skipped(tmp_path, capsys):
    _copies(tmp_path / "in", 2)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "notice.txt").write_text("关于做好春节期间值班工作的通知\n各单位：请按时值班。\n", encoding="utf-8")
    for name in ("old1.xls", "old2.xls", "old3.XLS", "scan.jpg", "data.json"):
        (tmp_path / "in" / name).write_bytes(b"\xd0\xcf\x11\xe0")
    results = tmp_path / "results.jsonl"
    assert main(["batch", str(tmp_path / "in"), "-o", str(results)]) == 0
    err = capsys.readouterr().err
    records = {Path(r["path"]).name: r for r in _records(results)}
    assert set(records) == {"r0000.txt", "r0001.txt", "empty.txt", "notice.txt"}
    assert records["empty.txt"]["status"] == records["notice.txt"]["status"] == "not_a_report"
    assert "not a report 2" in err and "errors 0 · timeouts 0" in err
    assert "skipped 5: 3 .xls, 1 .jpg, 1 .json not of a kind gixml reads" in err
    # again: everything is already done
    assert main(["batch", str(tmp_path / "in"), "-o", str(results)]) == 0
    assert "skipped 9: 4 already in results.jsonl; 3 .xls" in capsys.readouterr().err


def test_quiet_prints_only_failures_and_verbose_every_input(tmp_path, capsys):
    inputs = _copies(tmp_path / "in", 2)
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "q.jsonl"), "-q"]) == 1
    quiet = capsys.readouterr().err.strip().splitlines()
    assert len(quiet) == 1 and quiet[0].startswith(f"gixml: error: {tmp_path / 'in' / 'bad.txt'}: is a PNG image")
    assert main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "v.jsonl"), "--verbose"]) == 1
    verbose = capsys.readouterr().err
    for path in inputs:
        assert re.search(rf"^{re.escape(str(path))}: (ok|\d+ warnings?)(, failed identities)? \(\d+\.\d\d s\)$",
                         verbose, re.M)
    assert "gixml: error: " in verbose and "3 extracted" in verbose
    with pytest.raises(SystemExit):
        main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "x.jsonl"), "-q", "-v"])


def test_ctrl_c_says_how_many_are_done_and_the_command_that_resumes(tmp_path):
    inputs = _copies(tmp_path / "in", 400)
    results = tmp_path / "results.jsonl"
    args = ["batch", str(tmp_path / "in"), "-o", str(results), "--jobs", "2", "--provenance", "none"]
    proc = subprocess.Popen([sys.executable, "-m", "gixml.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    _wait_for_lines(proc, results, 20)
    assert proc.poll() is None, "the batch ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group, workers too
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    done = re.search(r"interrupted: (\d+) of 400 inputs were done and are in", err)
    assert done, err
    assert int(done.group(1)) == len(_records(results))
    command = err.strip().splitlines()[-1].strip()
    assert command == shlex.join(["gixml", *args])
    # the printed command resumes: every input exactly once
    again = subprocess.run([sys.executable, "-m", "gixml.cli", *shlex.split(command)[1:]], capture_output=True,
                           text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert sorted(Path(r["path"]).name for r in _records(results)) == sorted(p.name for p in inputs)


def test_batch_writes_the_provenance_level_asked_for(tmp_path):
    inputs = _copies(tmp_path / "in", 2)
    sizes = {}
    for level in ("full", "lines", "none"):
        results = tmp_path / f"{level}.jsonl"
        assert main(["batch", str(tmp_path / "in"), "-o", str(results), "--provenance", level, "-q",
                     "--csv", str(tmp_path / f"{level}.csv")]) == 0
        records = _records(results)
        assert {r["report"]["provenance_level"] for r in records} == {level}
        sizes[level] = results.stat().st_size
        rows = (tmp_path / f"{level}.csv").read_text(encoding="utf-8").splitlines()
        assert len(rows) == 1 + sum(len(gixml.extract(p).cells) for p in inputs)  # the CSV from any level
    assert sizes["full"] > sizes["lines"] > sizes["none"]


def test_a_batch_over_the_corpus_writes_at_most_three_times_its_input(tmp_path):
    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not here")
    results = tmp_path / "results.jsonl"
    main(["batch", str(corpus), "-o", str(results), "--jobs", "2", "-q"])
    inputs = find_inputs([str(corpus)])
    total = sum(os.path.getsize(p) for p in inputs)
    assert len(_records(results)) == len(inputs)
    assert results.stat().st_size <= 3 * total, (results.stat().st_size, total)
