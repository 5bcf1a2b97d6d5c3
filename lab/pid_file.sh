# shellcheck shell=bash
# Sourced by the lab's daemon scripts (emulator.sh, resolver/resolver.sh).

# Prints the pid in PID_FILE (its first line) when that process is alive and its command line holds PATTERN; fails
# otherwise. Only a live process that really is the lab's daemon counts: a reused pid must never be stopped.
lab_running_pid() {
  local pid_file=$1 pattern=$2 pid
  [[ -f "$pid_file" ]] || return 1
  pid="$(head -n1 "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  grep -qa -- "$pattern" "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}
