#!/usr/bin/env bash
# Mutation testing of the core (docs/mutation.md): mutmut, niced, two workers, then the figure
# per module and overall. Results are kept in mutants/ between runs.
#
#   tools/mutation.sh                 every core module in one run (one pass collecting which
#                                     tests reach which function); mutants already judged keep
#                                     their result
#   tools/mutation.sh dates fold      just these modules, every mutant judged again
#   tools/mutation.sh --report        only print the figures of the results kept
set -euo pipefail
cd "$(dirname "$0")/.."
run() {
  start=$(date +%s)
  nice -n 10 mutmut run --max-children 2 "$@" >mutants-run.log 2>&1 || true
  echo "$* ($(( $(date +%s) - start )) s)" | sed 's/^ (/all core modules (/'
}
if [ "${1:-}" != "--report" ]; then
  if [ $# -eq 0 ]; then
    run
  else
    for module in "$@"; do run "xixin_cli.${module}.*"; done
  fi
fi
python3 - <<'PY'
import glob, json, os
# mutmut's exit codes: 1 or 3 the tests failed (killed), 0 survived, 33 no test reached it,
# 34 skipped, 36 or -24 timed out (counted as killed: the mutant hangs the code), None not run.
total = {"killed": 0, "survived": 0, "no tests": 0, "timeout": 0, "not run": 0}
for meta in sorted(glob.glob("mutants/src/xixin_cli/*.py.meta")):
    codes = json.load(open(meta))["exit_code_by_key"].values()
    row = {
        "killed": sum(c in (1, 3) for c in codes),
        "survived": sum(c == 0 for c in codes),
        "no tests": sum(c == 33 for c in codes),
        "timeout": sum(c in (36, -24, 24) for c in codes),
        "not run": sum(c is None for c in codes),
    }
    for key in total:
        total[key] += row[key]
    judged = len(codes) - row["not run"]
    share = 100 * (row["killed"] + row["timeout"]) / judged if judged else 0.0
    name = os.path.basename(meta)[: -len(".py.meta")]
    print(f"{name:11} {share:5.1f}% killed of {judged:4} judged  " + "  ".join(
        f"{k} {v}" for k, v in row.items() if v))
judged = sum(total.values()) - total["not run"]
share = 100 * (total["killed"] + total["timeout"]) / judged if judged else 0.0
print(f"{'core':11} {share:5.1f}% killed of {judged:4} judged  " + "  ".join(
    f"{k} {v}" for k, v in total.items() if v))
PY
