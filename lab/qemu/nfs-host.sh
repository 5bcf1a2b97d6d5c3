#!/usr/bin/env bash
# The lab's NFS host: up | down | status.
# The lab's container hosts cannot mount NFS (this machine's kernel has no NFS client for them), so the lab adds one
# VM (vm.sh, QEMU full emulation) to the on-prem group for the file_gateway_mount role only, and the role mounts the
# lab's file share there with the kernel's own client, as it would on any on-prem server.
#   up      boots the VM onprem-nfs-1 unless it runs, writes its inventory (lab/.state/inventory-nfs-host.yml: a host
#           of the onprem group, reached on the forwarded SSH port), runs the role through the shipped on-prem playbook
#           (hybridcloud.aws.onprem --limit onprem-nfs-1 --tags file_gateway_mount), then writes a file through the
#           mount and waits until it is an object in the share's bucket (lab/qemu/nfs-write.yml). Needs the
#           converged lab (the file gateway and its share come from site.yml).
#   down    stops the VM and removes its inventory
#   status  exit 0 when the VM runs
# The VM's traffic leaves through this machine (QEMU user networking), so the appliance sees it as 10.254.0.193,
# inside the lab's on-prem range that the share is exported to; the role's preflight is told that address.
set -euo pipefail
# shellcheck source=lab/qemu/common.sh
source "$(dirname "$0")/common.sh"
export PATH=$REPO_ROOT/.venv/bin:$PATH
export ANSIBLE_CONFIG=$REPO_ROOT/ansible.cfg

name=onprem-nfs-1
inventory=$LAB_STATE/inventory-nfs-host.yml
log=$LAB_STATE/nfs-host.log
vm=$LAB_ROOT/qemu/vm.sh

write_inventory() {
  local port=$1
  cat >"$inventory" <<EOF
# Written by lab/qemu/nfs-host.sh: the lab's NFS host, a QEMU VM behind this machine's NAT, for the file_gateway_mount
# role only (the other on-prem roles run on the container hosts of inventories/lab).
all:
  children:
    onprem:
      children:
        onprem_nfs:
          hosts:
            $name:
              ansible_host: 127.0.0.1
              ansible_port: $port
              file_gateway_mount_state: mounted
              file_gateway_mount_client_address: 10.254.0.193
EOF
}

up() {
  local port started=$SECONDS
  port=$(bash "$vm" start "$name" | tail -n1)
  [[ $port =~ ^[0-9]+$ ]] || lab_die "vm.sh start $name printed no port"
  write_inventory "$port"
  local inventories=(-i "$REPO_ROOT/inventories/lab" -i "$inventory")
  lab_log "NFS host $name: the file_gateway_mount role (log: ${log#"$REPO_ROOT"/})"
  if ! ansible-playbook "${inventories[@]}" "$REPO_ROOT/playbooks/onprem.yml" --limit "$name" --tags file_gateway_mount >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    lab_die "NFS host $name: the file_gateway_mount role FAILED (log: ${log#"$REPO_ROOT"/})"
  fi
  # JSON results: the report line stays on one line of the log.
  if ! ANSIBLE_CALLBACK_RESULT_FORMAT=json ansible-playbook "${inventories[@]}" "$LAB_ROOT/qemu/nfs-write.yml" >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    lab_die "NFS host $name: the write through the mount did not reach S3 (log: ${log#"$REPO_ROOT"/})"
  fi
  grep -o 'NFS write: [^"]*' "$log" | tail -n1
  lab_log "NFS host $name: mounted and written through in $((SECONDS - started)) s"
}

down() {
  bash "$vm" stop "$name"
  rm -f "$inventory"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) bash "$vm" status "$name" ;;
  *)
    echo "usage: $0 {up|down|status}" >&2
    exit 2
    ;;
esac
