import json

import helpers
from helpers import results


def test_full_profile_records_metrics(monkeypatch, isolated):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    assert helpers.record_results("99_demo", data_sizes={"test": 10}, headline={"accuracy": 0.875}, epochs=3) is None
    rec = json.loads((isolated / "results" / "99_demo.json").read_text())
    assert rec["profile"] == "full" and rec["data_sizes"] == {"test": 10}
    assert rec["metrics"]["headline"]["accuracy"] == 0.875 and rec["metrics"]["epochs"] == 3
    assert rec["wall_time_s"] >= 0 and "python" in rec["versions"]


def test_smoke_profile_writes_nothing(isolated, capsys):
    assert helpers.record_results("99_demo", accuracy=0.5) is None
    assert not (isolated / "results").exists()
    assert "not recorded" in capsys.readouterr().out


def test_readme_table_is_rebuilt_between_markers(monkeypatch, isolated, tmp_path):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    helpers.record_results("98_demo", headline={"test_accuracy": 0.91234})
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- RESULTS:START -->\nold\n<!-- RESULTS:END -->\noutro\n")
    results.update_readme(readme)
    text = readme.read_text()
    assert "| 98_demo | test_accuracy=0.9123 |" in text and "old" not in text and text.endswith("outro\n")


def test_nan_is_written_as_null(monkeypatch, isolated):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    helpers.record_results("97_demo", sweep=[{"mse": float("nan")}])
    assert json.loads((isolated / "results" / "97_demo.json").read_text())["metrics"]["sweep"] == [{"mse": None}]
