#!/usr/bin/env bash
# Runs a layer's playbook in the lab's execution environment image the way AWX runs a job template, twice:
#   bash lab/ee/run.sh IMAGE [PLAYBOOK]      (default playbooks/aws/network.yml, the "hybridcloud aws network" template)
# ansible-runner on this machine starts the job in a container of IMAGE (process isolation, docker, host network)
# from a private data directory as AWX lays it out: project/ a copy of the repository's tracked files (no .venv, no
# .collections: the collections come from the image), inventory/ the production inventory the templates use,
# env/envvars the job's environment: the AWS credential (keys) and the AWS endpoint credential (AWS_ENDPOINT_URL) as
# AWX injects them, and the collection paths AWX sets. The AWS side is a private emulator this script starts on
# 127.0.0.1 (never the shared lab's). Passes when the first run is green and the second changes nothing: recap
# changed 0 and no mutating AWS call in the emulator's request log. Measurements on stderr and in lab/.state/ee/.
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../onprem/common.sh"

image=${1:?usage: run.sh IMAGE [PLAYBOOK]}
playbook=${2:-playbooks/aws/network.yml}
region=$(awk '$1 == "aws_region:" { print $2 }' "$REPO_ROOT/inventories/production/group_vars/all/aws.yml")
EE_STATE=$LAB_STATE/ee
runner_venv=$LAB_CACHE/ee/runner-venv
venv=$REPO_ROOT/.venv
emulator=
job=

ee_log() { lab_log "ee: $*"; }
cleanup() {
  [ -z "$emulator" ] || lab_end_process "$emulator" 10
  [ -z "$job" ] || rm -rf "$job"
}
trap cleanup EXIT

# ansible-runner for this machine's side of the job, in a venv of its own (the project's .venv has none).
ensure_runner() {
  [ -x "$runner_venv/bin/ansible-runner" ] && return 0
  ee_log "installing ansible-runner into $runner_venv"
  "$venv/bin/python" -m venv "$runner_venv"
  "$runner_venv/bin/pip" install --quiet 'ansible-runner>=2.4.0'
}

start_emulator() {
  local port
  port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (
    lab_close_inherited_fds
    PYTHONPATH=$LAB_ROOT exec "$venv/bin/python" -m awsemu --host 127.0.0.1 --port "$port"
  ) >"$EE_STATE/emulator.log" 2>&1 </dev/null &
  emulator=$!
  endpoint=http://127.0.0.1:$port
  local deadline=$((SECONDS + 30))
  until curl -sf "$endpoint/_lab/health" >/dev/null; do
    ((SECONDS < deadline)) && kill -0 "$emulator" 2>/dev/null || lab_die "the emulator did not start (see $EE_STATE/emulator.log)"
    sleep 0.2
  done
  ee_log "private emulator on $endpoint (pid $emulator)"
}

private_data_dir() {
  # Outside lab/.state: the project copy holds the lab inventory's vault file, and the lab tests search lab/.state
  # for secrets.
  job=$(mktemp -d "${TMPDIR:-/tmp}/hybridcloud-ee-job.XXXXXX")
  mkdir -p "$job/project" "$job/inventory" "$job/env"
  git -C "$REPO_ROOT" ls-files -z | (cd "$REPO_ROOT" && tar --null -T - -cf -) | tar -C "$job/project" -xf -
  cp -r "$REPO_ROOT/inventories/production/." "$job/inventory/"
  # AWX's injectors (the AWS credential, the project's "AWS endpoint" credential type) and its collection paths
  # (the project's ansible.cfg names ./.collections, which a job's checkout does not have).
  cat >"$job/env/envvars" <<EOF
AWS_ACCESS_KEY_ID: testing
AWS_SECRET_ACCESS_KEY: testing
AWS_ENDPOINT_URL: $endpoint
ANSIBLE_COLLECTIONS_PATH: /runner/requirements_collections:~/.ansible/collections:/usr/share/ansible/collections
ANSIBLE_NOCOLOR: "true"
EOF
  chmod 600 "$job/env/envvars"
}

# One job: prints the job_result.py document (and keeps the job's stdout in lab/.state/ee/<ident>.log).
run_job() {
  local ident=$1 before started status=0
  before=$(curl -sf "$endpoint/_lab/requests" | "$venv/bin/python" -c 'import json, sys; print(len(json.load(sys.stdin)["requests"]))')
  started=$SECONDS
  "$runner_venv/bin/ansible-runner" run "$job" --ident "$ident" -p "$playbook" --process-isolation \
    --process-isolation-executable docker --container-image "$image" --container-option=--network=host \
    >"$EE_STATE/$ident.log" 2>&1 || status=$?
  local seconds=$((SECONDS - started))
  # The container engine command ansible-runner ran (proof that the job ran in the image).
  cp "$job/artifacts/$ident/command" "$EE_STATE/$ident.command.json" 2>/dev/null || true
  "$venv/bin/python" "$LAB_ROOT/ee/job_result.py" "$job/artifacts/$ident" "$endpoint" "$region" "$before" |
    "$venv/bin/python" -c 'import json, sys; d = json.load(sys.stdin); d.update(seconds=int(sys.argv[1]), runner_rc=int(sys.argv[2])); print(json.dumps(d))' "$seconds" "$status"
}

main() {
  lab_require_docker
  docker image inspect "$image" >/dev/null 2>&1 || lab_die "no image $image (bash lab/ee/build.sh)"
  mkdir -p "$EE_STATE"
  ensure_runner
  start_emulator
  private_data_dir
  local first second
  ee_log "job 1: $playbook in $image"
  first=$(run_job first)
  ee_log "job 1 done (lab/.state/ee/jobs.jsonl)"
  ee_log "job 2 (the same job again)"
  second=$(run_job second)
  ee_log "job 2 done"
  printf '%s\n%s\n' "$first" "$second" >"$EE_STATE/jobs.jsonl"
  "$venv/bin/python" - "$first" "$second" "$playbook" "$EE_STATE/build.txt" <<'PYTHON'
import json
import sys
from pathlib import Path

first, second = (json.loads(argument) for argument in sys.argv[1:3])
playbook, build = sys.argv[3], Path(sys.argv[4])
print("make ee measurements:")
for line in build.read_text().splitlines() if build.exists() else []:
    print(f"  {line}")
for name, job in (("job 1", first), ("job 2", second)):
    changed = sum(host["changed"] for host in job["recap"].values())
    print(
        f"  {name} ({playbook}, ansible-runner in the image): {job['status']} rc {job['rc']} in {job['seconds']} s, "
        f"changed {changed}, {job['api_calls']} AWS calls, {job['mutating_calls']} mutating, VPCs {[v['id'] for v in job['vpcs']]}"
    )
problems = []
for name, job in (("job 1", first), ("job 2", second)):
    failed = sum(host["failures"] + host["dark"] for host in job["recap"].values())
    if job["status"] != "successful" or job["rc"] != 0 or not job["recap"] or failed:
        problems.append(f"{name} is not green: status {job['status']}, rc {job['rc']}, {failed} failed/unreachable")
if not first["vpcs"]:
    problems.append("job 1 left no VPC tagged Project=hybridcloud in the emulator")
if sum(host["changed"] for host in second["recap"].values()):
    problems.append(f"job 2 changed something: {second['recap']}")
if second["mutating_calls"]:
    problems.append(f"job 2 made mutating AWS calls: {second['mutating_calls']}")
if second["vpcs"] != first["vpcs"]:
    problems.append("the VPCs differ after job 2")
if problems:
    sys.exit("ee: " + "; ".join(problems))
PYTHON
  ee_log "green, and the second job changed nothing (logs: $EE_STATE/first.log, $EE_STATE/second.log)"
}

main
