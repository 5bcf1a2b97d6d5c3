#!/usr/bin/env bash
# The whole lab: bash lab/lab.sh {up|down|env|converge|status}
#   up        Docker daemon, network, host image, AWS emulator, DNS server for the private zones, package mirror,
#             container registry (with the application images), file gateway appliance, on-prem hosts (LAB_HOSTS,
#             default 2), then waits for SSH on each host
#   down      removes every container, volume, network, process and mount the lab created
#             (label hybridlab=1 and pid files under lab/.state) and nothing else
#   env       the emulator's export lines (eval "$(bash lab/lab.sh env)")
#   converge  up, then site.yml against inventories/lab, then the NFS host (lab/qemu/nfs-host.sh: a VM whose kernel
#             mounts the file share and writes a file through it into S3), then playbooks/report.yml (lab/.state/report)
#   status    what runs; exit 0 only when the lab is up
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "$0")/onprem/common.sh"
export PATH=$REPO_ROOT/.venv/bin:$PATH
export ANSIBLE_CONFIG=$REPO_ROOT/ansible.cfg

emulator=$LAB_ROOT/emulator.sh
mirror=$LAB_ROOT/mirror/mirror.sh
appliance=$LAB_ROOT/appliance/appliance.sh
registry=$LAB_ROOT/registry/registry.sh
resolver=$LAB_ROOT/resolver/resolver.sh
nfs_host=$LAB_ROOT/qemu/nfs-host.sh
extra_inventory=$LAB_STATE/inventory-hosts.yml

# Runs an optional part of the lab (another script of lab/) when it exists.
part() {
  local script=$1
  shift
  if [ -f "$script" ]; then
    bash "$script" "$@"
  else
    lab_log "${script#"$REPO_ROOT"/} does not exist yet: skipped"
  fi
}

up() {
  local started=$SECONDS
  lab_check_host_count
  bash "$LAB_ROOT/onprem/dockerd.sh" start
  lab_ensure_network
  lab_log "host image: $(bash "$LAB_ROOT/onprem/build-image.sh")"
  LAB_EMULATOR_EXTRA_HOSTS=$LAB_GATEWAY part "$emulator" start
  # On the lab network's gateway, where the hosts' Docker resolver forwards (lab/onprem/host.sh): the network exists.
  LAB_DNS_ADDRESS=$LAB_GATEWAY LAB_DNS_ENDPOINT="http://127.0.0.1:${LAB_EMULATOR_PORT:-4566}" part "$resolver" start
  part "$mirror" start
  part "$registry" start
  part "$appliance" start
  bash "$LAB_ROOT/onprem/hosts.sh" up
  lab_log "lab up in $((SECONDS - started)) s"
}

# The second of the process start time, from /proc (field 22 of stat, in clock ticks since boot).
process_start() {
  local pid=$1 ticks boot
  ticks=$(sed 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f20) || return 1
  boot=$(awk '/^btime/ {print $2}' /proc/stat)
  echo $((boot + ticks / $(getconf CLK_TCK)))
}

# A pid file the parts left behind: its process is ended only if it started before the file was
# written (so a reused pid is never killed); the file goes either way.
sweep_pid_file() {
  local file=$1 pid start
  pid=$(head -n1 "$file" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ ]] && start=$(process_start "$pid" 2>/dev/null) && ((start <= $(stat -c %Y "$file") + 1)); then
    lab_log "ending leftover process $pid ($(basename "$file"))"
    lab_end_process "$pid" 10
  fi
  rm -f "$file"
}

down() {
  # A daemon that is not running may still hold the lab's containers, volumes and network in its
  # data root (after a reboot, or after scripts/molecule.sh stopped it): start it to remove them.
  if ! lab_docker_ready && [ -d "$LAB_DOCKER_DATA_ROOT" ]; then
    bash "$LAB_ROOT/onprem/dockerd.sh" start
  fi
  bash "$LAB_ROOT/onprem/hosts.sh" down
  part "$appliance" stop
  part "$registry" stop
  part "$mirror" stop
  part "$resolver" stop
  part "$emulator" stop
  if lab_docker_ready; then
    # Whatever else carries the label: molecule's hosts, parts that did not clean up after themselves.
    docker ps -aq --filter "label=$LAB_LABEL" | xargs -r docker rm -f >/dev/null
    docker volume ls -q --filter "label=$LAB_LABEL" | xargs -r docker volume rm >/dev/null
    docker network ls -q --filter "label=$LAB_LABEL" | xargs -r docker network rm >/dev/null
  fi
  bash "$LAB_ROOT/onprem/dockerd.sh" stop
  local file
  for file in "$LAB_STATE"/*.pid; do
    [ -e "$file" ] && sweep_pid_file "$file"
  done
  rm -f "$extra_inventory" "$LAB_STATE/inventory-nfs-host.yml" "$LAB_KNOWN_HOSTS"
  lab_log "lab down"
}

status() {
  local up=0
  bash "$LAB_ROOT/onprem/dockerd.sh" status || up=1
  if lab_docker_ready; then
    if docker network inspect "$LAB_NETWORK" >/dev/null 2>&1; then
      echo "network: $LAB_NETWORK ($LAB_SUBNET)"
    else
      echo "network: $LAB_NETWORK missing"
      up=1
    fi
    echo "containers:"
    docker ps -a --filter "label=$LAB_LABEL" --format '  {{.Names}}\t{{.Label "hybridlab.role"}}\t{{.Status}}' | sort
    local n
    for ((n = 1; n <= LAB_HOSTS; n++)); do
      [ "$(docker inspect -f '{{.State.Running}}' "$(lab_host_name "$n")" 2>/dev/null)" = true ] || up=1
    done
  fi
  [ ! -f "$emulator" ] || bash "$emulator" status || up=1
  [ ! -f "$resolver" ] || bash "$resolver" status || up=1
  # Started by converge, not by up: reported, never a reason to call the lab down.
  bash "$nfs_host" status || true
  return $up
}

converge() {
  local playbook=$REPO_ROOT/site.yml
  [ -f "$playbook" ] || lab_die "site.yml does not exist yet: nothing to converge"
  up
  local inventories=(-i "$REPO_ROOT/inventories/lab") log=$LAB_STATE/converge.log started=$SECONDS status=0
  [ ! -f "$extra_inventory" ] || inventories+=(-i "$extra_inventory")
  # Lookups (the ECS AMI parameter) do not see module_defaults: they reach the emulator through the environment.
  eval "$(bash "$emulator" env)"
  ansible-playbook "${inventories[@]}" "$playbook" 2>&1 | tee "$log" || status=$?
  echo
  echo "=== converge: site.yml $( ((status == 0)) && echo passed || echo FAILED) in $((SECONDS - started)) s (log: ${log#"$REPO_ROOT"/})"
  sed -n '/^PLAY RECAP/,/^$/p' "$log"
  if ((status == 0)); then
    echo "=== NFS host: the file share mounted by a kernel NFS client"
    bash "$nfs_host" up || status=$?
  fi
  report "${inventories[@]}" || status=$?
  return $status
}

# What is really deployed, read back by playbooks/report.yml (read-only): a Markdown report and the diagram drawn
# with Graphviz (Debian's graphviz, installed when missing), in lab/.state/report.
report() {
  local dir=$LAB_STATE/report log=$LAB_STATE/report.log status=0
  lab_ensure_packages graphviz
  ansible-playbook "$@" "$REPO_ROOT/playbooks/report.yml" -e "report_dir=$dir" >"$log" 2>&1 || status=$?
  echo
  if ((status == 0)); then
    echo "=== report: $(grep -o 'Active path to on-premises: [a-z_]*' "$log" | tail -1)"
    local file
    for file in "$dir"/architecture.{md,svg,png,dot}; do
      echo "  ${file#"$REPO_ROOT"/}"
    done
  else
    echo "=== report: playbooks/report.yml FAILED (log: ${log#"$REPO_ROOT"/})"
    tail -n 20 "$log"
  fi
  return $status
}

case ${1:-} in
  up) up ;;
  down) down ;;
  env) part "$emulator" env ;;
  converge) converge ;;
  status) status ;;
  *)
    echo "usage: $0 {up|down|env|converge|status}   (LAB_HOSTS=N: number of on-prem hosts, default 2)" >&2
    exit 2
    ;;
esac
