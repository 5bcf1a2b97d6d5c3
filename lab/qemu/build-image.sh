#!/usr/bin/env bash
# Builds the lab VM image offline, only when it is missing or out of date, and prints its directory:
#   lab/.cache/qemu/<recipe-hash>/rootfs.tar  mmdebstrap bookworm of lab/qemu/image/ (kernel included)
#                                /vmlinuz, /initrd.img  the image's kernel and initramfs (direct kernel boot)
#                                /disk.ext4   the root file system (mkfs.ext4 -d) with the lab-only SSH key
#                                /disk.key    fingerprint of that key: a new key (lab/.state wiped) remakes only the disk
set -euo pipefail
# shellcheck source=lab/qemu/common.sh
source "$(dirname "$0")/common.sh"

hash=$(vm_recipe_hash)
image=$VM_CACHE/$hash
# Room for what the scenarios install and write; the file is sparse, so it costs only what is used.
disk_size=2G
scratch=()
trap 'rm -rf "${scratch[@]}"' EXIT

build_rootfs() {
  local packages sources=()
  packages=$(grep -v '^#' "$VM_RECIPE/packages.txt" | paste -sd, -)
  mapfile -t sources < <(vm_debian_sources)
  ((${#sources[@]})) || lab_die "apt has no sources for Debian $LAB_SUITE on this machine"
  lab_log "building the VM image $hash with mmdebstrap ($packages)"
  # mmdebstrap picks the output format from the name: it must end in .tar.
  local partial=$image/rootfs.partial.tar
  scratch+=("$partial" "$image/vmlinuz.partial" "$image/initrd.img.partial")
  # Valid-Until is not checked, like this machine's apt: the Debian mirror it reaches may serve a snapshot.
  # A file, not a pipe: mmdebstrap hangs up its whole process group when its output fails.
  mmdebstrap --mode=root --variant=apt --quiet --include="$packages" \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --customize-hook="sync-in '$VM_RECIPE/rootfs' /" \
    --customize-hook="sh '$VM_RECIPE/customize.sh' \"\$1\"" \
    --customize-hook="cp \"\$1\"/boot/vmlinuz-* '$image/vmlinuz.partial'" \
    --customize-hook="cp \"\$1\"/boot/initrd.img-* '$image/initrd.img.partial'" \
    "$LAB_SUITE" "$partial" "${sources[@]}"
  mv "$image/vmlinuz.partial" "$image/vmlinuz"
  mv "$image/initrd.img.partial" "$image/initrd.img"
  mv "$partial" "$image/rootfs.tar"
}

build_disk() {
  local fingerprint=$1 tree
  lab_log "making the VM disk (ext4, $disk_size, lab SSH key $fingerprint)"
  tree=$(mktemp -d "$VM_CACHE/tree.XXXXXX")
  scratch+=("$tree" "$image/disk.ext4.partial")
  tar -C "$tree" --numeric-owner -xpf "$image/rootfs.tar"
  install -m 600 "$LAB_SSH_KEY.pub" "$tree/root/.ssh/authorized_keys"
  rm -f "$image/disk.ext4.partial"
  mkfs.ext4 -q -L hybridlab-vm -d "$tree" "$image/disk.ext4.partial" "$disk_size" >/dev/null
  mv "$image/disk.ext4.partial" "$image/disk.ext4"
  echo "$fingerprint" >"$image/disk.key"
}

# Removes the images of older recipes (a running VM keeps its files open, so removing them is safe).
prune_old_images() {
  local old
  for old in "$VM_CACHE"/*/; do
    [ "${old%/}" = "$image" ] || rm -rf "${old%/}"
  done
}

main() {
  lab_ensure_packages "${VM_HOST_PACKAGES[@]}"
  lab_ensure_ssh_key
  mkdir -p "$VM_CACHE"
  exec 9>"$VM_CACHE/build.lock"
  flock 9
  mkdir -p "$image"
  [ -s "$image/rootfs.tar" ] || build_rootfs
  local fingerprint
  fingerprint=$(sha256sum <"$LAB_SSH_KEY.pub" | cut -c1-16)
  if [ ! -s "$image/disk.ext4" ] || [ "$(cat "$image/disk.key" 2>/dev/null)" != "$fingerprint" ]; then
    build_disk "$fingerprint"
  fi
  prune_old_images
  echo "$image"
}

main
