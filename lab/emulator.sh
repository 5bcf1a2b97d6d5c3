#!/usr/bin/env bash
# Start, stop and inspect the lab AWS emulator (python -m awsemu): bash lab/emulator.sh {start|stop|status|env|tls}
# LAB_EMULATOR_PORT (default 4566) picks the plain HTTP port, LAB_EMULATOR_TLS_PORT (default 4567) the HTTPS one, as
# AWS's endpoints answer both (an S3 bucket policy may deny requests without TLS: aws:SecureTransport);
# LAB_EMULATOR_EXTRA_HOSTS (space separated) adds listen addresses; LAB_STATE_DIR (default lab/.state) holds
# emulator.pid, emulator.log, requests.jsonl and tls/ (the lab's certificate authority, ca.pem, and the emulator's
# certificate for 127.0.0.1 and the extra hosts; `tls` makes them when missing and prints the directory).
set -euo pipefail

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lab/fds.sh
source "$LAB_DIR/fds.sh"
# shellcheck source=lab/pid_file.sh
source "$LAB_DIR/pid_file.sh"
ROOT_DIR="$(dirname "$LAB_DIR")"
STATE_DIR="${LAB_STATE_DIR:-$LAB_DIR/.state}"
PID_FILE="$STATE_DIR/emulator.pid"
LOG_FILE="$STATE_DIR/emulator.log"
REQUEST_LOG="$STATE_DIR/requests.jsonl"
PORT="${LAB_EMULATOR_PORT:-4566}"
PYTHON="${LAB_PYTHON:-$ROOT_DIR/.venv/bin/python}"
ENDPOINT="http://127.0.0.1:$PORT"
TLS_PORT="${LAB_EMULATOR_TLS_PORT:-4567}"
TLS_DIR="$STATE_DIR/tls"
START_TIMEOUT=30

running_pid() { lab_running_pid "$PID_FILE" awsemu; }

healthy() {
    "$PYTHON" - "$ENDPOINT/_lab/health" <<'PY' >/dev/null 2>&1
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as answer:
    sys.exit(0 if json.load(answer).get("status") == "ok" else 1)
PY
}

# The lab's own certificate authority (made once) and the emulator's certificate, made again when its addresses change.
tls_files() {
    local names="DNS:localhost,IP:127.0.0.1" host
    for host in ${LAB_EMULATOR_EXTRA_HOSTS:-}; do
        names+=",IP:$host"
    done
    mkdir -p "$TLS_DIR"
    chmod 700 "$TLS_DIR"
    if [ ! -s "$TLS_DIR/ca.pem" ]; then
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=hybridlab lab CA" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
            -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" 2>/dev/null
    fi
    if [ ! -s "$TLS_DIR/emulator.pem" ] || [ "$(cat "$TLS_DIR/emulator.names" 2>/dev/null)" != "$names" ]; then
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=hybridlab emulator" \
            -keyout "$TLS_DIR/emulator.key" -out "$TLS_DIR/emulator.csr" 2>/dev/null
        printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' \
            "$names" >"$TLS_DIR/emulator.ext"
        openssl x509 -req -days 825 -in "$TLS_DIR/emulator.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" \
            -CAcreateserial -extfile "$TLS_DIR/emulator.ext" -out "$TLS_DIR/emulator.pem" 2>/dev/null
        echo "$names" >"$TLS_DIR/emulator.names"
    fi
    echo "$TLS_DIR"
}

start() {
    if pid="$(running_pid)"; then
        echo "emulator already running (pid $pid) on $ENDPOINT"
        return 0
    fi
    mkdir -p "$STATE_DIR"
    tls_files >/dev/null
    local args=(-m awsemu --port "$PORT" --pid-file "$PID_FILE" --log-file "$REQUEST_LOG")
    args+=(--tls-port "$TLS_PORT" --tls-cert "$TLS_DIR/emulator.pem" --tls-key "$TLS_DIR/emulator.key")
    local host
    for host in ${LAB_EMULATOR_EXTRA_HOSTS:-}; do
        args+=(--extra-host "$host")
    done
    : >"$LOG_FILE"
    (
        lab_close_inherited_fds
        # Real PostgreSQL servers behind the lab's DB instances (awsemu/extensions/rds_servers.py): the disaster recovery
        # tests count canary rows. LAB_RDS_SERVERS=off starts the lab without them.
        LAB_RDS_SERVERS="${LAB_RDS_SERVERS:-on}" PYTHONPATH="$LAB_DIR${PYTHONPATH:+:$PYTHONPATH}" exec setsid "$PYTHON" "${args[@]}"
    ) >>"$LOG_FILE" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$PID_FILE"
    local waited=0
    until healthy; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "emulator exited during start; log tail:" >&2
            tail -n 30 "$LOG_FILE" >&2
            rm -f "$PID_FILE"
            return 1
        fi
        if ((waited >= START_TIMEOUT * 4)); then
            echo "emulator not healthy after ${START_TIMEOUT}s; log tail:" >&2
            tail -n 30 "$LOG_FILE" >&2
            kill "$pid" 2>/dev/null || true
            rm -f "$PID_FILE"
            return 1
        fi
        sleep 0.25
        waited=$((waited + 1))
    done
    echo "emulator running (pid $pid) on $ENDPOINT and https://127.0.0.1:$TLS_PORT"
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        echo "emulator not running"
        rm -f "$PID_FILE"
        return 0
    fi
    kill "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
        if ((waited >= 40)); then
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.25
        waited=$((waited + 1))
    done
    rm -f "$PID_FILE"
    echo "emulator stopped (pid $pid)"
}

status() {
    local pid
    if ! pid="$(running_pid)"; then
        echo "emulator not running"
        return 3
    fi
    if healthy; then
        echo "emulator running (pid $pid) on $ENDPOINT, healthy"
        return 0
    fi
    echo "emulator process $pid exists but $ENDPOINT/_lab/health does not answer"
    return 1
}

print_env() {
    echo "export AWS_ENDPOINT_URL=$ENDPOINT"
    echo "export AWS_ACCESS_KEY_ID=testing"
    echo "export AWS_SECRET_ACCESS_KEY=testing"
    echo "export AWS_DEFAULT_REGION=us-east-1"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    env) print_env ;;
    tls) tls_files ;;
    *)
        echo "usage: $0 {start|stop|status|env|tls}" >&2
        exit 2
        ;;
esac
