#!/usr/bin/env bash
# Runs every check of the project, each as its own make target, and fails if any of them fails.
# A stage whose tests do not exist yet is listed as such; an empty test run (pytest exit 5) fails.
#
# The machine has two cores and the run is bound by two things at once: the lab's waits and the CPU.
# - The lab chain (molecule, then e2e) is the critical path: its runs wait on the lab's hosts (SSH, systemd, the
#   agents' polls, QEMU) far more than they compute (process accounting: about one core of two busy during e2e).
#   It runs in the foreground at normal priority.
# - The fillers need no lab: the static checks (ansible-lint, sanity, docs-lint, core217: one process each, each on
#   its own copy of the collection in a private temporary folder), the integration tests (private emulators, two
#   workers) and their fault runs (make faults: throttled, lost answers, killed runs; after the static checks, in the
#   lane that ends first). They run in two lanes from the lab chain's start, in a scheduling group of their own at the lowest
#   weight, so that they take the CPU the lab chain leaves idle and never the CPU it is waiting for.
#   Why a group of its own: the kernel's autogroup scheduling is on (/proc/sys/kernel/sched_autogroup_enabled) and
#   shares the CPU between sessions before it looks at nice values; the lab's containers, SSH masters and emulator
#   run in sessions of their own, so fillers merely at nice 10 in this session still took their share from them
#   (measured: molecule's docker_engine 198 s alone, over 600 s beside niced fillers). `setsid` gives the fillers a
#   session, hence an autogroup, and /proc/self/autogroup its weight (nice 19: 15 against 1024). Measured with the
#   integration tests running so beside it: docker_engine 164 s.
# ruff, the unit tests and the emulator tests run first, alone: short, and the emulator tests time their answers.
# A filler's output goes to .build/test-logs/<stage>.log and is printed once the lab chain is done.
set -uo pipefail
cd "$(dirname "$0")/.."

first=(ruff units emulator-tests)
lab_chain=(molecule e2e)
lanes=("integration" "ansible-lint sanity docs-lint core217 faults")
declare -A needs=(
  [units]=tests/unit [emulator-tests]=tests/emulator [integration]=tests/integration [faults]=tests/integration [molecule]=molecule [e2e]=tests/lab
)
logs=.build/test-logs
results=()
failed=0
lane_pids=()

# One lane of fillers, called as `scripts/test.sh --lane STAGE...` in the fillers' own session.
if [ "${1:-}" = --lane ]; then
  shift
  echo 19 >/proc/self/autogroup 2>/dev/null || echo "fillers: the autogroup weight could not be set; they run at nice 19" >&2
  for stage in "$@"; do
    date +%s >"$logs/$stage.start"
    if nice -n 19 make --no-print-directory "$stage" >"$logs/$stage.log" 2>&1; then status=passed; else status=FAILED; fi
    echo "$status" >"$logs/$stage.status"
    date +%s >"$logs/$stage.end"
  done
  exit 0
fi

# The lab stages bring the lab up; a lab this run started is taken down at the end. Fillers still running then (the
# run was interrupted) are ended with their whole session.
lab_started=""
bash lab/lab.sh status >/dev/null 2>&1 || lab_started=yes
cleanup() {
  local pid
  for pid in "${lane_pids[@]}"; do kill -- "-$pid" 2>/dev/null; done
  if [ -n "$lab_started" ]; then
    echo "=== lab down"
    bash lab/lab.sh down
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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
  local lane stage present
  for lane in "${lanes[@]}"; do
    present=()
    for stage in $lane; do has_tests "$stage" && present+=("$stage"); done
    ((${#present[@]})) || continue
    echo "=== make ${present[*]} (fillers, in the background at the lowest weight: $logs/<stage>.log)"
    setsid bash scripts/test.sh --lane "${present[@]}" </dev/null &
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
      echo "=== make $stage (ran as a filler; its output)"
      cat "$logs/$stage.log"
      record "$stage" "$(cat "$logs/$stage.status" 2>/dev/null || echo FAILED)" \
        "$(cat "$logs/$stage.start" 2>/dev/null || echo 0)" "$(cat "$logs/$stage.end" 2>/dev/null || echo 0)"
    done
  done
}

mkdir -p "$logs"
rm -f "$logs"/*.start "$logs"/*.end "$logs"/*.status
for stage in "${first[@]}"; do foreground "$stage"; done
start_lanes
for stage in "${lab_chain[@]}"; do foreground "$stage"; done
finish_lanes

echo
echo "=== summary"
printf '%s\n' "${results[@]}"
exit $failed
