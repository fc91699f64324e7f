"""Where the plan and the status log are: option, then environment, then the default."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

#: File name of the status log beside a plan of the user's own: `<plan stem>.status.jsonl`.
STATE_SUFFIX = ".status.jsonl"


def bundled_plan() -> Path:
    """The plan shipped in the package: 洗府发〔2022〕145号.

    An installed wheel carries it as `xixin_cli/data/plan.yaml`; a source checkout (an
    editable install, or running from `src/`) uses the repository's own `plan.yaml`, so an edit
    to it shows at once.
    """
    here = Path(__file__).parent
    source_checkout = here.parent.parent / "plan.yaml"
    if here.parent.name == "src" and source_checkout.is_file():
        return source_checkout
    return here / "data" / "plan.yaml"


class StatePath(NamedTuple):
    """Where the status log is, and whether its folder is ours to create."""

    path: Path
    is_default: bool


#: The file that marks an office's working folder (`xixin init`), beside its `plan.yaml`.
WORKSPACE_MARK = ".xixin"
WORKSPACE_PLAN = "plan.yaml"


def workspace() -> Path | None:
    """The office's working folder: XIXIN_HOME, else the nearest folder from the current one
    up that `xixin init` made (it holds `.xixin` and `plan.yaml`), else None."""
    import os

    home = os.environ.get("XIXIN_HOME")
    if home:
        return Path(home).expanduser()
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / WORKSPACE_MARK).is_file() and (folder / WORKSPACE_PLAN).is_file():
            return folder
    return None


def plan_path(given: str | None) -> Path:
    """The plan: --plan or XIXIN_PLAN (Typer merges both into `given`), else the working
    folder's, else the bundled one."""
    if given:
        return Path(given).expanduser()
    folder = workspace()
    return folder / WORKSPACE_PLAN if folder is not None else bundled_plan()


def state_path(given: str | None, plan: Path) -> StatePath:
    """The status log: --state or XIXIN_STATE, else beside the user's plan, else the data folder.

    The bundled plan lives inside the installed package, which is no place for user data (it is
    replaced on upgrade and may be read-only), so its log goes to the per-user data folder.
    """
    if given:
        return StatePath(Path(given).expanduser(), is_default=False)
    if plan.resolve() == bundled_plan().resolve():
        from platformdirs import user_data_path

        return StatePath(user_data_path("xixin", appauthor=False) / "status.jsonl", True)
    return StatePath(plan.with_name(plan.stem + STATE_SUFFIX), is_default=True)


def state_sources(given: Sequence[str], plan: Path) -> list[Path]:
    """The logs to read: each --state given (a folder stands for every *.jsonl in it), or the
    one default log."""
    if not given:
        return [state_path(None, plan).path]
    found: list[Path] = []
    for value in given:
        path = Path(value).expanduser()
        if path.is_dir():
            found += sorted(p for p in path.glob("*.jsonl") if p.is_file())
        else:
            found.append(path)
    return found
