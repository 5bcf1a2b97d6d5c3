#!/usr/bin/env bash
# Runs every check of the project, each as its own make target, and fails if any of them fails.
# A stage whose tests do not exist yet is listed as such; an empty test run (pytest exit 5) fails.
#
# Some stages run side by side, each pair on the machine's two cores:
# - molecule beside integration: the molecule scenarios spend most of their time waiting on the lab hosts (SSH,
#   systemd, the agents' polls: the CPU was 50-80 % idle during them on 2 cores), while the integration tests keep both
#   cores busy with private emulators and need no lab;
# - sanity beside ansible-lint, and core217 (sanity and units on the lowest ansible-core) beside docs-lint: each of
#   these is one process on one core, and each works on its own copy of the collection in a private temporary folder.
# The partner's output goes to .build/test-logs/<stage>.log and is printed when the partner is reached in the stage
# order; every other stage prints as it runs.
set -uo pipefail
cd "$(dirname "$0")/.."

stages=(ruff ansible-lint sanity docs-lint units core217 emulator-tests integration molecule e2e)
declare -A needs=(
  [units]=tests/unit [emulator-tests]=tests/emulator [integration]=tests/integration
  [molecule]=molecule [e2e]=tests/lab
)
# stage -> the stage that runs beside it, started with it in the background.
declare -A beside=([ansible-lint]=sanity [docs-lint]=core217 [integration]=molecule)
logs=.build/test-logs
results=()
failed=0
background_stage=""
background_pid=""
background_start=0
background_host=""

# The lab stages bring the lab up; a lab this run started is taken down at the end.
if ! bash lab/lab.sh status >/dev/null 2>&1; then
  trap 'echo "=== lab down"; bash lab/lab.sh down' EXIT
fi

has_tests() {
  local dir=${needs[$1]:-}
  [ -z "$dir" ] || [ -n "$(find "$dir" -name 'test_*.py' -o -name molecule.yml 2>/dev/null | head -1)" ]
}

record() {  # stage, status, start[, end]
  results+=("$(printf '%-16s %-8s %5ss' "$1" "$2" "$(( ${4:-$(date +%s)} - $3 ))")")
  [ "$2" = passed ] || failed=1
}

finish_background() {
  [ -n "$background_pid" ] || return 0
  local status=passed
  wait "$background_pid" || status=FAILED
  echo "=== make $background_stage (ran beside $background_host; its output)"
  cat "$logs/$background_stage.log"
  record "$background_stage" "$status" "$background_start" "$(cat "$logs/$background_stage.end")"
  background_pid=""
}

for stage in "${stages[@]}"; do
  if [ "$stage" = "$background_stage" ]; then
    finish_background
    continue
  fi
  if ! has_tests "$stage"; then
    results+=("$(printf '%-16s %-8s %6s' "$stage" "absent" "-")")
    continue
  fi
  partner=${beside[$stage]:-}
  if [ -n "$partner" ] && has_tests "$partner"; then
    mkdir -p "$logs"
    echo "=== make $partner (in the background, beside $stage: $logs/$partner.log)"
    background_stage=$partner
    background_host=$stage
    background_start=$(date +%s)
    (
      make --no-print-directory "$partner" >"$logs/$partner.log" 2>&1
      status=$?
      date +%s >"$logs/$partner.end"
      exit $status
    ) &
    background_pid=$!
  fi
  echo "=== make $stage"
  start=$(date +%s)
  if make --no-print-directory "$stage"; then record "$stage" passed "$start"; else record "$stage" FAILED "$start"; fi
done
finish_background

echo
echo "=== summary"
printf '%s\n' "${results[@]}"
exit $failed
