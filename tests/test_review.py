"""The review page (review.py, gixml review): rendered, then driven in a real headless Chromium.

The browser tests need Chromium and its driver (Debian: ``apt-get install chromium chromium-driver``) and
selenium (the test extra); without them they skip and say so (pytest -rs prints the reason in CI's output).
"""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

import gixml
from gixml.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
FLAGGED = FIXTURES / "seeds" / "003_9c0197b4049a0334.txt"  # failed identities, flagged cells
#: A row the line labeller takes for a sentence (its "件。"): the cells are not read until a person says it is a row.
MISREAD_ROW = "行政许可 3 4 5 件。"


def _render(path: Path, out: Path) -> str:
    assert main(["review", str(path), "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_the_page_is_self_contained_and_shows_every_cell_and_line(tmp_path: Path):
    page = _render(SEEDS[0], tmp_path / "r.html")
    rep = gixml.extract(SEEDS[0])
    for key in rep.values:
        assert f'id="c-{key}"' in page
    n_lines = len(SEEDS[0].read_text(encoding="utf-8").splitlines())
    assert page.count('<li id="L') == n_lines
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched: no CDN, no network
    assert "<link" not in page and "@import" not in page
    assert rep.meta.organization in page


def test_flags_and_failed_identities_are_shown_with_links(tmp_path: Path):
    page = _render(FLAGGED, tmp_path / "r.html")
    rep = gixml.extract(FLAGGED)
    failed = [w for w in rep.warnings if w.code == "identity"]
    assert failed and f"{len(failed)} failed" in page
    for w in failed:
        assert f"{w.left} ≠ {w.right}" in page
        assert all(f'href="#c-{k}"' in page for k in w.cells[:12])
    flagged = [k for k, c in rep.cells.items() if "failed_identity" in c.flags]
    assert flagged and all(re.search(rf'id="c-{re.escape(str(k))}" class="[^"]*f-failed_identity', page)
                           for k in flagged)


def test_a_batch_gives_an_index_sorted_by_what_needs_review(tmp_path: Path):
    results = tmp_path / "results.jsonl"
    assert main(["batch", "-q", *map(str, SEEDS), "-o", str(results)]) == 0
    assert main(["review", str(results), "-o", str(tmp_path / "site")]) == 0
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    pages = re.findall(r'<a href="(\d{5}-[^"]+\.html)">', index)
    assert len(pages) == len(SEEDS) and all((tmp_path / "site" / p).exists() for p in pages)
    assert pages[0].endswith(FLAGGED.stem + ".html")  # the seed with failed identities first
    assert '<a href="index.html">' in (tmp_path / "site" / pages[0]).read_text(encoding="utf-8")


# ------------------------------------------------------------ in a real browser
def _browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("the review page's browser test needs Chromium and chromedriver "
                    "(apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="the browser test needs selenium (the test extra)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.fixture
def browser():
    b = _browser()
    yield b
    b.quit()


def _in_view(browser, element) -> bool:
    return browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(), p = document.getElementById('source').getBoundingClientRect();"
        "return r.top >= p.top && r.bottom <= p.bottom && r.top >= 0 && r.bottom <= window.innerHeight;", element)


def _select_in_line(browser, line: int, start: int, end: int) -> None:
    browser.execute_script(
        "const tx = document.querySelector('#L' + arguments[0] + ' .tx'); const node = tx.firstChild;"
        "const r = document.createRange(); r.setStart(node, arguments[1]); r.setEnd(node, arguments[2]);"
        "const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);", line, start, end)


@pytest.mark.parametrize("source", [SEEDS[0], FLAGGED], ids=["seed", "flagged"])
def test_clicking_a_cell_highlights_its_line_and_characters_in_view(browser, tmp_path: Path, source: Path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _render(source, tmp_path / "r.html")
    rep = gixml.extract(source)
    browser.get((tmp_path / "r.html").as_uri())
    key, cell = max(((k, c) for k, c in rep.cells.items() if c.line), key=lambda kc: kc[1].line)  # far down
    td = browser.find_element(By.ID, f"c-{key}")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", td)
    td.click()
    line = browser.find_element(By.ID, f"L{cell.line}")
    assert "hl" in line.get_attribute("class").split()
    assert line.find_element(By.TAG_NAME, "mark").text == cell.printed
    assert _in_view(browser, line)
    inspector = browser.find_element(By.ID, "inspector").text
    assert str(cell.confidence) in inspector and cell.method in inspector
    # by keyboard alone: move to the next cell and press Enter
    has_left = browser.execute_script("const p = arguments[0].previousElementSibling;"
                                      "return !!p && p.classList.contains('cell');", td)
    td.send_keys(Keys.ARROW_LEFT if has_left else Keys.ARROW_RIGHT)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-key") not in (None, str(key))
    focused.send_keys(Keys.ENTER)
    target = focused.get_attribute("data-line")
    if target:
        assert "hl" in browser.find_element(By.ID, f"L{target}").get_attribute("class").split()


def test_corrections_export_as_an_annotation_file_and_train_back(browser, tmp_path: Path):
    """Review → correct → export → train → the report extracts as corrected."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from test_assemble import active_table, report

    from gixml.training.annotations import read_document

    lines, skip = [], 0
    for line in active_table():
        if skip:
            skip -= 1
        elif line == "行政许可":
            lines.append(MISREAD_ROW)
            skip = 3  # its three value lines
        else:
            lines.append(line)
    source = tmp_path / "report.txt"
    source.write_text(report(active=lines), encoding="utf-8")
    before = gixml.extract(source)
    assert before.values["active.licensing.decisions"] is None  # read as a sentence, not a row
    row = 1 + source.read_text(encoding="utf-8").splitlines().index(MISREAD_ROW)

    _render(source, tmp_path / "r.html")
    browser.get((tmp_path / "r.html").as_uri())
    # the line's label, by keyboard: focus it, Enter, type the label
    li = browser.find_element(By.ID, f"L{row}")
    browser.execute_script("arguments[0].focus()", li)
    li.send_keys(Keys.ENTER)
    prompt = browser.switch_to.alert
    prompt.send_keys("row")
    prompt.accept()
    assert li.find_element(By.CLASS_NAME, "lab").text == "row"
    # where a cell's value is printed: select it in the source, then "Take the selection"
    browser.find_element(By.ID, "c-active.licensing.decisions").click()
    start = MISREAD_ROW.index("5")
    _select_in_line(browser, row, start, start + 1)
    browser.find_element(By.ID, "take").click()
    browser.find_element(By.ID, "export").click()
    exported = browser.find_element(By.ID, "export-text").get_attribute("value")

    records = [json.loads(x) for x in exported.splitlines()]
    mine = records[row - 1]
    assert mine["label"] == "row" and mine["checked"] is True
    assert mine["cells"] == [[start, start + 1, "active.licensing.decisions"]]
    assert sum(r["checked"] for r in records) == 1
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    (annotations / "report.jsonl").write_text(exported, encoding="utf-8")
    doc = read_document(annotations / "report.jsonl")  # gixml train's reader accepts it
    assert doc is not None and doc.labels[row - 1].value == "row"

    assert main(["train", "--annotations", str(annotations), "--out", str(tmp_path / "model"),
                 "--synthetic", "20"]) == 0
    after = gixml.extract(source, labeller=_labeller(tmp_path / "model"))
    assert [after.values[f"active.licensing.{c}"] for c in ("previous", "change", "decisions")] == [3, 4, 5]


def _labeller(model: Path):
    from gixml.lines.cascade import labeller_for

    return labeller_for(model / "line-classifier")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-rs"]))
