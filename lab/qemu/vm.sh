#!/usr/bin/env bash
# One lab VM: start | stop | status NAME.
# A Debian bookworm VM under QEMU full emulation (TCG: /dev/kvm here is nested and -enable-kvm
# hangs), booted straight into the kernel of the image from lab/qemu/build-image.sh. It exists for
# what a container cannot do on this machine: mount NFS with the kernel's own client.
#   start   boots NAME unless it runs, waits until root logs in over SSH with the lab key, and prints
#           the port of 127.0.0.1 that is forwarded to the VM's sshd (LAB_VM_SSH_PORT picks it,
#           else a free one); the host key goes into the lab's known_hosts as [127.0.0.1]:PORT
#   stop    ends the VM this script started (pid file lab/.state/qemu-NAME.pid) and forgets its host key
#   status  exit 0 and the port when NAME runs
# Networking is QEMU user networking (slirp): the guest is 10.0.2.15 and everything it opens leaves
# from this machine, so the lab network (the file gateway appliance at 10.254.0.201) sees the VM as
# 10.254.0.193, the machine's address there. Disk writes go to a throwaway overlay: each boot is new.
set -euo pipefail
# shellcheck source=lab/qemu/common.sh
source "$(dirname "$0")/common.sh"

memory_mb=${LAB_VM_MEMORY_MB:-768}
boot_timeout=${LAB_VM_BOOT_TIMEOUT:-180}

usage() {
  echo "usage: $0 {start|stop|status} NAME" >&2
  exit 2
}

name=${2:-}
[[ $name =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$ ]] || usage
pidfile=$LAB_STATE/qemu-$name.pid
portfile=$VM_STATE/$name.port
console_log=$VM_STATE/$name.console.log

# The pid of NAME's QEMU, when it runs (a reused pid is never taken for it).
running_pid() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = qemu-system-x86 ] &&
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "-name $name " && echo "$pid"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

boot() {
  local image=$1 port=$2
  # Host names allow no underscore (molecule's platform names have them).
  local hostname=${name//_/-}
  rm -f "$pidfile" "$console_log"
  # The plain pc machine and CPU model: fewer devices for udev to probe at boot than q35, no
  # instruction set extensions for TCG to emulate.
  qemu-system-x86_64 -name "$name" -accel tcg -machine pc -cpu qemu64 -smp 1 -m "$memory_mb" \
    -nodefaults -no-user-config -display none -daemonize -pidfile "$pidfile" \
    -serial "file:$console_log" \
    -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 quiet systemd.show_status=false systemd.hostname=$hostname mitigations=off" \
    -drive "file=$image/disk.ext4,format=raw,if=virtio,snapshot=on" \
    -netdev "user,id=lab,hostfwd=tcp:127.0.0.1:$port-:22" -device virtio-net-pci,netdev=lab,romfile= \
    -device virtio-rng-pci
}

# Waits until root logs in with the lab key, then records the VM's host key.
wait_for_login() {
  local port=$1 deadline keys
  deadline=$((SECONDS + boot_timeout))
  while ((SECONDS < deadline)); do
    running_pid >/dev/null || lab_die "$name stopped while booting (console: $console_log)"
    if keys=$(ssh-keyscan -T 3 -p "$port" -t ed25519 127.0.0.1 2>/dev/null) && [ -n "$keys" ]; then
      lab_record_host_keys "[127.0.0.1]:$port" "$keys"
      ssh -q -p "$port" -i "$LAB_SSH_KEY" -o BatchMode=yes -o UserKnownHostsFile="$LAB_KNOWN_HOSTS" \
        -o StrictHostKeyChecking=yes -o ConnectTimeout=10 root@127.0.0.1 true && return 0
    fi
    sleep 1
  done
  lab_die "$name: no SSH login on 127.0.0.1:$port within $boot_timeout s (console: $console_log)"
}

start() {
  local image port started=$SECONDS
  image=$(bash "$LAB_ROOT/qemu/build-image.sh")
  mkdir -p "$VM_STATE"
  exec 9>"$VM_STATE/$name.lock"
  flock 9
  if running_pid >/dev/null && [ -s "$portfile" ]; then
    cat "$portfile"
    return 0
  fi
  stop
  port=${LAB_VM_SSH_PORT:-$(free_port)}
  lab_log "starting VM $name (TCG, ${memory_mb} MB, ssh 127.0.0.1:$port, console: ${console_log#"$REPO_ROOT"/})"
  # 9>&-: the daemonized QEMU must not inherit the start lock (it would hold it for the VM's life).
  boot "$image" "$port" 9>&- || lab_die "qemu did not start $name"
  echo "$port" >"$portfile"
  wait_for_login "$port"
  lab_log "VM $name: SSH login works $((SECONDS - started)) s after start"
  echo "$port"
}

stop() {
  local pid port
  if pid=$(running_pid); then
    lab_log "stopping VM $name (pid $pid)"
    lab_end_process "$pid" 20
  fi
  if port=$(cat "$portfile" 2>/dev/null); then
    lab_record_host_keys "[127.0.0.1]:$port" ""
  fi
  rm -f "$pidfile" "$portfile"
}

status() {
  local pid
  if pid=$(running_pid); then
    echo "VM $name: running (pid $pid), ssh 127.0.0.1:$(cat "$portfile" 2>/dev/null)"
  else
    echo "VM $name: not running"
    return 3
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
