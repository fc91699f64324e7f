"""Where the plan and the status log are: option, then environment, then the default."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from xixin_cli.tuples import NamedTuple

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
#: The folder of a workspace's further plans (`xixin plan add`): `plans/NAME.yaml`, each with
#: its log `plans/NAME.status.jsonl` beside it.
WORKSPACE_PLANS = "plans"
#: The name of a workspace's `plan.yaml` (the plan `xixin init` writes): its file's stem.
FIRST_PLAN = "plan"


class NamedPlan(NamedTuple):
    """A plan of a workspace: its name (`--plan NAME`, `NAME:5.3.1`) and its file."""

    name: str
    path: Path


def workspace() -> Path | None:
    """The office's working folder: XIXIN_HOME, else the nearest folder from the current one
    up that `xixin init` made (it holds `.xixin`, and `plan.yaml` or `plans/`), else None."""
    import os

    home = os.environ.get("XIXIN_HOME")
    if home:
        return Path(home).expanduser()
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / WORKSPACE_MARK).is_file() and (
            (folder / WORKSPACE_PLAN).is_file() or (folder / WORKSPACE_PLANS).is_dir()
        ):
            return folder
    return None


def workspace_plans(folder: Path) -> list[NamedPlan]:
    """The workspace's plans: its `plan.yaml` (named `plan`), then `plans/*.yaml` by name."""
    found = []
    if (folder / WORKSPACE_PLAN).is_file():
        found.append(NamedPlan(FIRST_PLAN, folder / WORKSPACE_PLAN))
    more = folder / WORKSPACE_PLANS
    if more.is_dir():
        found += [NamedPlan(p.stem, p) for p in sorted(more.glob("*.yaml")) if p.is_file()]
    return found


def named_plan(given: str | None) -> NamedPlan | None:
    """The workspace plan `given` (--plan or XIXIN_PLAN) names, or, without a value, the
    workspace's only plan; None outside a workspace, or for a value that names no plan of it
    (a path, then)."""
    folder = workspace()
    if folder is None:
        return None
    found = workspace_plans(folder)
    if given:
        return next((entry for entry in found if entry.name == given), None)
    return found[0] if len(found) == 1 else None


def plan_path(given: str | None) -> Path:
    """The plan: --plan or XIXIN_PLAN (Typer merges both into `given`) — in a workspace a value
    naming one of its plans is that plan, any other value a path — else the working folder's
    only plan, else the bundled one. A workspace of several plans needs one named
    (UsageError), except in the views that cover every plan (`session.open_all`)."""
    named = named_plan(given)
    if named is not None:
        return named.path
    if given:
        return Path(given).expanduser()
    folder = workspace()
    if folder is None:
        return bundled_plan()
    found = workspace_plans(folder)
    if len(found) > 1:
        from xixin_cli.errors import UsageError

        names = ", ".join(entry.name for entry in found)
        raise UsageError("usage.which_plan", count=len(found), names=names, first=found[0].name)
    return folder / WORKSPACE_PLAN


def plan_name(path: Path) -> str:
    """The name of the workspace plan at `path`, or "" for a plan of no workspace."""
    folder = workspace()
    if folder is None:
        return ""
    try:
        resolved = path.resolve()
        return next((e.name for e in workspace_plans(folder) if e.path.resolve() == resolved), "")
    except OSError:
        return ""


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
