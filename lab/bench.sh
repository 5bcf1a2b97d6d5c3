#!/usr/bin/env bash
# make bench: what a converge, a no-op rerun, a check run and the on-prem layer cost in the lab, in one table
# (results/bench-<UTC stamp>.json and .md, results/bench-latest.md). Runs, each with the emulator's request log
# cleared before and read after (lab/bench/measure.py) and the bench_tasks callback counting tasks:
#   converge   from an empty lab: emulator reset, fresh on-prem hosts, site.yml (as lab/lab.sh converge runs it)
#   noop       site.yml again on the converged lab
#   check      site.yml --check --diff on the converged lab
#   floor      as many plain amazon.aws.ec2_vpc_net_info tasks as the no-op ran AWS task results (the reference)
#   census     counts the managed resources by describe/list calls (after the runs above: not in their logs)
#   fleet      for N in BENCH_FLEET: N fresh hosts, the on-prem layer (site.yml --tags onprem) first run and no-op
#   latency    (BENCH_LATENCY=1) the latency profile on, a converge from an empty lab, wall time vs critical path
# Then the lab is left converged with LAB_HOSTS hosts (default 2) and the profile off.
# Options (environment):
#   BENCH_FLEET="1 2 4 8"     fleet sizes (at most 30)
#   BENCH_LATENCY=1           0 skips the latency run; BENCH_LATENCY_SCALE=0.05 the profile's scale
#   BENCH_SKIP="..."          runs to leave out, e.g. "fleet latency" for a quick look (the table says what is missing)
#   BENCH_RESULTS=results     where the JSON and Markdown go
# Needs the lab (brought up as lab/lab.sh up if it is down) and recreates its on-prem hosts: run it alone, e.g.
#   flock /tmp/hybridlab-molecule.lock make bench
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "$0")/onprem/common.sh"
# Closes inherited descriptors (flock's lock file among them): the daemons the bench may start (lab up, the
# emulator) would otherwise keep the lock held after the bench ends. The flock process keeps it for the bench's run.
lab_close_inherited_fds
export PATH=$REPO_ROOT/.venv/bin:$PATH
export ANSIBLE_CONFIG=$REPO_ROOT/ansible.cfg
cd "$REPO_ROOT"

fleet=${BENCH_FLEET:-1 2 4 8}
latency=${BENCH_LATENCY:-1}
scale=${BENCH_LATENCY_SCALE:-0.05}
skip=" ${BENCH_SKIP:-} "
results=${BENCH_RESULTS:-$REPO_ROOT/results}
hosts_wanted=$LAB_HOSTS
stamp=$(date -u +%Y%m%dT%H%M%SZ)
run_dir=$LAB_STATE/bench/$stamp
extra_inventory=$LAB_STATE/inventory-hosts.yml
python=$REPO_ROOT/.venv/bin/python
notes=()

wanted() { [[ $skip != *" $1 "* ]]; }
note() {
  notes+=("$1")
  lab_log "$1"
}
lab_api() { curl -fsS -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$AWS_ENDPOINT_URL$2"; }

# site.yml as lab/lab.sh converge runs it: the lab inventory, plus the extra hosts' inventory when there is one.
site() {
  local name=$1
  shift
  local inventories=(-i inventories/lab)
  [ ! -f "$extra_inventory" ] || inventories+=(-i "$extra_inventory")
  "$python" lab/bench/measure.py "$name" "$run_dir" -- ansible-playbook "${inventories[@]}" site.yml "$@"
}

fresh_hosts() {
  bash "$LAB_ROOT/onprem/hosts.sh" down
  LAB_HOSTS=$1 bash "$LAB_ROOT/onprem/hosts.sh" up
}

# From an empty lab: the emulator's resources and request log go, the on-prem hosts are recreated.
empty_lab() {
  lab_api POST /_lab/reset >/dev/null
  fresh_hosts "$hosts_wanted"
}

machine() {
  "$python" - "$stamp" "$(nproc)" "$(awk '/MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" "$(git rev-parse --short HEAD)" \
    "$(ansible --version | awk 'NR == 1 {print $NF}' | tr -d ']')" <<'PY'
import json, sys
stamp, nproc, mem, load, cpu, commit, core = sys.argv[1:]
print(json.dumps({"stamp": stamp, "commit": commit, "ansible_core": core,
                  "machine": {"nproc": int(nproc), "mem_gib": float(mem), "load_start": load, "cpu": cpu}}))
PY
}

write_meta() {
  local note_lines
  note_lines=$(printf '%s\n' "${notes[@]+"${notes[@]}"}")
  "$python" - "$run_dir/meta.json" "$(cat "$run_dir/machine.json")" "$fleet" "$latency" "$scale" "${BENCH_SKIP:-}" "$note_lines" <<'PY'
import json, sys
path, machine, fleet, latency, scale, skip, notes = sys.argv[1:]
meta = json.loads(machine)
meta["options"] = {"BENCH_FLEET": fleet, "BENCH_LATENCY": latency, "BENCH_LATENCY_SCALE": scale, "BENCH_SKIP": skip}
meta["notes"] = [line for line in notes.splitlines() if line]
json.dump(meta, open(path, "w"), indent=1)
PY
}

mkdir -p "$run_dir"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
machine >"$run_dir/machine.json"
if ! bash "$LAB_ROOT/lab.sh" status >/dev/null 2>&1; then
  lab_log "the lab is not up: bringing it up"
  bash "$LAB_ROOT/lab.sh" up
fi
eval "$(bash "$LAB_ROOT/emulator.sh" env)"
# A converge from an empty lab drops the emulator's state anyway: restart it so it runs the checkout's emulator code
# (the latency profile included), not whatever it was started with.
if wanted converge || { [ "$latency" = 1 ] && wanted latency && ! lab_api GET /_lab/latency >/dev/null 2>&1; }; then
  lab_log "restarting the emulator on the checkout's code"
  bash "$LAB_ROOT/emulator.sh" stop
  LAB_EMULATOR_EXTRA_HOSTS=$LAB_GATEWAY bash "$LAB_ROOT/emulator.sh" start
fi
lab_api POST /_lab/latency '{"scale": 0}' >/dev/null 2>&1 || true
lab_log "bench $stamp: runs in ${run_dir#"$REPO_ROOT"/}, load average at start $load_start"

if wanted converge; then
  empty_lab
  site converge || note "the converge from an empty lab failed (log: ${run_dir#"$REPO_ROOT"/}/converge.log)"
fi
wanted noop && { site noop || note "the no-op run failed (log: ${run_dir#"$REPO_ROOT"/}/noop.log)"; }
wanted check && { site check --check --diff || note "the check run failed (log: ${run_dir#"$REPO_ROOT"/}/check.log)"; }

if wanted floor; then
  count=$("$python" -c 'import json, sys; print((json.load(open(sys.argv[1])).get("tasks") or {}).get("aws_results_run") or 0)' "$run_dir/noop.json" 2>/dev/null || echo 0)
  if ((count < 1)); then
    count=${BENCH_FLOOR_TASKS:-50}
    note "floor: no AWS task count from a no-op run in this invocation, so $count tasks (BENCH_FLOOR_TASKS)"
  else
    note "floor: $count plain amazon.aws.ec2_vpc_net_info tasks = the AWS task results (modules outside ansible.builtin on the controller, not skipped) of the no-op run"
  fi
  "$python" lab/bench/floor.py "$count" "$run_dir/floor.yml"
  "$python" lab/bench/measure.py floor "$run_dir" -- ansible-playbook -i inventories/lab "$run_dir/floor.yml" || note "the floor run failed"
fi

wanted census && "$python" lab/bench/census.py "$run_dir/census.json"

if wanted fleet; then
  # The on-prem layer with the systems_manager layer before it (the activation it registers the hosts with): each
  # size starts from fresh hosts and a fresh activation, since the fleet registers 1+2+4+8 hosts and the lab's
  # activation allows 10 registrations.
  tags=${BENCH_FLEET_TAGS:-systems_manager,onprem}
  for size in $fleet; do
    limit=localhost
    for ((n = 1; n <= size; n++)); do limit+=",$(lab_host_name "$n")"; done
    fresh_hosts "$size"
    "$python" lab/bench/activations.py
    site "fleet-$size-first" --tags "$tags" --limit "$limit" || note "fleet $size: the first run failed (log: fleet-$size-first.log)"
    site "fleet-$size-noop" --tags "$tags" --limit "$limit" || note "fleet $size: the no-op run failed (log: fleet-$size-noop.log)"
  done
  note "fleet: site.yml --tags $tags --limit localhost,onprem-app-1..N on N fresh hosts and a fresh SSM activation (first run), then again (no-op)"
fi

if [ "$latency" = 1 ] && wanted latency; then
  lab_api POST /_lab/latency "{\"scale\": $scale}" >"$run_dir/latency.json"
  empty_lab
  site latency-converge || note "the converge with the latency profile failed (log: latency-converge.log)"
  lab_api POST /_lab/latency '{"scale": 0}' >/dev/null
  note "latency profile x$scale: every slow resource's real seconds times $scale (lab/awsemu/extensions/latency_profile.py); the critical path follows the plays of site.yml that start and await each slow resource (lab/bench/critical_path.py)"
elif wanted fleet; then
  # Leave the lab converged for the hosts it is meant to have (the fleet runs recreated them).
  LAB_HOSTS=$hosts_wanted bash "$LAB_ROOT/onprem/hosts.sh" up
  site restore || note "restoring the converged lab after the fleet runs failed (log: restore.log)"
fi

write_meta
"$python" lab/bench/report.py "$run_dir" "$results"
