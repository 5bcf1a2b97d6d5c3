#!/bin/sh
# mmdebstrap customize hook: $1 is the root of the image being built.
set -eu
root=$1
chown -R 0:0 "$root/etc/systemd/system/ssh.service.d" "$root/etc/ssh/sshd_config.d" "$root/usr/local/sbin"
chmod 755 "$root/usr/local/sbin/lab-cgroup-remount"
systemctl --root "$root" enable lab-cgroup-remount.service
# Host keys and the machine id are made at each host's first boot, so no two hosts share them.
rm -f "$root"/etc/ssh/ssh_host_*
: >"$root/etc/machine-id"
install -d -m 700 "$root/root/.ssh"
