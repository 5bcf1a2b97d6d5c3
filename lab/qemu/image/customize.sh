#!/bin/sh
# mmdebstrap customize hook: $1 is the root of the VM image being built.
set -eu
root=$1
chown -R 0:0 "$root/etc/systemd" "$root/etc/ssh/sshd_config.d" "$root/etc/initramfs-tools" "$root/etc/fstab"
systemctl --quiet --root "$root" enable systemd-networkd.service ssh.service 2>/dev/null
# Under full emulation every unit costs seconds of boot: mask what a headless, throwaway VM that
# only serves SSH and NFS mounts does not use (no console logins, no timers, no persistent journal,
# no kernel modules loaded ahead of need).
systemctl --quiet --root "$root" mask \
  getty@tty1.service serial-getty@ttyS0.service systemd-logind.service \
  apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer systemd-tmpfiles-clean.timer \
  e2scrub_reap.service systemd-journal-flush.service systemd-pstore.service systemd-binfmt.service \
  proc-sys-fs-binfmt_misc.automount sys-kernel-debug.mount sys-kernel-tracing.mount dev-hugepages.mount \
  modprobe@drm.service modprobe@efi_pstore.service modprobe@dm_mod.service modprobe@fuse.service modprobe@loop.service
# The initramfs again, now with the short module list.
chroot "$root" update-initramfs -u -k all >/dev/null
echo hybridlab-vm >"$root/etc/hostname"
# No apt sources: an apt-get update under full emulation takes minutes (measured 3 min 17 s at load
# 15). What the VM needs is in packages.txt; apt still answers for installed packages.
rm -f "$root/etc/apt/sources.list"
rm -f "$root"/etc/ssh/ssh_host_*
# The machine id is made at each boot (the disk is a throwaway overlay of the image).
: >"$root/etc/machine-id"
install -d -m 700 "$root/root/.ssh"
