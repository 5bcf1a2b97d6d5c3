#!/usr/bin/env bash
# The lab's on-prem hosts onprem-app-1..LAB_HOSTS (default 2, at most 30):
#   hosts.sh up     start them in parallel (keeping those already running the current image), wait
#                   for SSH, remove hosts beyond LAB_HOSTS, and write the extra inventory source
#   hosts.sh down   remove every on-prem host, its volume and the extra inventory source
# inventories/lab/hosts.yml lists onprem-app-1 and -2; for LAB_HOSTS > 2 the others are written to
# lab/.state/inventory-hosts.yml, to pass as a second inventory (-i inventories/lab -i that file).
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "$0")/common.sh"

role=onprem-app
extra_inventory=$LAB_STATE/inventory-hosts.yml
static_hosts=2

running_hosts() { docker ps -a --filter "label=hybridlab.role=$role" --format '{{.Names}}'; }

write_extra_inventory() {
  if ((LAB_HOSTS <= static_hosts)); then
    rm -f "$extra_inventory"
    return 0
  fi
  {
    echo "# Written by lab/onprem/hosts.sh for LAB_HOSTS=$LAB_HOSTS: the on-prem hosts beyond those in"
    echo "# inventories/lab/hosts.yml. Use: -i inventories/lab -i lab/.state/inventory-hosts.yml"
    echo "all:"
    echo "  children:"
    echo "    onprem:"
    echo "      children:"
    echo "        onprem_app:"
    echo "          hosts:"
    local n
    for ((n = static_hosts + 1; n <= LAB_HOSTS; n++)); do
      echo "            $(lab_host_name "$n"):"
      echo "              ansible_host: $(lab_host_address "$n")"
    done
  } >"$extra_inventory.tmp"
  mv "$extra_inventory.tmp" "$extra_inventory"
}

up() {
  lab_check_host_count
  bash "$LAB_ROOT/onprem/dockerd.sh" start
  bash "$LAB_ROOT/onprem/build-image.sh" >/dev/null
  local name n
  for name in $(running_hosts); do
    n=${name##*-}
    ((n <= LAB_HOSTS)) || bash "$LAB_ROOT/onprem/host.sh" stop "$name"
  done
  local pids=() failed=0 started=$SECONDS
  for ((n = 1; n <= LAB_HOSTS; n++)); do
    bash "$LAB_ROOT/onprem/host.sh" start "$(lab_host_name "$n")" "$(lab_host_address "$n")" "$role" &
    pids+=($!)
  done
  for n in "${pids[@]}"; do wait "$n" || failed=1; done
  ((failed == 0)) || lab_die "some on-prem hosts did not come up (see above)"
  write_extra_inventory
  lab_log "$LAB_HOSTS on-prem host(s) answer on SSH ($((SECONDS - started)) s)"
}

down() {
  rm -f "$extra_inventory"
  lab_docker_ready || return 0
  local name
  for name in $(running_hosts); do bash "$LAB_ROOT/onprem/host.sh" stop "$name"; done
}

case ${1:-} in
  up) up ;;
  down) down ;;
  *)
    echo "usage: $0 {up|down}   (LAB_HOSTS=N sets the number of hosts, default 2)" >&2
    exit 2
    ;;
esac
