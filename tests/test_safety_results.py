"""Issue 18 (results safety): no sample numbers published, no README injection, no writes outside results/."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import helpers
import helpers.data as data
from helpers import results
from helpers.__main__ import main

README = "intro\n<!-- RESULTS:START -->\nold table\n<!-- RESULTS:END -->\noutro | with a pipe\n"


def _readme(tmp_path: Path, text: str = README) -> Path:
    path = tmp_path / "README.md"
    path.write_text(text, encoding="utf-8")
    return path


def _result_file(folder: Path, stem: str, **fields) -> Path:
    record = {
        "notebook": stem,
        "profile": "full",
        "wall_time_s": 12.0,
        "metrics": {"headline": {"acc": 0.9}},
    }
    record.update(fields)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def _block(text: str) -> str:
    return text.split("<!-- RESULTS:START -->\n")[1].split("\n<!-- RESULTS:END -->")[0]


# ------------------------------------------------------------------ 1. no sample numbers as the course's


def test_1_record_results_refuses_after_a_sample_was_served(monkeypatch, isolated, capsys):
    published = _result_file(isolated / "results", "07_nsmc_korean_sentiment")
    before = published.read_bytes()
    monkeypatch.setenv("COURSE_PROFILE", "full")
    helpers.load_nsmc("test")  # offline in tests: the bundled sample
    assert (
        helpers.record_results("07_nsmc_korean_sentiment", data_sizes={"test": 2000}, accuracy=0.5)
        is None
    )
    out = capsys.readouterr().out
    assert "NOT recorded" in out
    assert "NSMC" in out
    assert "make data" in out
    assert "COURSE_DATA_DIR" in out
    assert published.read_bytes() == before
    assert sorted(p.name for p in (isolated / "results").iterdir()) == [
        "07_nsmc_korean_sentiment.json"
    ]


def test_1_record_results_writes_what_data_was_served(monkeypatch, isolated):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    data._mark_served("IMDB", "full")
    helpers.record_results("06_demo", accuracy=0.9)
    rec = json.loads((isolated / "results" / "06_demo.json").read_text())
    assert rec["data_served"] == {"IMDB": "full"}


def test_1_results_from_a_sample_run_are_not_put_in_the_readme(isolated, tmp_path):
    _result_file(isolated / "results", "07_x", data_served={"NSMC": "sample"})
    readme = _readme(tmp_path)
    with pytest.raises(results.ResultsError, match=r"07_x\.json"):
        results.update_readme(readme)
    assert readme.read_text() == README


# ------------------------------------------------------------------ 2. README injection


def test_2_notebook_field_must_match_the_file_name(isolated, tmp_path):
    evil = "99_x <!-- RESULTS:END -->\n# Injected\n<!-- RESULTS:START -->"
    _result_file(isolated / "results", "99_x", notebook=evil)
    readme = _readme(tmp_path)
    with pytest.raises(results.ResultsError, match="must equal the file name"):
        results.update_readme(readme)
    assert readme.read_text() == README


def test_2_pipes_newlines_html_and_markers_in_metrics_are_escaped(isolated, tmp_path):
    headline = {
        "a|b": "x\ny",
        "end": "<!-- RESULTS:END -->\n## Injected <img src=x>",
        "acc": 0.91234,
    }
    _result_file(isolated / "results", "98_demo", metrics={"headline": headline})
    readme = _readme(tmp_path)
    for _ in range(3):  # idempotent: the block never copies itself
        results.update_readme(readme)
    text = readme.read_text()
    assert text.count("<!-- RESULTS:START -->") == 1
    assert text.count("<!-- RESULTS:END -->") == 1
    assert text.startswith("intro\n<!-- RESULTS:START -->\n")
    assert text.endswith("<!-- RESULTS:END -->\noutro | with a pipe\n")
    rows = _block(text).splitlines()
    assert len(rows) == 3
    assert "<img" not in text
    assert "## Injected" in rows[2]
    assert rows[2].startswith("| 98_demo | a\\|b=x y, end=&lt;!-- RESULTS:END --&gt; ## Injected")
    assert rows[2].count(" | ") == 2  # three cells, as many as the header


def test_2_readme_without_exactly_one_marker_pair_is_left_untouched(isolated, tmp_path):
    _result_file(isolated / "results", "98_demo")
    for text in ("no markers\n", README + README, "<!-- RESULTS:END -->\n<!-- RESULTS:START -->\n"):
        readme = _readme(tmp_path, text)
        with pytest.raises(results.ResultsError, match="exactly one"):
            results.update_readme(readme)
        assert readme.read_text() == text


# ------------------------------------------------------------------ 3. missing, empty or malformed results


@pytest.mark.parametrize("make", [False, True], ids=["missing", "empty"])
def test_3_missing_or_empty_results_folder_is_an_error_and_the_readme_stays(
    monkeypatch, isolated, tmp_path, capsys, make
):
    folder = isolated / "results-typo"
    if make:
        folder.mkdir()
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(folder))
    readme = _readme(tmp_path)
    with pytest.raises(results.ResultsError, match="COURSE_RESULTS_DIR"):
        results.update_readme(readme)
    assert readme.read_text() == README
    monkeypatch.setattr(results, "repo_root", lambda: tmp_path)
    assert main(["results"]) == 1
    assert "COURSE_RESULTS_DIR" in capsys.readouterr().err
    assert readme.read_text() == README


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"notebook": "97_bad"}',
        '{"notebook": "97_bad", "profile": "full", "wall_time_s": 1, "metrics": 3}',
    ],
)
def test_3_malformed_results_file_is_an_error_naming_it(isolated, tmp_path, content):
    _result_file(isolated / "results", "96_good")
    (isolated / "results" / "97_bad.json").write_text(content)
    readme = _readme(tmp_path)
    with pytest.raises(results.ResultsError, match=r"97_bad\.json"):
        results.update_readme(readme)
    assert readme.read_text() == README


# ------------------------------------------------------------------ 4. record_results writes only results/<name>.json


@pytest.mark.parametrize(
    "name", ["../escaped", "ABSOLUTE", "", ".", "..", "a/b", "99_x.json", "99 x", "x_99", None]
)
def test_4_only_notebook_names_are_accepted(monkeypatch, isolated, name):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    if name == "ABSOLUTE":
        name = str(isolated / "elsewhere" / "99_abs")
    with pytest.raises(ValueError, match="not allowed"):
        helpers.record_results(name, accuracy=0.5)
    files = [p for p in isolated.rglob("*") if p.is_file()]
    assert files == []


def test_4_the_printed_path_is_the_written_path(monkeypatch, isolated, capsys):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    helpers.record_results("96_demo-run", accuracy=0.5)
    assert "results/96_demo-run.json" in capsys.readouterr().out
    assert [p.name for p in (isolated / "results").iterdir()] == ["96_demo-run.json"]


# ------------------------------------------------------------------ 14. NumPy values and clear errors


def test_14_numpy_sizes_and_array_metrics_are_recorded(monkeypatch, isolated):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    helpers.record_results(
        "95_demo",
        data_sizes={"train": np.int64(800), "test": np.int32(200)},
        curve=np.array([0.5, 0.25]),
        best=np.float32(0.25),
        table={"a": np.arange(2)},
    )
    rec = json.loads((isolated / "results" / "95_demo.json").read_text())
    assert rec["data_sizes"] == {"train": 800, "test": 200}
    assert rec["metrics"] == {"curve": [0.5, 0.25], "best": 0.25, "table": {"a": [0, 1]}}


def test_14_unserialisable_metric_names_its_key_and_writes_nothing(monkeypatch, isolated):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    with pytest.raises(TypeError, match=r"metrics\['models'\]\[1\] is a object"):
        helpers.record_results("95_demo", models=["ok", object()])
    with pytest.raises(TypeError, match="data_sizes"):
        helpers.record_results("95_demo", data_sizes={"train": 0.5})
    assert not (isolated / "results").exists()


def test_12_unwritable_results_folder_is_a_message_not_a_crash(monkeypatch, isolated, capsys):
    blocker = isolated / "file"
    blocker.write_text("x")
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(blocker / "results"))
    monkeypatch.setenv("COURSE_PROFILE", "full")
    assert helpers.record_results("94_demo", accuracy=0.5) is None
    assert "NOT recorded" in capsys.readouterr().out
    assert blocker.read_text() == "x"


# ------------------------------------------------------------------ headline metrics with uncertainty


def test_headline_intervals_and_seed_summaries_render(isolated):
    headline = {
        "lstm_acc": {"value": 0.88124, "ci95": [0.87701, 0.88532]},
        "lstm_seeds": {"mean": 0.88124, "sd": 0.004, "n": 3, "values": [0.88, 0.877, 0.885]},
        "seed_mean": {"mean": 0.8732, "sd": 0.0054, "n": 3, "ci95": [0.8695, 0.8765]},
        "mse": {"value": 0.0002737, "ci95": [0.0002, 0.0003]},
        "plain": 0.091234,
        "name": "BiLSTM",
        "epochs": 3,
    }
    _result_file(isolated / "results", "93_demo", metrics={"headline": headline})
    row = results.results_table().splitlines()[2]
    assert row == (
        "| 93_demo | lstm_acc=0.8812 [0.8770, 0.8853], lstm_seeds=0.8812 ± 0.0040 (3 seeds), "
        "seed_mean=0.8732 ± 0.0054 (3 seeds), 95% CI [0.8695, 0.8765], "
        "mse=0.0002737 [0.0002, 0.0003], plain=0.09123, name=BiLSTM, epochs=3 | 12 s |"
    )
    assert results.results_table().splitlines()[0] == (
        "| notebook | headline metrics (test split) | wall time (start to record call) |"
    )


def test_headline_intervals_from_helpers_stats_round_trip(monkeypatch, isolated):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    y = np.array([0, 1] * 50)
    interval = helpers.stats.bootstrap_ci(y, y, helpers.stats.accuracy, n_boot=200, seed=0)
    helpers.record_results(
        "92_demo",
        headline={"acc": interval.as_dict(), "seeds": helpers.stats.seed_summary([0.8, 0.9, 0.85])},
    )
    row = results.results_table().splitlines()[2]
    assert row.startswith(
        "| 92_demo | acc=1.0000 [1.0000, 1.0000], seeds=0.8500 ± 0.0500 (3 seeds) |"
    )
