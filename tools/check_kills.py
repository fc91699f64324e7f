"""Check, without mutmut, that the tests docs/mutation.md names kill the mutants it lists.

Each line of the list "Killed since, by the test named" in docs/mutation.md reads

    - `12`: `line before` → `line after` — `tests/test_x.py::test_name`

under a heading line naming the function (`- `plan_file.xǁ_Readerǁitem` (10): …`). For each,
the line is changed by hand in the function it belongs to, the test is run and must FAIL; the
source is put back and the same test must PASS. Run from the repository:

    python tools/check_kills.py              # every mutant listed
    python tools/check_kills.py plan_file    # only those of modules whose name contains this

A line that appears more than once in its function says which one with `(the 2nd)` after its
test. Exit status 1 when any mutant lives (or cannot be applied).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "xixin_cli"
HEADING = "### Killed since, by the test named"
FUNCTION = re.compile(r"^- `(\w+)\.(x[^`]+)` \(\d+\)")
MUTANT = re.compile(r"^  - `(\d+)`: `(.+)` → `(.+)` — `(tests/[^`]+)`(?: \(the (\d+)\w\w\))?\s*$")


def listed(doc: str) -> list[tuple[str, str, str, str, str, str, int]]:
    """(module, function, number, before, after, test, occurrence) for each mutant listed."""
    section = doc.split(HEADING, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    found = []
    module = function = ""
    for line in section.splitlines():
        if head := FUNCTION.match(line):
            module, function = head.groups()
        elif mutant := MUTANT.match(line):
            number, before, after, test, nth = mutant.groups()
            found.append((module, function, number, before, after, test, int(nth or 1)))
    return found


def span(tree: ast.Module, mangled: str) -> tuple[int, int]:
    """The lines of the function mutmut names `x_name` or `xǁClassǁname`."""
    if mangled.startswith("xǁ"):
        cls, name = mangled[2:].split("ǁ")
        scope: list[ast.stmt] = next(
            n.body for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls
        )
    else:
        name, scope = mangled[2:], tree.body
    node = next(n for n in scope if isinstance(n, ast.FunctionDef) and n.name == name)
    return node.lineno, node.end_lineno or node.lineno


def mutated(text: str, function: str, before: str, after: str, nth: int) -> str:
    lines = text.splitlines(keepends=True)
    first, last = span(ast.parse(text), function)
    at = [i for i in range(first - 1, last) if lines[i].strip() == before]
    if len(at) < nth:
        raise LookupError(f"{before!r} is not in {function} {nth} time(s)")
    i = at[nth - 1]
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    lines[i] = indent + after + "\n"
    return "".join(lines)


def passes(test: str) -> bool:
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", test]
    return subprocess.run(command, cwd=ROOT, capture_output=True).returncode == 0


def main() -> int:
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    doc = (ROOT / "docs" / "mutation.md").read_text(encoding="utf-8")
    alive = 0
    for module, function, number, before, after, test, nth in listed(doc):
        if only not in module:
            continue
        path = SOURCE / f"{module}.py"
        original = path.read_text(encoding="utf-8")
        name = f"{module}.{function}__mutmut_{number}"
        try:
            path.write_text(mutated(original, function, before, after, nth), encoding="utf-8")
            killed = not passes(test)
        except LookupError as exc:
            print(f"CANNOT APPLY {name}: {exc}")
            alive += 1
            continue
        finally:
            path.write_text(original, encoding="utf-8")
        clean = passes(test)
        verdict = "killed" if killed and clean else "LIVES" if clean else "TEST FAILS UNMUTATED"
        alive += verdict != "killed"
        print(f"{verdict:8} {name}  by {test}")
    return 1 if alive else 0


if __name__ == "__main__":
    sys.exit(main())
