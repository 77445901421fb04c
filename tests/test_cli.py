"""`python -m helpers status | download | results`: exit codes and what they print (no network)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import helpers.data as data
import helpers.results as results
from helpers.__main__ import USAGE, main

ROOT = Path(__file__).resolve().parent.parent


def _status_rows(out: str) -> dict[str, str]:
    lines = out.strip().splitlines()
    assert lines[0].split() == ["dataset", "on", "disk", "this", "profile", "uses"]
    return {
        name: line
        for line in lines[1:]
        for name in ("IMDB", "NSMC", "airline", "sunspots")
        if line.lstrip().startswith(name)
    }


def test_status_in_smoke_says_every_text_dataset_uses_the_sample(capsys):
    assert main(["status"]) == 0
    out, err = capsys.readouterr()
    rows = _status_rows(out)
    assert set(rows) == {"IMDB", "NSMC", "airline", "sunspots"}
    assert err == ""
    for name in ("IMDB", "NSMC"):
        assert "sample (full data not downloaded)" in rows[name]
        assert rows[name].rstrip().endswith("sample")
    assert rows["airline"].rstrip().endswith("full")
    assert "full (shipped)" in rows["sunspots"]


def test_no_command_means_status(capsys):
    assert main([]) == 0
    assert "NSMC" in capsys.readouterr().out


def test_status_in_full_says_what_will_be_downloaded(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    assert main(["status"]) == 0
    rows = _status_rows(capsys.readouterr().out)
    assert "full, downloaded on first use (sample if offline)" in rows["NSMC"]


def test_unknown_command_is_usage_error(capsys):
    assert main(["bogus"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip() == USAGE


def test_download_fetches_verifies_and_reports_every_dataset(fake_registry, isolated, capsys):
    assert main(["download"]) == 0
    out, err = capsys.readouterr()
    base = isolated / "data"
    assert f"nsmc_train: {base / 'nsmc' / 'ratings_train.txt'}" in out
    assert f"nsmc_test: {base / 'nsmc' / 'ratings_test.txt'}" in out
    assert f"IMDB: {base / 'imdb' / 'aclImdb'}" in out
    assert (base / "nsmc" / "ratings_test.txt").read_bytes() == fake_registry["nsmc_test"]
    assert len(list((base / "imdb" / "aclImdb" / "test" / "pos").glob("*_8.txt"))) == 3
    assert "Traceback" not in err
    capsys.readouterr()
    assert main(["status"]) == 0  # and status now reports the full data
    rows = _status_rows(capsys.readouterr().out)
    assert rows["IMDB"].split()[1] == "full"
    assert rows["NSMC"].split()[1] == "full"


def test_download_with_the_network_unreachable_is_exit_1_with_a_message(
    monkeypatch, isolated, capsys
):
    for key, spec in list(data.REGISTRY.items()):
        monkeypatch.setitem(
            data.REGISTRY,
            key,
            data.RemoteFile("http://127.0.0.1:9/gone", spec.path, spec.sha256, spec.size),
        )
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    assert main(["download"]) == 1
    _out, err = capsys.readouterr()
    assert err.startswith("error: could not download http://127.0.0.1:9/gone")
    assert "nothing was kept" in err
    assert not list((isolated / "data").rglob("*.txt"))


def test_download_offline_is_exit_1_and_says_why(capsys):
    assert main(["download"]) == 1  # the test environment sets COURSE_OFFLINE=1
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "COURSE_OFFLINE is set" in err


def test_download_with_a_corrupt_server_file_keeps_nothing(
    fake_registry, http_dir, isolated, capsys
):
    folder, _, _ = http_dir
    (folder / "nsmc_train").write_bytes(
        b"x" * len(fake_registry["nsmc_train"])
    )  # right size, wrong bytes
    assert main(["download"]) == 1
    assert "sha256" in capsys.readouterr().err
    assert not (isolated / "data" / "nsmc" / "ratings_train.txt").exists()


@pytest.fixture
def readme(monkeypatch, tmp_path) -> Path:
    """A README with the results markers in tmp_path, used by `results` instead of the course's."""
    path = tmp_path / "README.md"
    path.write_text(
        "intro\n<!-- RESULTS:START -->\nold table\n<!-- RESULTS:END -->\noutro\n", encoding="utf-8"
    )
    monkeypatch.setattr(results, "repo_root", lambda: tmp_path)
    return path


def test_results_rebuilds_the_readme_table_and_prints_it(readme, isolated, capsys):
    folder = isolated / "results"
    folder.mkdir()
    record = {
        "notebook": "06_demo",
        "profile": "full",
        "wall_time_s": 90,
        "metrics": {"headline": {"acc": 0.875}},
    }
    (folder / "06_demo.json").write_text(json.dumps(record))
    assert main(["results"]) == 0
    out, err = capsys.readouterr()
    row = "| 06_demo | acc=0.875 | 90 s |"
    assert out.strip().splitlines()[-1] == row
    assert err == ""
    text = readme.read_text(encoding="utf-8")
    assert row in text
    assert "old table" not in text
    assert text.startswith("intro\n<!-- RESULTS:START -->\n| notebook |")
    assert text.endswith("<!-- RESULTS:END -->\noutro\n")


def test_results_without_results_is_exit_1_and_leaves_the_readme(readme, capsys):
    before = readme.read_text(encoding="utf-8")
    assert main(["results"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: The results folder")
    assert "does not exist" in err
    assert readme.read_text(encoding="utf-8") == before


def test_results_with_a_broken_file_names_it(readme, isolated, capsys):
    (isolated / "results").mkdir()
    (isolated / "results" / "07_demo.json").write_text("{not json")
    assert main(["results"]) == 1
    assert "07_demo.json" in capsys.readouterr().err


def test_python_dash_m_helpers_runs_and_returns_the_exit_code():
    env_cmd = [sys.executable, "-m", "helpers", "bogus"]
    proc = subprocess.run(
        env_cmd, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )
    assert proc.returncode == 2
    assert USAGE in proc.stderr
