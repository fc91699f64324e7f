"""Entry point for `python -m xixin_cli` and the `xixin` console script."""

import sys


def main() -> None:
    """Run the command line."""
    from xixin_cli.cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
