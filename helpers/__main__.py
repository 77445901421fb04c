"""Command line: `python -m helpers status | download | results`."""

from __future__ import annotations

import sys

from .data import dataset_status, download_all
from .results import results_table, update_readme

USAGE = "usage: python -m helpers status | download | results"


def main(argv: list[str]) -> int:
    """Run one sub-command; return the exit code."""
    command = argv[0] if argv else "status"
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
