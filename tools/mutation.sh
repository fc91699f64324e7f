#!/usr/bin/env bash
# Mutation testing of the core (docs/mutation.md): mutmut, niced, two workers, then the share
# of mutants killed per module and overall. Results are kept in mutants/ between runs.
#
#   tools/mutation.sh                 every core module in one run (one pass finding which tests
#                                     reach which function); a mutant already judged keeps its
#                                     result
#   tools/mutation.sh dates fold      just these modules, every mutant judged again
#   tools/mutation.sh --survivors     judge again only the mutants that survived last time
#   tools/mutation.sh --sample 30     judge a seeded random 30% of each module's mutants not
#                                     judged yet (a figure for the core when time is short)
#   tools/mutation.sh --survivors --sample 10   both in one run
#   tools/mutation.sh --names FILE    judge the mutants named in FILE (a sample kept, e.g.
#                                     tools/mutation-sample.txt) not judged yet or that lived,
#                                     then print the figures over them alone
#   tools/mutation.sh --report        only print the figures of the results kept
set -euo pipefail
cd "$(dirname "$0")/.."
run() {
  local start
  start=$(date +%s)
  nice -n 10 mutmut run --max-children 2 "$@" >mutants-run.log 2>&1 || true
  echo "mutmut run ${*:-(every core module)}: $(($(date +%s) - start)) s"
}
names=()
case "${1:-}" in
  --report) ;;
  --names)
    mapfile -t names < <(python3 tools/mutation_report.py --names "$2" --waiting)
    if [ ${#names[@]} -gt 0 ]; then run "${names[@]}"; fi
    python3 tools/mutation_report.py --names "$2"
    exit 0
    ;;
  --survivors | --sample)
    while [ $# -gt 0 ]; do
      case "$1" in
        --survivors) mapfile -t -O "${#names[@]}" names < <(python3 tools/mutation_report.py --survivors) ;;
        --sample) mapfile -t -O "${#names[@]}" names < <(python3 tools/mutation_report.py --sample "$2"); shift ;;
      esac
      shift
    done
    if [ ${#names[@]} -gt 0 ]; then run "${names[@]}"; fi
    ;;
  "") run ;;
  *) for module in "$@"; do run "xixin_cli.${module}.*"; done ;;
esac
python3 tools/mutation_report.py
