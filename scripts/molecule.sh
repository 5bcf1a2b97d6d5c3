#!/usr/bin/env bash
# `molecule test` for every scenario under molecule/ (molecule/shared holds the create and destroy
# playbooks the scenarios share, it is no scenario), in two streams (below), with the lab up (it stays
# up; scripts/test.sh takes down a lab it started). Exits non-zero when any scenario fails or none
# exists. Arguments are scenario names, to run only those.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD
export PATH=$root/.venv/bin:$PATH
export ANSIBLE_CONFIG=$root/ansible.cfg
# Scenarios stay in molecule/ (not extensions/molecule): say so, instead of letting molecule warn.
export MOLECULE_GLOB='molecule/*/molecule.yml'
export DOCKER_HOST=unix:///run/hybridlab-docker.sock
# The test-only code cache of tests/conftest.py (tests/support/module_code_cache): the module processes that run on
# this machine (the docker modules of create/destroy, the AWS tasks delegated to localhost) compile their AnsiballZ
# payloads and parse botocore's models once; modules on the lab hosts run their own Python and do not see it.
export PYTHONPATH=$root/tests/support/module_code_cache${PYTHONPATH:+:$PYTHONPATH}
export HYBRIDCLOUD_TEST_CODE_CACHE=${HYBRIDCLOUD_TEST_CODE_CACHE-$root/.cache/test-code-cache}

scenarios=("$@")
if ((${#scenarios[@]} == 0)); then
  for file in molecule/*/molecule.yml; do
    [ -f "$file" ] || continue
    name=$(basename "$(dirname "$file")")
    [ "$name" = shared ] || scenarios+=("$name")
  done
fi
if ((${#scenarios[@]} == 0)); then
  echo "molecule: no scenario under molecule/" >&2
  exit 1
fi

# The on-prem roles' scenarios need the lab's services on the lab network (emulator, mirror, file
# gateway appliance); `lab.sh up` starts whatever of the lab is not running yet.
bash lab/lab.sh up || exit 1

logs=$root/.build/test-logs
mkdir -p "$logs"

# Two streams side by side: the scenarios spend most of their time waiting on their hosts, SSH and the agents. The
# second stream takes the scenario on the lab's one file gateway appliance and those that make no AWS call
# (docker_engine, lab_hosts), at 10.254.0.249-254; the others run in the first, one after the other, at
# 10.254.0.241-248 (molecule/shared/create.yml reads the range from LAB_MOLECULE_FIRST_ADDRESS and
# LAB_MOLECULE_LAST_ADDRESS): ssm_agent and ecs_anywhere both register hosts with the emulator's Systems Manager.
# Measured with the integration tests as fillers beside (scripts/test.sh): 13 minutes for all five scenarios.
second=() first=()
for scenario in "${scenarios[@]}"; do
  case $scenario in
    file_gateway_mount* | docker_engine | lab_hosts) second+=("$scenario") ;;
    *) first+=("$scenario") ;;
  esac
done

# stream RESULTS FIRST_ADDRESS LAST_ADDRESS SCENARIO...: runs them in order, a summary line each in RESULTS.
stream() {
  local results=$1 first_address=$2 last_address=$3 status failed=0 start
  shift 3
  : >"$results"
  for scenario in "$@"; do
    echo "=== molecule test -s $scenario"
    start=$SECONDS
    if LAB_MOLECULE_FIRST_ADDRESS=$first_address LAB_MOLECULE_LAST_ADDRESS=$last_address molecule test -s "$scenario"; then
      status=passed
    else
      status=FAILED failed=1
    fi
    printf '%-24s %-7s %4ss\n' "$scenario" "$status" "$((SECONDS - start))" >>"$results"
  done
  return $failed
}

failed=0
background=""
if ((${#first[@]} > 0 && ${#second[@]} > 0)); then
  echo "=== molecule: ${second[*]} in the background ($logs/molecule-second.log)"
  stream "$logs/molecule-second.results" 249 254 "${second[@]}" >"$logs/molecule-second.log" 2>&1 &
  background=$!
  stream "$logs/molecule-first.results" 241 248 "${first[@]}" || failed=1
else
  stream "$logs/molecule-first.results" 241 254 "${first[@]}" "${second[@]}" || failed=1
fi
if [ -n "$background" ]; then
  wait "$background" || failed=1
  echo "=== molecule: the second stream's output"
  cat "$logs/molecule-second.log"
fi

echo
echo "=== molecule summary"
cat "$logs"/molecule-first.results "$logs"/molecule-second.results 2>/dev/null
rm -f "$logs"/molecule-*.results
exit $failed
