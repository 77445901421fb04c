"""Rebuild the bundled samples in helpers/samples/ from the full datasets (reproducible draw).

Usage: COURSE_PROFILE=full python tools/make_samples.py   (needs the full data; see `make data`)
"""

from __future__ import annotations

import pandas as pd

from helpers.config import repo_root
from helpers.data import fetch, imdb_dir, read_imdb_folder, read_nsmc_file

SEED = 2011
SIZES = {"IMDB": {"train": 2000, "test": 1000}, "NSMC": {"train": 10000, "test": 2000}}


def balanced_sample(df: pd.DataFrame, n: int, seed: int = SEED) -> pd.DataFrame:
    """n rows, half of each label, drawn reproducibly; the order is shuffled."""
    parts = [g.sample(n // 2, random_state=seed) for _, g in df.groupby("label")]
    return pd.concat(parts).sample(frac=1.0, random_state=seed).reset_index(drop=True)


def main() -> None:
    out = repo_root() / "helpers" / "samples"
    for split in ("train", "test"):
        imdb = balanced_sample(read_imdb_folder(imdb_dir(), split), SIZES["IMDB"][split])
        imdb.to_csv(
            out / f"IMDB_{split}.csv.gz", index=False, compression={"method": "gzip", "mtime": 0}
        )
        nsmc = balanced_sample(read_nsmc_file(fetch(f"nsmc_{split}")), SIZES["NSMC"][split])
        nsmc.to_csv(
            out / f"NSMC_{split}.csv.gz", index=False, compression={"method": "gzip", "mtime": 0}
        )
        print(split, len(imdb), len(nsmc))


if __name__ == "__main__":
    main()
