#!/bin/sh
# mmdebstrap customize hook of the execution environment base image: $1 is the root of the image being built.
set -eu
root=$1
chown 0:0 "$root/usr/local/sbin/lab-apt"
chmod 755 "$root/usr/local/sbin/lab-apt"
: >"$root/etc/machine-id"
