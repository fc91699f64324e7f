"""Entry point for `python -m xixin_cli` and the `xixin` console script."""

import gc
import sys


def main() -> None:
    """Run the command line."""
    # One command, then exit: collecting reference cycles along the way only costs time (about
    # 5-7% of a start-up and of loading a county-sized cache, measured with benchmarks/run.py),
    # and what a command allocates is freed when it exits.
    gc.disable()
    from xixin_cli.cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
