"""Command line: `python -m helpers status | download | results`."""

from __future__ import annotations

import sys

from .data import DataError, dataset_status, download_all
from .results import ResultsError, results_table, update_readme

USAGE = "usage: python -m helpers status | download | results"


def main(argv: list[str]) -> int:
    """Run one sub-command; return the exit code (1 with a message on stderr when something must be fixed)."""
    command = argv[0] if argv else "status"
    try:
        if command == "status":
            print(dataset_status().to_string(index=False))
        elif command == "download":
            download_all()
        elif command == "results":
            update_readme()
            print(results_table())
        else:
            print(USAGE, file=sys.stderr)
            return 2
    except (ResultsError, DataError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
