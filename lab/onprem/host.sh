#!/usr/bin/env bash
# One lab host (a systemd container on the lab network, reachable over SSH as root):
#   host.sh start NAME ADDRESS [ROLE]   start it (or keep it when it already runs the current image),
#                                       wait for SSH and record its host keys in the lab's known_hosts
#   host.sh stop NAME                   remove it and its Docker volume
# The lab's hosts (hosts.sh) and molecule's platforms (molecule/shared/create.yml) both start here,
# so they run the same image with the same flags. Needs the lab dockerd; builds the image if needed.
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "$0")/common.sh"

# Docker inside the host (measured, see README.md): a private cgroup namespace, SYS_ADMIN (systemd,
# the cgroup remount unit), NET_ADMIN (the inner bridge and iptables), a seccomp profile that allows
# keyctl and pivot_root, and a volume on /var/lib/docker so the inner engine gets overlay2.
# DNS as in a data center whose DNS forwards the private zones to a Route 53 Resolver inbound endpoint:
# Docker's resolver in the host (container names) asks the lab's DNS server on the lab network's gateway
# (lab/resolver/, started by lab.sh up) first; it refuses names outside the private zones, and Docker
# then asks this machine's own name servers (lab_upstream_dns), as it does without --dns.
# No --privileged. The host name is the container name with '_' made '-' (molecule scenario names may hold '_').
run_flags() {
  local name=$1 address=$2 role=$3 seccomp=unconfined server
  [ -r "$LAB_SECCOMP_PROFILE" ] && seccomp=$LAB_SECCOMP_PROFILE
  for server in "$LAB_GATEWAY" $(lab_upstream_dns); do
    printf '%s\n' --dns "$server"
  done
  printf '%s\n' --detach --name "$name" --hostname "${name//_/-}" \
    --label "$LAB_LABEL" --label "hybridlab.role=$role" \
    --network "$LAB_NETWORK" --ip "$address" \
    --cgroupns=private --cap-add SYS_ADMIN --cap-add NET_ADMIN \
    --security-opt "seccomp=$seccomp" \
    --tmpfs /run --tmpfs /run/lock \
    --volume "$name-docker:/var/lib/docker"
}

start() {
  local name=$1 address=$2 role=${3:-onprem-app} image current
  [[ $address =~ ^10\.254\.0\.[0-9]+$ ]] || lab_die "$address is not an address of the lab network $LAB_SUBNET"
  lab_require_docker
  image=$(bash "$LAB_ROOT/onprem/build-image.sh")
  lab_ensure_network
  current=$(docker inspect -f '{{.State.Running}} {{.Config.Image}} {{(index .NetworkSettings.Networks "'"$LAB_NETWORK"'").IPAddress}}' "$name" 2>/dev/null || true)
  if [ "$current" != "true $image $address" ]; then
    docker rm -f "$name" >/dev/null 2>&1 || true
    docker volume rm "$name-docker" >/dev/null 2>&1 || true
    docker volume create --label "$LAB_LABEL" "$name-docker" >/dev/null
    local flags
    mapfile -t flags < <(run_flags "$name" "$address" "$role")
    docker run "${flags[@]}" "$image" >/dev/null
    lab_log "started $name ($address)"
  fi
  local keys
  keys=$(lab_wait_for_ssh "$address" "${LAB_SSH_TIMEOUT:-90}") || lab_die "$name ($address): no SSH within ${LAB_SSH_TIMEOUT:-90} s"
  lab_record_host_keys "$address" "$keys"
}

stop() {
  local name=$1 address
  lab_docker_ready || return 0
  address=$(docker inspect -f '{{(index .NetworkSettings.Networks "'"$LAB_NETWORK"'").IPAddress}}' "$name" 2>/dev/null || true)
  if docker rm -f "$name" >/dev/null 2>&1; then lab_log "removed $name"; fi
  docker volume rm "$name-docker" >/dev/null 2>&1 || true
  [ -z "$address" ] || lab_record_host_keys "$address" ""
}

usage() {
  echo "usage: $0 {start NAME ADDRESS [ROLE]|stop NAME}" >&2
  exit 2
}

case ${1:-} in
  start) (($# >= 3)) || usage ;;
  stop) (($# == 2)) || usage ;;
  *) usage ;;
esac
"$1" "${@:2}"
