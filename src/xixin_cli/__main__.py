"""Entry point for `python -m xixin_cli` and the `xixin` console script."""

import contextlib
import gc
import os
import sys


def main() -> None:
    """Run the command line."""
    # One command, then exit: collecting reference cycles along the way only costs time (about
    # 5-7% of a start-up and of loading a county-sized cache, measured with benchmarks/run.py),
    # and what a command allocates is freed when it exits.
    gc.disable()
    from xixin_cli.cli import finish, run

    code = finish(run())
    # Every file a command writes is closed (and synced) before run() returns; what is left is
    # the interpreter tearing down ~300 modules one by one, ~25 ms of a 180 ms command here.
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
