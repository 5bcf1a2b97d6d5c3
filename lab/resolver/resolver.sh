#!/usr/bin/env bash
# The lab's DNS server for the Route 53 private hosted zones (lab only): Debian's PowerDNS authoritative server
# with its pipe backend, lab/resolver/route53_pipe.py, which answers each query from the emulator's Route 53
# (TestDNSAnswer), as a Resolver inbound endpoint answers a data center. bash lab/resolver/resolver.sh {start|stop|status}
# LAB_DNS_ADDRESS (default 10.254.0.193, the lab network's gateway) and LAB_DNS_PORT (default 53) pick where it
# listens;
# LAB_DNS_ENDPOINT (default http://127.0.0.1:4566) is the emulator; LAB_DNS_STATE (default lab/.state/resolver) holds its
# configuration, pid file and log. Every cache is off: an answer follows Route 53's at once (a failover).
set -euo pipefail

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lab/fds.sh
source "$LAB_DIR/fds.sh"
# shellcheck source=lab/pid_file.sh
source "$LAB_DIR/pid_file.sh"
ROOT_DIR="$(dirname "$LAB_DIR")"
STATE="${LAB_DNS_STATE:-$LAB_DIR/.state/resolver}"
ADDRESS="${LAB_DNS_ADDRESS:-10.254.0.193}"
PORT="${LAB_DNS_PORT:-53}"
ENDPOINT="${LAB_DNS_ENDPOINT:-http://127.0.0.1:4566}"
PYTHON="${LAB_PYTHON:-$ROOT_DIR/.venv/bin/python}"
PID_FILE="$STATE/pdns.pid"
LOG_FILE="$STATE/pdns.log"

running_pid() { lab_running_pid "$PID_FILE" pdns_server; }

ensure_packages() {
  # shellcheck source=lab/onprem/common.sh
  source "$LAB_DIR/onprem/common.sh"
  lab_ensure_packages pdns-server pdns-backend-pipe
}

start() {
  if pid="$(running_pid)"; then
    echo "dns already running (pid $pid) on $ADDRESS:$PORT"
    return 0
  fi
  ensure_packages
  mkdir -p "$STATE"
  cat >"$STATE/pdns.conf" <<EOF
launch=pipe
pipe-command=$PYTHON $LAB_DIR/resolver/route53_pipe.py
pipe-abi-version=1
pipe-timeout=5000
local-address=$ADDRESS
local-port=$PORT
socket-dir=$STATE
daemon=no
guardian=no
disable-syslog=yes
security-poll-suffix=
cache-ttl=0
negquery-cache-ttl=0
query-cache-ttl=0
zone-cache-refresh-interval=0
consistent-backends=no
distributor-threads=1
receiver-threads=1
EOF
  : >"$LOG_FILE"
  (
    lab_close_inherited_fds
    HYBRIDLAB_DNS_ENDPOINT=$ENDPOINT exec setsid pdns_server --config-dir="$STATE"
  ) >>"$LOG_FILE" 2>&1 </dev/null &
  local pid=$! waited=0
  echo "$pid" >"$PID_FILE"
  until pdns_control --config-dir="$STATE" rping >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null || ((waited >= 80)); then
      echo "dns did not start; log tail:" >&2
      tail -n 20 "$LOG_FILE" >&2
      kill "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
      return 1
    fi
    sleep 0.25
    waited=$((waited + 1))
  done
  echo "dns running (pid $pid) on $ADDRESS:$PORT"
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    echo "dns stopped (pid $pid)"
  else
    echo "dns not running"
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if pid="$(running_pid)"; then echo "dns running (pid $pid) on $ADDRESS:$PORT"; else
      echo "dns not running"
      exit 1
    fi
    ;;
  *) echo "usage: $0 {start|stop|status}" >&2; exit 2 ;;
esac
