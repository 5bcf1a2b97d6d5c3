# Shared settings and helpers of the lab scripts (sourced, never run). Every lab script sources
# this file, so the addresses, names and Docker socket below are the lab's single source of truth.
# shellcheck shell=bash disable=SC2034  # the settings are read by the scripts that source this file

LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lab/fds.sh
source "$LAB_ROOT/fds.sh"
REPO_ROOT=$(dirname "$LAB_ROOT")
LAB_STATE=$LAB_ROOT/.state
LAB_CACHE=$LAB_ROOT/.cache
mkdir -p "$LAB_STATE" "$LAB_CACHE"

# The lab's private Docker daemon (lab/onprem/dockerd.sh starts it when nothing answers here).
export DOCKER_HOST=unix:///run/hybridlab-docker.sock
LAB_DOCKER_DATA_ROOT=/var/lib/hybridlab-docker
LAB_DOCKER_EXEC_ROOT=/run/hybridlab-docker

LAB_LABEL=hybridlab=1
LAB_NETWORK=hybridlab
LAB_SUBNET=10.254.0.192/26
LAB_GATEWAY=10.254.0.193
LAB_IMAGE_REPO=hybridlab/onprem
LAB_SUITE=bookworm

LAB_HOSTS=${LAB_HOSTS:-2}
LAB_HOSTS_MAX=30
LAB_SSH_DIR=$LAB_STATE/ssh
LAB_SSH_KEY=$LAB_SSH_DIR/id_ed25519
LAB_KNOWN_HOSTS=$LAB_SSH_DIR/known_hosts
# Debian's containers-common profile allows keyctl and pivot_root, which Docker inside a host needs.
LAB_SECCOMP_PROFILE=/usr/share/containers/seccomp.json

lab_log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Ends a process the lab started: TERM, then up to the given seconds for it to exit, then KILL.
lab_end_process() {
  local pid=$1 seconds=$2
  kill "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + seconds))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
}
lab_die() {
  lab_log "ERROR: $*"
  exit 1
}

lab_check_host_count() {
  if ! [[ $LAB_HOSTS =~ ^[0-9]+$ ]] || ((LAB_HOSTS < 1 || LAB_HOSTS > LAB_HOSTS_MAX)); then
    lab_die "LAB_HOSTS must be a number from 1 to $LAB_HOSTS_MAX (got '$LAB_HOSTS')"
  fi
}
lab_host_name() { echo "onprem-app-$1"; }
lab_host_address() { echo "10.254.0.$((210 + $1))"; }

# Installs the Debian packages that are missing (apt-get update at most once per script run).
# policy-rc.d keeps package scripts from starting services (docker.io would start a system dockerd).
# Callers run side by side (the molecule streams, the emulator tests' workers): one apt-get at a time.
lab_ensure_packages() {
  { flock 8 && _lab_ensure_packages_now "$@"; } 8>"${TMPDIR:-/tmp}/hybridlab-apt.lock"
}

_lab_ensure_packages_now() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  lab_log "installing Debian packages: ${missing[*]}"
  local policy=/usr/sbin/policy-rc.d own_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
  fi
  local status=0
  if [ -z "${LAB_APT_UPDATED:-}" ]; then
    apt-get update -qq || status=$?
    LAB_APT_UPDATED=1
  fi
  ((status)) || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  [ -z "$own_policy" ] || rm -f "$policy"
  ((status == 0)) || lab_die "apt-get failed for: ${missing[*]}"
}

# This machine's name servers, one per line, as Docker takes them for a container without --dns: from
# /etc/resolv.conf, or systemd-resolved's upstream list when that file names only its loopback stub.
lab_upstream_dns() {
  local file servers
  for file in /etc/resolv.conf /run/systemd/resolve/resolv.conf; do
    servers=$(awk '$1 == "nameserver" && $2 !~ /^127\./ && $2 != "::1" {print $2}' "$file" 2>/dev/null || true)
    if [ -n "$servers" ]; then
      echo "$servers"
      return
    fi
  done
}

lab_docker_ready() { docker info >/dev/null 2>&1; }
lab_require_docker() { lab_docker_ready || lab_die "the lab's Docker daemon does not answer on $DOCKER_HOST (run: bash lab/onprem/dockerd.sh start)"; }

# The lab-only SSH key pair, created on first use and never committed (lab/.state is git-ignored).
lab_ensure_ssh_key() {
  mkdir -p "$LAB_SSH_DIR"
  chmod 700 "$LAB_SSH_DIR"
  [ -s "$LAB_SSH_KEY" ] || ssh-keygen -q -t ed25519 -N '' -C hybridlab -f "$LAB_SSH_KEY"
  touch "$LAB_KNOWN_HOSTS"
}

# Hosts start in parallel: the lock keeps them from creating the network twice.
lab_ensure_network() {
  (
    flock 9
    docker network inspect "$LAB_NETWORK" >/dev/null 2>&1 && exit 0
    lab_log "creating docker network $LAB_NETWORK ($LAB_SUBNET)"
    docker network create --label "$LAB_LABEL" --subnet "$LAB_SUBNET" --gateway "$LAB_GATEWAY" "$LAB_NETWORK" >/dev/null
  ) 9>"$LAB_STATE/network.lock"
}

# The image tag is the hash of the recipe, so the image is rebuilt exactly when lab/onprem/image/ changes.
lab_image_tag() {
  (cd "$LAB_ROOT/onprem/image" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12
}
lab_image() { echo "$LAB_IMAGE_REPO:$(lab_image_tag)"; }

# Prints the host keys of ADDRESS once sshd answers with an ed25519 key, or fails after TIMEOUT seconds.
lab_wait_for_ssh() {
  local address=$1 timeout=${2:-60} deadline keys
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if keys=$(ssh-keyscan -T 2 -t ed25519 "$address" 2>/dev/null) && [ -n "$keys" ]; then
      echo "$keys"
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# Replaces ADDRESS's entries in the lab's known_hosts with KEYS (none: forget the host);
# a re-created host has new host keys. Hosts start in parallel, hence the lock.
lab_record_host_keys() {
  local address=$1 keys=$2
  [ -f "$LAB_KNOWN_HOSTS" ] || return 0
  (
    flock 9
    ssh-keygen -R "$address" -f "$LAB_KNOWN_HOSTS" >/dev/null 2>&1 || true
    rm -f "$LAB_KNOWN_HOSTS.old"
    [ -z "$keys" ] || echo "$keys" >>"$LAB_KNOWN_HOSTS"
  ) 9>"$LAB_KNOWN_HOSTS.lock"
}
