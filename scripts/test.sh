#!/usr/bin/env bash
# Runs every check of the project, each as its own make target, and fails if any of them fails.
# A stage whose tests do not exist yet is listed as such; an empty test run (pytest exit 5) fails.
#
# The machine has two cores and the budget is CPU: a stage that leaves a core idle gets work beside it, partners
# started with it in the background (one after the other when there are several):
# - sanity beside ansible-lint, and core217 (sanity and units on the lowest ansible-core) beside docs-lint: each of
#   these is one process on one core, and each works on its own copy of the collection in a private temporary folder;
# - molecule beside the integration tests: the scenarios wait on the lab hosts most of the time, while the
#   integration tests keep both cores busy with private emulators and need no lab;
# - the integration files of INTEGRATION_LATE (Makefile) beside e2e: e2e is one pytest process whose lab runs wait on
#   each other (49 % of both cores in process accounting), so about a core is free for them.
# The integration parts run at nice 10: they only fill the CPU that molecule and e2e leave idle, whose waits on the
# lab (SSH, systemd, the agents' polls, QEMU) are the run's critical path and must not queue behind them.
# `make integration` runs every integration file; make test runs integration-early and integration-late, the two parts.
# A partner's output goes to .build/test-logs/<stage>.log and is printed when its host stage is done; every other
# stage prints as it runs.
set -uo pipefail
cd "$(dirname "$0")/.."

stages=(ruff ansible-lint sanity docs-lint core217 units emulator-tests integration-early molecule e2e integration-late)
declare -A needs=(
  [units]=tests/unit [emulator-tests]=tests/emulator [integration-early]=tests/integration
  [integration-late]=tests/integration [molecule]=molecule [e2e]=tests/lab
)
# stage -> the stages that run one after the other beside it, started with it in the background.
declare -A beside=([ansible-lint]=sanity [docs-lint]=core217 [integration-early]=molecule [e2e]=integration-late)
# stage -> its niceness (0 when not listed).
declare -A niceness=([integration-early]=10 [integration-late]=10)
logs=.build/test-logs
results=()
failed=0
chain=()
chain_pid=""
chain_host=""

# The lab stages bring the lab up; a lab this run started is taken down at the end.
if ! bash lab/lab.sh status >/dev/null 2>&1; then
  trap 'echo "=== lab down"; bash lab/lab.sh down' EXIT
fi

has_tests() {
  local dir=${needs[$1]:-}
  [ -z "$dir" ] || [ -n "$(find "$dir" -name 'test_*.py' -o -name molecule.yml 2>/dev/null | head -1)" ]
}

record() {  # stage, status, start, end
  results+=("$(printf '%-18s %-8s %5ss' "$1" "$2" "$(($4 - $3))")")
  [ "$2" = passed ] || failed=1
}

start_chain() {  # host stage, partner stages...
  chain_host=$1
  shift
  chain=()
  local stage
  for stage in "$@"; do has_tests "$stage" && chain+=("$stage"); done
  ((${#chain[@]})) || return 0
  mkdir -p "$logs"
  echo "=== make ${chain[*]} (in the background, beside $chain_host: $logs/<stage>.log)"
  (
    for stage in "${chain[@]}"; do
      date +%s >"$logs/$stage.start"
      if nice -n "${niceness[$stage]:-0}" make --no-print-directory "$stage" >"$logs/$stage.log" 2>&1; then status=passed; else status=FAILED; fi
      echo "$status" >"$logs/$stage.status"
      date +%s >"$logs/$stage.end"
    done
  ) &
  chain_pid=$!
}

finish_chain() {
  [ -n "$chain_pid" ] || return 0
  wait "$chain_pid"
  chain_pid=""
  local stage
  for stage in "${chain[@]}"; do
    echo "=== make $stage (ran beside $chain_host; its output)"
    cat "$logs/$stage.log"
    record "$stage" "$(cat "$logs/$stage.status" 2>/dev/null || echo FAILED)" \
      "$(cat "$logs/$stage.start" 2>/dev/null || echo 0)" "$(cat "$logs/$stage.end" 2>/dev/null || echo 0)"
  done
}

in_chain() {
  local stage
  for stage in "${chain[@]}"; do [ "$stage" = "$1" ] && return 0; done
  return 1
}

for stage in "${stages[@]}"; do
  if in_chain "$stage"; then
    finish_chain
    continue
  fi
  if ! has_tests "$stage"; then
    results+=("$(printf '%-18s %-8s %6s' "$stage" "absent" "-")")
    continue
  fi
  finish_chain
  # shellcheck disable=SC2086  # the partner list is a list of words
  [ -z "${beside[$stage]:-}" ] || start_chain "$stage" ${beside[$stage]}
  echo "=== make $stage"
  start=$(date +%s)
  if nice -n "${niceness[$stage]:-0}" make --no-print-directory "$stage"; then status=passed; else status=FAILED; fi
  record "$stage" "$status" "$start" "$(date +%s)"
done
finish_chain

echo
echo "=== summary"
printf '%s\n' "${results[@]}"
exit $failed
