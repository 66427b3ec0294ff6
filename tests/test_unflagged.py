"""The worst output, counted in CI: no set we hold the truth of has a wrong cell without a flag."""
from __future__ import annotations

import pytest

from gixml.training import unflagged


def test_no_seed_has_a_wrong_cell_without_a_flag():
    counts = {c.name: c for c in unflagged.count()}
    assert counts["seeds"].inputs == 5 and counts["seeds"].cells > 900
    assert counts["seeds"].unflagged == []


@pytest.mark.corpus
@pytest.mark.skipif(not (unflagged.SHARED / "corpus").is_dir(), reason="../shared is not on this machine")
def test_no_shared_input_has_a_wrong_cell_without_a_flag():
    counts = {c.name: c for c in unflagged.count()}
    assert {"corpus", "pdf-made"} <= set(counts)
    for name in ("corpus", "pdf-made"):
        assert counts[name].errors == 0, name
        assert counts[name].unflagged == [], "\n".join(counts[name].unflagged)
        assert counts[name].wrong > 0  # the count can fail: some cells are null or flagged wrong
        # confidence that means something: of the cells read with confidence ≥ 0.9, at least 99.9% are right
        sure = [b for (low, _), b in zip(unflagged.BINS, counts[name].bins) if low >= 0.9]
        cells, right = sum(b[0] for b in sure), sum(b[1] for b in sure)
        assert cells > 1000 and right >= 0.999 * cells, (name, cells, right)


def test_a_wrong_cell_without_a_flag_is_counted(tmp_path):
    """The counter itself: a truth that disagrees with a seed's confident cell is listed."""
    import json

    from gixml.training.unflagged import FIXTURES, count

    (tmp_path / "seeds").mkdir()
    (tmp_path / "truth").mkdir()
    seed = sorted((FIXTURES / "seeds").glob("*.txt"))[0]
    (tmp_path / "seeds" / seed.name).write_bytes(seed.read_bytes())
    truth = json.loads((FIXTURES / "truth" / f"{seed.stem}.json").read_text(encoding="utf-8"))
    key = next(k for k, v in truth["cells"].items() if v == 0)
    truth["cells"][key] = 12345
    (tmp_path / "truth" / f"{seed.stem}.json").write_text(json.dumps(truth), encoding="utf-8")
    [seeds] = count(tmp_path)
    assert seeds.wrong == 1 and len(seeds.unflagged) == 1 and key in seeds.unflagged[0]
    assert main_exit(tmp_path) == 1


def main_exit(shared) -> int:
    return unflagged.main(["--shared", str(shared), "--show", "0"])
