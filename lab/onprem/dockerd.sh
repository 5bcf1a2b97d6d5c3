#!/usr/bin/env bash
# The lab's Docker daemon: start | stop | status.
# start installs the Debian packages the lab needs and runs a private dockerd on the lab socket
# unless a daemon already answers there; stop ends only the daemon this script started (pid file)
# and unmounts what it left under its data and exec roots.
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "$0")/common.sh"

pidfile=$LAB_STATE/dockerd.pid
logfile=$LAB_STATE/dockerd.log
# Marks that docker0 did not exist before this script's dockerd made it, so stop removes it.
bridge_marker=$LAB_STATE/dockerd.made-docker0
# docker.io: the engine; mmdebstrap: the host image; golang-github-containers-common: the seccomp
# profile that lets Docker run inside a host; openssh-client: ssh, ssh-keyscan; util-linux: flock;
# iproute2: ip.
packages=(docker.io mmdebstrap golang-github-containers-common openssh-client util-linux iproute2)

started_pid() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  # Only a live dockerd counts: a reused pid is never killed.
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] && echo "$pid"
}

start() {
  lab_ensure_packages "${packages[@]}"
  if lab_docker_ready; then
    lab_log "dockerd already answers on $DOCKER_HOST"
    return 0
  fi
  rm -f "$pidfile"
  ip link show docker0 >/dev/null 2>&1 || touch "$bridge_marker"
  lab_log "starting a private dockerd on $DOCKER_HOST (log: $logfile)"
  (
    lab_close_inherited_fds
    exec setsid dockerd --data-root "$LAB_DOCKER_DATA_ROOT" --exec-root "$LAB_DOCKER_EXEC_ROOT" \
      -H "$DOCKER_HOST" --pidfile "$pidfile"
  ) >>"$logfile" 2>&1 </dev/null &
  local deadline=$((SECONDS + 30))
  until lab_docker_ready; do
    ((SECONDS < deadline)) || lab_die "dockerd did not answer within 30 s (see $logfile)"
    sleep 0.2
  done
}

unmount_leftovers() {
  local mountpoint
  # Deepest first, so nested mounts go before their parents.
  awk -v data="$LAB_DOCKER_DATA_ROOT" -v exec_root="$LAB_DOCKER_EXEC_ROOT" \
    'index($5 "/", data "/") == 1 || index($5 "/", exec_root "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r mountpoint; do umount -l "$mountpoint" 2>/dev/null || true; done
}

stop() {
  local pid
  if pid=$(started_pid); then
    lab_log "stopping dockerd (pid $pid)"
    lab_end_process "$pid" 30
  fi
  rm -f "$pidfile"
  if lab_docker_ready; then
    lab_log "a dockerd the lab did not start answers on $DOCKER_HOST: left running"
    return 0
  fi
  unmount_leftovers
  rm -f "${DOCKER_HOST#unix://}"
  if [ -f "$bridge_marker" ]; then
    ip link delete docker0 2>/dev/null || true
    rm -f "$bridge_marker"
  fi
}

status() {
  if lab_docker_ready; then
    local pid
    pid=$(started_pid) && echo "dockerd: running (pid $pid, started by the lab)" || echo "dockerd: running (not started by the lab)"
  else
    echo "dockerd: not running"
    return 3
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 {start|stop|status}" >&2
    exit 2
    ;;
esac
