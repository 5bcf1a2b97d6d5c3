#!/usr/bin/env bash
# `molecule test` for every scenario under molecule/ (molecule/shared holds the create and destroy
# playbooks the scenarios share, it is no scenario), one after the other, with the lab up (it stays
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

logs=$root/.build/test-logs
mkdir -p "$logs"

# A scenario on lab VMs boots them from the image lab/qemu/build-image.sh makes (minutes on a fresh clone, cached
# after): it is made in the background from the start, while the lab comes up and the scenarios before it run, and
# the scenario's own create waits for it (build-image.sh holds a lock while it builds, and does nothing once built).
image_build=""
for scenario in "${scenarios[@]}"; do
  if grep -q 'create-vm.yml' "molecule/$scenario/molecule.yml" 2>/dev/null; then
    echo "=== molecule: the lab VM image in the background ($logs/vm-image.log)"
    bash lab/qemu/build-image.sh >"$logs/vm-image.log" 2>&1 &
    image_build=$!
    break
  fi
done

# The on-prem roles' scenarios need the lab's services on the lab network (emulator, mirror, file
# gateway appliance); `lab.sh up` starts whatever of the lab is not running yet.
bash lab/lab.sh up || exit 1

# Two streams side by side (the scenarios spend most of their time waiting on hosts, SSH and agents): the scenarios
# that use the lab's one file gateway appliance, one after the other (the VM scenario freezes the appliance while it
# reboots the VM), with their container hosts at 10.254.0.249-254, and every other scenario, one after the other, at
# 10.254.0.241-248 (molecule/shared/create.yml reads the range from LAB_MOLECULE_FIRST_ADDRESS/LAB_MOLECULE_LAST_ADDRESS).
appliance=() others=()
for scenario in "${scenarios[@]}"; do
  if [[ $scenario == file_gateway_mount* ]]; then appliance+=("$scenario"); else others+=("$scenario"); fi
done

# stream RESULTS FIRST LAST SCENARIO...: runs them in order, one summary line each in RESULTS; fails if any failed.
stream() {
  local results=$1 first=$2 last=$3 status failed=0 start
  shift 3
  : >"$results"
  for scenario in "$@"; do
    echo "=== molecule test -s $scenario"
    start=$SECONDS
    if LAB_MOLECULE_FIRST_ADDRESS=$first LAB_MOLECULE_LAST_ADDRESS=$last molecule test -s "$scenario"; then status=passed; else status=FAILED failed=1; fi
    printf '%-24s %-7s %4ss\n' "$scenario" "$status" "$((SECONDS - start))" >>"$results"
  done
  return $failed
}

failed=0
background=""
if ((${#appliance[@]} > 0 && ${#others[@]} > 0)); then
  echo "=== molecule: ${appliance[*]} in the background ($logs/molecule-appliance.log)"
  stream "$logs/molecule-appliance.results" 249 254 "${appliance[@]}" >"$logs/molecule-appliance.log" 2>&1 &
  background=$!
  stream "$logs/molecule-others.results" 241 248 "${others[@]}" || failed=1
else
  stream "$logs/molecule-others.results" 241 254 "${appliance[@]}" "${others[@]}" || failed=1
fi
if [ -n "$background" ]; then
  wait "$background" || failed=1
  echo "=== molecule: the appliance stream's output"
  cat "$logs/molecule-appliance.log"
fi

# The scenario's create has waited for the image; its build's own exit status is only reported.
if [ -n "$image_build" ] && ! wait "$image_build"; then
  echo "=== molecule: the background VM image build failed (the VM scenario's create built it again)"
  cat "$logs/vm-image.log"
fi

echo
echo "=== molecule summary"
cat "$logs"/molecule-*.results 2>/dev/null
rm -f "$logs"/molecule-*.results
exit $failed
