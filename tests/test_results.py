import json
import re

import helpers
from helpers import results


def test_full_profile_records_metrics(monkeypatch, isolated, capsys):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    helpers.record_results(
        "99_demo", data_sizes={"test": 10}, headline={"accuracy": 0.875}, epochs=3
    )
    out = capsys.readouterr().out
    assert out.startswith("Recorded 2 metrics to results/99_demo.json (wall time so far ")
    assert sorted(p.name for p in (isolated / "results").iterdir()) == [
        "99_demo.json"
    ]  # no temp files left
    rec = json.loads((isolated / "results" / "99_demo.json").read_text())
    assert rec["notebook"] == "99_demo"
    assert rec["profile"] == "full"
    assert rec["data_sizes"] == {"test": 10}
    assert rec["metrics"] == {"headline": {"accuracy": 0.875}, "epochs": 3}
    assert rec["wall_time_s"] >= 0
    assert "python" in rec["versions"]
    assert "numpy" in rec["versions"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rec["recorded_at"])
    assert rec["data_served"] == {}
    assert rec["machine"]["cpus"] >= 1


def test_recording_again_replaces_the_file(monkeypatch, isolated):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    helpers.record_results("99_demo", headline={"accuracy": 0.5})
    helpers.record_results("99_demo", headline={"accuracy": 0.75})
    rec = json.loads((isolated / "results" / "99_demo.json").read_text())
    assert rec["metrics"]["headline"] == {"accuracy": 0.75}


def test_smoke_profile_writes_nothing(monkeypatch, isolated, capsys):
    (isolated / "results").mkdir()
    (isolated / "results" / "99_demo.json").write_text("{}")  # a published result stays as it was
    helpers.record_results("99_demo", accuracy=0.5)
    assert (
        capsys.readouterr().out
        == "[smoke profile] results not recorded (only full-profile runs are published).\n"
    )
    assert [p.name for p in (isolated / "results").iterdir()] == ["99_demo.json"]
    assert (isolated / "results" / "99_demo.json").read_text() == "{}"


def test_readme_table_is_rebuilt_between_markers(monkeypatch, isolated, tmp_path):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    helpers.record_results("98_demo", headline={"test_accuracy": 0.91234})
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- RESULTS:START -->\nold\n<!-- RESULTS:END -->\noutro\n")
    results.update_readme(readme)
    text = readme.read_text()
    assert "| 98_demo | test_accuracy=0.9123 |" in text
    assert "old" not in text
    assert text.endswith("outro\n")


def test_nan_is_written_as_null(monkeypatch, isolated):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    helpers.record_results("97_demo", sweep=[{"mse": float("nan")}])
    assert json.loads((isolated / "results" / "97_demo.json").read_text())["metrics"]["sweep"] == [
        {"mse": None}
    ]


def _write(folder, name, metrics, wall=12.0):
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "notebook": name,
        "profile": "full",
        "wall_time_s": wall,
        "metrics": metrics,
        "data_served": {},
    }
    (folder / f"{name}.json").write_text(json.dumps(record))


def test_table_without_headline_shows_the_plain_top_level_metrics(isolated):
    """The fallback: no "headline" key -> every top-level number or string, never the nested curves."""
    _write(
        isolated / "results",
        "96_demo",
        {"mse": 0.123456, "epochs": 7, "curve": [1.0, 0.5], "per_seed": {"42": 0.1}},
    )
    row = results.results_table().splitlines()[-1]
    assert row == "| 96_demo | mse=0.1235, epochs=7 | 12 s |"


def test_table_with_empty_headline_also_falls_back(isolated):
    _write(isolated / "results", "96_demo", {"headline": {}, "rmse": 2.5})
    assert results.results_table().splitlines()[-1] == "| 96_demo | rmse=2.5 | 12 s |"


def test_table_rows_are_sorted_by_notebook_and_long_runs_in_minutes(isolated):
    _write(isolated / "results", "95_b", {"headline": {"acc": 0.5}}, wall=600)
    _write(isolated / "results", "94_a", {"headline": {"acc": 0.25}}, wall=59.6)
    lines = results.results_table().splitlines()
    assert (
        lines[0]
        == "| notebook | headline metrics (test split) | wall time (start to record call) |"
    )
    assert lines[1] == "|---|---|---|"
    assert lines[2:] == ["| 94_a | acc=0.25 | 60 s |", "| 95_b | acc=0.5 | 10.0 min |"]
