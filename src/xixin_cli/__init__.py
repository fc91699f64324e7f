"""xixin: checklist and deadline tracker for an official implementation plan."""

from xixin_cli._version import __version__

__all__ = ["__version__"]
