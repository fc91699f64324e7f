#!/usr/bin/env bash
# Mutation testing of the core (docs/mutation.md): one mutmut run per module, niced, two
# workers, each module's time printed; then the survivors and the figure.
# Usage: tools/mutation.sh [module ...]   (default: every core module, smallest first)
set -euo pipefail
cd "$(dirname "$0")/.."
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
  modules=(dates workdays model evidence rules merge schedule fold status_log export plan_file)
fi
for module in "${modules[@]}"; do
  start=$(date +%s)
  nice -n 10 mutmut run --max-children 2 "xixin_cli.${module}.*" >/dev/null 2>&1 || true
  echo "${module}: $(( $(date +%s) - start )) s"
done
mutmut export-cicd-stats >/dev/null
python3 -c "
import json
s = json.load(open('mutants/mutmut-cicd-stats.json'))
tried = s['total'] - s['skipped']
print(f\"killed {s['killed']} of {tried} ({100 * s['killed'] / max(tried, 1):.1f}%), \"
      f\"survived {s['survived']}, no tests {s['no_tests']}, timeout {s['timeout']}\")
"
