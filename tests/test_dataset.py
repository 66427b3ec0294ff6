"""The wide table (dataset.py, gixml table): one row per report, one column per cell key."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import gixml
from gixml.cli import main
from gixml.dataset import AMOUNT_KEYS, META_COLUMNS, columns, key_columns, wide_rows
from gixml.forms import FORMATS, cell_keys

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
TRUTH = FIXTURES / "truth"


def _truth(seed: Path) -> dict:
    for path in TRUTH.glob("*.json"):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if truth["source"] == seed.name:
            return truth
    raise AssertionError(f"no truth for {seed.name}")


def _report_with_a_blank_cell() -> gixml.Report:
    """A seed whose text prints one cell as '/': that cell is null, its neighbours 0."""
    for seed in SEEDS:
        rep = gixml.extract(seed)
        if any(v is None for v in rep.values.values()):
            return rep
    pytest.skip("no seed prints a blank cell")  # pragma: no cover - the seeds do


def test_every_key_of_both_formats_is_a_column_once():
    keys = key_columns()
    assert len(keys) == len(set(keys))
    for fmt in FORMATS:
        assert set(map(str, cell_keys(fmt, fees_decisions=fmt == "2019", single_other=fmt == "2021"))) <= set(keys)
    assert columns()[: len(META_COLUMNS)] == META_COLUMNS


def test_rows_hold_the_seeds_values_and_metadata():
    reports = [gixml.extract(s) for s in SEEDS]
    rows = list(wide_rows(reports))
    assert len(rows) == len(SEEDS)
    for seed, row in zip(SEEDS, rows):
        truth = _truth(seed)
        assert row["format"] == truth["format"] and row["year"] == truth["meta"]["year"]
        assert row["status"] in ("complete", "partial")
        for key, value in truth["cells"].items():
            assert row[key] == value, (seed.name, key)
        other = set(key_columns()) - set(truth["cells"])  # the other format's keys
        assert all(row[k] is None for k in other)


def test_a_frame_has_nullable_dtypes_and_keeps_blank_apart_from_zero():
    pd = pytest.importorskip("pandas")
    rep = _report_with_a_blank_cell()
    frame = gixml.to_frame([rep])
    blank = next(k for k, v in rep.values.items() if v is None)
    zero = next(k for k, v in rep.values.items() if v == 0)
    assert frame[blank].isna().all() and frame[zero].tolist() == [0]
    assert str(frame["requests.total.total"].dtype) == "Int64"
    assert all(str(frame[k].dtype) == "Float64" for k in AMOUNT_KEYS)
    assert str(frame["year"].dtype) == "Int64" and str(frame["organization"].dtype) == "string"
    assert pd.api.types.is_datetime64_any_dtype(frame["published"])


def test_parquet_and_excel_read_back_equal_to_the_reports(tmp_path: Path):
    pq = pytest.importorskip("pyarrow.parquet")
    openpyxl = pytest.importorskip("openpyxl")
    reports = [gixml.extract(s) for s in SEEDS]
    assert gixml.write_table(reports, tmp_path / "r.parquet") == len(SEEDS)
    table = pq.read_table(tmp_path / "r.parquet").to_pylist()
    assert gixml.write_table(reports, tmp_path / "r.xlsx") == len(SEEDS)
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)["reports"]
    head, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert tuple(head) == columns() and len(body) == len(SEEDS)
    for rep, pq_row, xl_row in zip(reports, table, body):
        xl = dict(zip(head, xl_row))
        for key, value in rep.values.items():
            assert pq_row[key] == value and xl[key] == value, key  # None stays None, 0 stays 0
        assert pq_row["organization"] == xl["organization"] == rep.meta.organization
        published = pq_row["published"]
        assert (published.date().isoformat() if published else None) == rep.meta.published


def test_csv_writes_blank_as_empty_and_zero_as_zero(tmp_path: Path):
    rep = _report_with_a_blank_cell()
    gixml.write_table([rep], tmp_path / "r.csv")
    with open(tmp_path / "r.csv", encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    for key, value in rep.values.items():
        assert row[key] == ("" if value is None else str(value))


def test_table_command_from_a_results_file_and_from_inputs_with_a_bad_one(tmp_path: Path, capsys):
    results = tmp_path / "results.jsonl"
    assert main(["batch", "-q", str(SEEDS[0]), str(SEEDS[1]), "-o", str(results)]) == 0
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 not really")
    out = tmp_path / "table.csv"
    code = main(["table", str(results), str(SEEDS[2]), str(bad), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and f"{bad}: " in err and "Traceback" not in err
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [Path(r["path"]).name for r in rows] == [SEEDS[0].name, SEEDS[1].name, SEEDS[2].name, bad.name]
    assert rows[-1]["status"] == "error" and "PDF" in rows[-1]["error"] and rows[-1]["requests.total.total"] == ""
    assert rows[0]["sha256"] and rows[0]["requests.total.total"] == str(gixml.extract(SEEDS[0]).values[
        "requests.total.total"])


def test_an_unknown_suffix_is_a_clear_error(tmp_path: Path, capsys):
    assert main(["table", str(SEEDS[0]), "-o", str(tmp_path / "t.json")]) == 1
    assert "a table is written as .csv, .parquet, .xlsx" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_without_pandas_the_error_names_the_extra(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(gixml.MissingDependencyError, match=r"gixml\[data\]"):
        gixml.to_frame([])


# ------------------------------------------------------------ the crosswalk
def test_the_crosswalk_names_every_key_of_both_formats_once():
    from gixml.crosswalk import CROSSWALK, RELATIONS, comparable_keys

    for fmt in FORMATS:
        keys = [str(k) for k in cell_keys(fmt, fees_decisions=fmt == "2019", single_other=fmt == "2021")]
        mine = [x.key for x in CROSSWALK if x.format == fmt]
        assert sorted(mine) == sorted(keys), fmt
    for x in CROSSWALK:
        assert x.relation in RELATIONS and x.why
        assert (x.comparable is None) == (x.relation == "none")
        if x.relation == "same":
            assert x.comparable == x.key
    exact, approx = set(comparable_keys()), set(comparable_keys(approximate=True))
    assert exact < approx and all(x.relation == "approximate" for x in CROSSWALK if x.comparable in approx - exact)
    for key in exact:  # a comparable key is filled from both formats
        assert {x.format for x in CROSSWALK if x.comparable == key and x.relation in ("same", "sum")} == set(FORMATS)


def test_the_crosswalk_document_is_made_from_the_code():
    from gixml.crosswalk import markdown

    assert (Path(__file__).parent.parent / "docs" / "CROSSWALK.md").read_text(encoding="utf-8") == markdown()


def test_comparable_cells_sum_the_2021_sub_rows_and_keep_blanks():
    from gixml.crosswalk import comparable

    cells = {"requests.other_no_correction.total": 2, "requests.other_no_fee.total": 1,
             "requests.other_other.total": 0, "requests.other_no_correction.research": None,
             "requests.other_no_fee.research": 0, "requests.other_other.research": 0,
             "active.regulations.issued": 4, "active.regulations.in_force": 9, "appeals.review.total": 3}
    out = comparable(cells, "2021")
    assert out["requests.other.total"] == 3 and out["requests.other.research"] is None
    assert out["appeals.review.total"] == 3 and "active.regulations.in_force" not in out
    assert "active.regulations.issued" not in out
    assert comparable(cells, "2021", approximate=True)["active.regulations.issued"] == 4
    assert comparable({"active.regulations.new_made": 5}, "2019", approximate=True)["active.regulations.issued"] == 5
    assert set(comparable({}, None).values()) == {None}


def test_a_2019_and_a_2021_seed_share_the_comparable_columns(tmp_path: Path):
    from test_assemble import report

    reports = [gixml.extract(SEEDS[0]), gixml.extract_text(report(fmt="2021"), name="made-2021.txt")]
    assert [r.format for r in reports] == ["2019", "2021"]
    rows = list(wide_rows(reports, comparable="exact"))
    assert all(set(r) == set(columns("exact")) for r in rows)
    for rep, row in zip(reports, rows):
        assert row["requests.new_received.total"] == rep.values["requests.new_received.total"]
        assert row["appeals.review.total"] == rep.values["appeals.review.total"]
        if rep.format == "2019":
            assert row["requests.other.total"] == rep.values["requests.other.total"]
        else:
            assert row["requests.other.total"] == sum(
                rep.values[f"requests.{r}.total"] for r in ("other_no_correction", "other_no_fee", "other_other"))
    assert main(["table", *map(str, SEEDS), "--comparable", "exact", "-o", str(tmp_path / "c.csv")]) == 0
    with open(tmp_path / "c.csv", encoding="utf-8", newline="") as handle:
        assert tuple(csv.DictReader(handle).fieldnames or ()) == columns("exact")


def test_the_dataset_example_builds_the_table_and_the_chart_from_the_shipped_reports(tmp_path: Path):
    """examples/dataset.py on examples/pingtan (seven years of one body, both formats): the Parquet
    table holds each report's truth in the comparable keys, and the chart is written."""
    pq = pytest.importorskip("pyarrow.parquet")
    pytest.importorskip("matplotlib")
    import runpy

    from gixml.crosswalk import comparable

    example = Path(__file__).parent.parent / "examples"
    runpy.run_path(str(example / "dataset.py"), run_name="not_main")["main"](
        ["--work", str(tmp_path), "-o", str(tmp_path / "chart.png")])
    assert (tmp_path / "chart.png").stat().st_size > 10_000
    rows = {Path(r["path"]).stem: r for r in pq.read_table(tmp_path / "reports.parquet").to_pylist()}
    truths = sorted(example.glob("truth/*.truth.json"))
    assert len(rows) == len(truths) == 7
    right = total = 0
    for truth_file in truths:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        row = rows[truth_file.name.removesuffix(".truth.json")]
        assert row["year"] == truth["meta"]["year"] and row["format"] == truth["format"]
        for key, want in comparable(truth["cells"], truth["format"]).items():
            total += 1
            right += row[key] == want
    assert right / total >= 0.995, (right, total)


# ------------------------------------------------------------ across years
def _cells(**kw):
    return {f"requests.{k.replace('__', '.')}": v for k, v in kw.items()}


def test_cross_year_compares_carried_over_with_the_year_before_and_the_2019_item_counts():
    from gixml.dataset import cross_year, organization_key

    body = organization_key("某县 人民政府")
    assert body == organization_key("某县人民政府") != organization_key("某县人民政府办公室")
    y2019 = {**_cells(carried_forward__total=3, carried_forward__natural_person=3),
             "active.penalties.previous": 10, "active.penalties.change": 2}
    y2020 = {**_cells(carried_over__total=3, carried_over__natural_person=2, carried_forward__total=None),
             "active.penalties.previous": 11}
    y2021 = _cells(carried_over__total=None)  # blank: not compared
    other = _cells(carried_over__total=99)
    out = cross_year([(body, 2019, "2019", y2019), (body, 2020, "2019", y2020), (body, 2021, "2021", y2021),
                      ("另一个镇", 2020, "2019", other)])
    assert out[0] == (None, []) and out[3] == (None, [])
    before, found = out[1]
    assert before == 2019 and len(found) == 2
    assert "requests.carried_over.natural_person is 2, but 2019's requests.carried_forward.natural_person is 3" in found
    assert "active.penalties.previous is 11, but 2019's previous + change is 10 + 2 = 12" in found
    assert out[2] == (2020, [])
    twice = cross_year([(body, 2019, "2019", y2019), (body, 2020, "2019", y2020), (body, 2020, "2019", y2020)])
    assert twice[1] == (None, []) and twice[2] == (None, [])  # two reports for one year: not paired


def test_a_body_named_with_and_without_the_areas_above_it_is_one_body_when_the_batch_says_which():
    from gixml.dataset import cross_year, same_bodies

    assert same_bodies(["洪泽区人民政府", "淮安市洪泽区人民政府", "淮安市人民政府"])["洪泽区人民政府"] == "淮安市洪泽区人民政府"
    nested = same_bodies(["岔河镇人民政府", "洪泽区岔河镇人民政府", "江苏省淮安市洪泽区岔河镇人民政府"])
    assert set(nested.values()) == {"江苏省淮安市洪泽区岔河镇人民政府"}
    # two cities have a 鼓楼区: the short name is neither
    two = same_bodies(["鼓楼区人民政府", "南京市鼓楼区人民政府", "福州市鼓楼区人民政府"])
    assert two == {k: k for k in two}
    # a name without an area of its own, or a body below another, is not matched
    assert same_bodies(["人民政府", "淮安市人民政府"])["人民政府"] == "人民政府"
    assert same_bodies(["某县人民政府", "某县人民政府办公室"])["某县人民政府"] == "某县人民政府"
    cells_2023 = {"requests.carried_forward.total": 3}
    cells_2024 = {"requests.carried_over.total": 2}
    out = cross_year([("洪泽区人民政府", 2023, "2021", cells_2023), ("淮安市洪泽区人民政府", 2024, "2021", cells_2024)])
    want = "requests.carried_over.total is 2, but 2023's requests.carried_forward.total is 3"
    assert out[1][0] == 2023 and out[1][1] == [want]


def test_cross_year_on_the_corpus_finds_what_the_truth_holds():
    """Every body of ../shared/corpus with consecutive years: the pairs gixml finds from its extraction, and
    their disagreements, are those the truth files give (the 2019→2020 item counts of two bodies). One body
    prints its name with its city one year and without it the next (洪泽区人民政府, 淮安市洪泽区人民政府)."""
    from conftest import SHARED

    from gixml.dataset import cross_year, organization_key

    cases = sorted((SHARED / "corpus").glob("*/truth.json"))
    if not cases:
        pytest.skip("../shared/corpus is not here")
    truths, extracted = [], []
    for truth_file in cases:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        # the web page's text, or, for a report published as a PDF or markdown, the first text users have of it
        texts = sorted(truth_file.parent.glob("text-*.txt"), key=lambda t: (t.name != "text-page.txt", t.name))
        text = texts[0]
        rep = gixml.extract(text)
        key = organization_key(rep.meta.organization)
        truths.append((key, truth["meta"]["year"], truth["format"], truth["cells"]))
        extracted.append((key, rep.meta.year, rep.format, rep.values))
    want, got = cross_year(truths), cross_year(extracted)
    assert sum(1 for before, _ in got if before is not None) == 19
    assert got == want
    assert sum(1 for _, found in got if found) == 2
