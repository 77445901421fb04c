"""Seed study of notebook 07: the NSMC tokenizer race trained again with more seeds.

The notebook trains each tokenizer's LSTM once (seed 42) within its time budget; this script
trains the same four models, with the same data and settings (helpers.nsmc), for the extra seeds
and writes results/studies/07_nsmc_tokenizer_seeds.json, which the notebook reads to report each
tokenizer's mean ± sd over seeds. Run it with `make seeds-07` (full profile: about 15-25 minutes
on 2 CPU cores), then re-run the notebook.
"""

from __future__ import annotations

import helpers  # isort: skip  (first: sets TensorFlow's environment before it loads)

import argparse
import json
import os
import time
from datetime import datetime, timezone

from helpers import nsmc
from helpers.results import _versions

DEFAULT_SEEDS = (43, 44)  # the notebook itself runs seed 42
SPLIT_SEED = 42  # the train/validation split is the notebook's, whatever the training seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    args = parser.parse_args()
    start = time.perf_counter()
    helpers.setup(seed=SPLIT_SEED)
    n_train, n_test = helpers.pick(full=None, smoke=2_000), helpers.pick(full=None, smoke=500)
    splits = nsmc.load_splits(n_train, n_test, SPLIT_SEED)
    tok = nsmc.tokenize_all(splits)
    y_val, y_test = splits.labels("val"), splits.labels("test")
    runs = []
    for seed in args.seeds:
        for name in nsmc.RACE:
            result = nsmc.train_race(name, tok, splits, seed)
            runs.append(result.record(y_val, y_test))
            print(
                f"  -> {name} seed {seed}: val {runs[-1]['val_accuracy']:.4f}  test {runs[-1]['test_accuracy']:.4f}",
                flush=True,
            )
    record = {
        "study": "07_nsmc_tokenizer_seeds",
        "command": "make seeds-07",
        "recorded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "wall_time_s": round(time.perf_counter() - start, 1),
        "machine": {"cpus": os.cpu_count()},
        "versions": _versions(),
        "settings": nsmc.study_settings(splits),
        "seeds": args.seeds,
        "runs": runs,
    }
    # only full-profile numbers are published; a smoke run writes to the data folder
    path = (
        nsmc.study_path()
        if helpers.get_profile() == "full"
        else helpers.data_dir() / "07_seeds.smoke.json"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    print(f"wrote {path.name} ({record['wall_time_s']:.0f} s)")


if __name__ == "__main__":
    main()
