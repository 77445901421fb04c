"""tools/reproduce.py: the headline check and the key-by-key comparison of two results files."""

from __future__ import annotations

import copy

from tests.support import load_tool

REPRODUCE = load_tool("reproduce")

PUBLISHED = {
    "metrics": {
        "headline": {"acc": {"mean": 0.87, "ci95": [0.86, 0.88]}, "chosen": "BiLSTM"},
        "models": {"LSTM": {"runs": [{"seed": 42, "s_per_epoch": 17.3, "val_accuracy": 0.86}]}},
    }
}


def test_identical_numbers_with_other_timings_pass_and_say_so():
    new = copy.deepcopy(PUBLISHED)
    new["metrics"]["models"]["LSTM"]["runs"][0]["s_per_epoch"] = 20.1
    lines, ok = REPRODUCE.compare(PUBLISHED, new)
    assert ok
    assert "0 differ apart from timings (identical numbers); 1 timing entries differ" in lines[-1]


def test_a_headline_outside_its_interval_fails_and_other_differences_are_named():
    new = copy.deepcopy(PUBLISHED)
    new["metrics"]["headline"]["acc"]["mean"] = 0.85
    new["metrics"]["models"]["LSTM"]["runs"][0]["val_accuracy"] = 0.87
    lines, ok = REPRODUCE.compare(PUBLISHED, new)
    assert not ok
    assert lines[0].startswith("FAIL  acc")
    assert "models.LSTM.runs[0].val_accuracy" in lines[-1]
    assert "headline.acc.mean" in lines[-1]
