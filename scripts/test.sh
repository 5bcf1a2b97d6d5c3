#!/usr/bin/env bash
# Runs every check of the project, each as its own make target, and fails if any of them fails.
# A stage whose tests do not exist yet is listed as such; an empty test run (pytest exit 5) fails.
set -uo pipefail
cd "$(dirname "$0")/.."

stages=(ruff ansible-lint sanity docs-lint units core217 emulator-tests integration molecule e2e)
declare -A needs=(
  [units]=tests/unit [emulator-tests]=tests/emulator [integration]=tests/integration
  [molecule]=molecule [e2e]=tests/lab
)
results=()
failed=0

# The lab stages bring the lab up; a lab this run started is taken down at the end.
if ! bash lab/lab.sh status >/dev/null 2>&1; then
  trap 'echo "=== lab down"; bash lab/lab.sh down' EXIT
fi
for stage in "${stages[@]}"; do
  dir=${needs[$stage]:-}
  if [ -n "$dir" ] && [ -z "$(find "$dir" -name 'test_*.py' -o -name molecule.yml 2>/dev/null | head -1)" ]; then
    results+=("$(printf '%-16s %-8s %6s' "$stage" "absent" "-")")
    continue
  fi
  echo "=== make $stage"
  start=$(date +%s)
  if make --no-print-directory "$stage"; then status=passed; else status=FAILED; failed=1; fi
  results+=("$(printf '%-16s %-8s %5ss' "$stage" "$status" "$(( $(date +%s) - start ))")")
done

echo
echo "=== summary"
printf '%s\n' "${results[@]}"
exit $failed
