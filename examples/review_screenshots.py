"""The README's pictures of the review page: two reports, a cell clicked in each.

    python examples/review_screenshots.py      # needs chromium, chromium-driver and selenium

Writes docs/review-clean.png (a report read whole) and docs/review-flagged.png
(a seed whose own arithmetic fails: its flagged cells outlined in red).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = [
    (ROOT / "tests" / "fixtures" / "seeds" / "000_39cc965ecdfa4ae6.txt", "requests.new_received.total",
     ROOT / "docs" / "review-clean.png"),
    (ROOT / "tests" / "fixtures" / "seeds" / "003_9c0197b4049a0334.txt", None, ROOT / "docs" / "review-flagged.png"),
]


def main() -> int:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,860", "--hide-scrollbars"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "chromedriver"), options=options)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for source, key, png in SHOTS:
                page = Path(tmp) / (source.stem + ".html")
                subprocess.run([sys.executable, "-m", "gixml.cli", "review", str(source.relative_to(ROOT)), "-o",
                                str(page)], check=True, cwd=ROOT)
                browser.get(page.as_uri())
                cell = (browser.find_element(By.ID, f"c-{key}") if key else
                        browser.find_element(By.CSS_SELECTOR, "td.cell.f-failed_identity"))
                browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
                cell.click()
                browser.save_screenshot(str(png))
                print(png)
    finally:
        browser.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
