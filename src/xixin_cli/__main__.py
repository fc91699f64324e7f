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
    if sys.argv[1:] == ["--version"]:
        # What a script asks to learn whether xixin is there and which one: answered without
        # typer and click, which are most of a start. Any other use of --version goes through
        # the command line (cli._version) and prints the same line.
        from xixin_cli import version_line
        from xixin_cli.finish import finish

        os._exit(finish(0, version_line()))
    from xixin_cli.cli import run
    from xixin_cli.finish import finish

    code = finish(run())
    # Every file a command writes is closed (and synced) before run() returns; what is left is
    # the interpreter tearing down ~300 modules and, GC off, collecting the whole heap once:
    # 25-60 ms of a ~200 ms command here (benchmarks/run.py). atexit handlers do not run, so a
    # coverage or profiler run of the console script reports nothing; the tests call run().
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
