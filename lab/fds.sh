# shellcheck shell=bash
# Sourced by the lab's scripts. A daemon the lab starts must not keep a descriptor its caller opened: a caller that
# holds a lock (`flock LOCK make lab`) would otherwise see the lock held by dockerd or the emulator long after.

# Closes every descriptor above 2 of the current shell (run it in the subshell that then execs the daemon).
lab_close_inherited_fds() {
  local fd
  for fd in "/proc/$BASHPID/fd"/*; do
    fd=${fd##*/}
    if [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2 && fd < 256)); then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}
