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

# The on-prem roles' scenarios need the lab's services on the lab network (emulator, mirror, file
# gateway appliance); `lab.sh up` starts whatever of the lab is not running yet.
bash lab/lab.sh up || exit 1

failed=0
results=()
for scenario in "${scenarios[@]}"; do
  echo "=== molecule test -s $scenario"
  start=$SECONDS
  if molecule test -s "$scenario"; then status=passed; else status=FAILED failed=1; fi
  results+=("$(printf '%-24s %-7s %4ss' "$scenario" "$status" "$((SECONDS - start))")")
done

echo
echo "=== molecule summary"
printf '%s\n' "${results[@]}"
exit $failed
