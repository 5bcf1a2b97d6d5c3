#!/usr/bin/env bash
# Runs every check of the project, each as its own make target, and fails if any of them fails.
# A stage whose tests do not exist yet is listed as such; an empty test run (pytest exit 5) fails.
#
# The machine has two cores, and the run is bound by CPU and by the lab's waits at once. The stages fall in two kinds:
# - the lab chain, in the foreground at normal priority: molecule, then e2e. Their runs wait on the lab (SSH,
#   systemd, the agents' polls, QEMU) and on each other: e2e is one pytest process (49 % of both cores in process
#   accounting), molecule two streams of scenarios (scripts/molecule.sh). They are the run's critical path.
# - the fillers, which need no lab: the integration tests (private emulators, both cores) and the static checks
#   (ansible-lint, sanity, docs-lint, core217: one process on one core each, each on its own copy of the collection in
#   a private temporary folder). They start with the lab chain at nice 10, in two lanes (one stage after the other
#   in a lane), and take the CPU the lab chain leaves idle, without making its waits longer.
# ruff, the unit tests and the emulator tests run first, alone: short, and the emulator tests time their answers.
# A filler's output goes to .build/test-logs/<stage>.log and is printed once the lab chain is done.
set -uo pipefail
cd "$(dirname "$0")/.."

first=(ruff units emulator-tests)
lab_chain=(molecule e2e)
lanes=("integration" "ansible-lint sanity docs-lint core217")
declare -A needs=(
  [units]=tests/unit [emulator-tests]=tests/emulator [integration]=tests/integration [molecule]=molecule [e2e]=tests/lab
)
logs=.build/test-logs
results=()
failed=0
lane_pids=()

# The lab stages bring the lab up; a lab this run started is taken down at the end.
if ! bash lab/lab.sh status >/dev/null 2>&1; then
  trap 'echo "=== lab down"; bash lab/lab.sh down' EXIT
fi

has_tests() {
  local dir=${needs[$1]:-}
  [ -z "$dir" ] || [ -n "$(find "$dir" -name 'test_*.py' -o -name molecule.yml 2>/dev/null | head -1)" ]
}

record() {  # stage, status, start, end
  results+=("$(printf '%-16s %-8s %5ss' "$1" "$2" "$(($4 - $3))")")
  [ "$2" = passed ] || failed=1
}

absent() {
  results+=("$(printf '%-16s %-8s %6s' "$1" "absent" "-")")
}

foreground() {
  local stage=$1 start status
  if ! has_tests "$stage"; then
    absent "$stage"
    return
  fi
  echo "=== make $stage"
  start=$(date +%s)
  if make --no-print-directory "$stage"; then status=passed; else status=FAILED; fi
  record "$stage" "$status" "$start" "$(date +%s)"
}

start_lanes() {
  mkdir -p "$logs"
  local lane stage
  for lane in "${lanes[@]}"; do
    echo "=== make $lane (in the background at nice 10: $logs/<stage>.log)"
    (
      for stage in $lane; do
        has_tests "$stage" || continue
        date +%s >"$logs/$stage.start"
        if nice -n 10 make --no-print-directory "$stage" >"$logs/$stage.log" 2>&1; then status=passed; else status=FAILED; fi
        echo "$status" >"$logs/$stage.status"
        date +%s >"$logs/$stage.end"
      done
    ) &
    lane_pids+=($!)
  done
}

finish_lanes() {
  local pid lane stage
  for pid in "${lane_pids[@]}"; do wait "$pid"; done
  for lane in "${lanes[@]}"; do
    for stage in $lane; do
      if ! has_tests "$stage"; then
        absent "$stage"
        continue
      fi
      echo "=== make $stage (ran in the background; its output)"
      cat "$logs/$stage.log"
      record "$stage" "$(cat "$logs/$stage.status" 2>/dev/null || echo FAILED)" \
        "$(cat "$logs/$stage.start" 2>/dev/null || echo 0)" "$(cat "$logs/$stage.end" 2>/dev/null || echo 0)"
    done
  done
}

rm -f "$logs"/*.start "$logs"/*.end "$logs"/*.status
for stage in "${first[@]}"; do foreground "$stage"; done
start_lanes
for stage in "${lab_chain[@]}"; do foreground "$stage"; done
finish_lanes

echo
echo "=== summary"
printf '%s\n' "${results[@]}"
exit $failed
