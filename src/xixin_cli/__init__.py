"""xixin: checklist and deadline tracker for an official implementation plan."""

from xixin_cli._version import __version__

__all__ = ["__version__", "version_line"]


def version_line() -> str:
    """What `xixin --version` prints."""
    return f"xixin {__version__}\n"
