# Settings and helpers of the lab VM scripts (sourced, never run); the lab's own settings come
# from lab/onprem/common.sh.
# shellcheck shell=bash disable=SC2034  # the settings are read by the scripts that source this file
# shellcheck source=lab/onprem/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../onprem/common.sh"

VM_RECIPE=$LAB_ROOT/qemu/image
VM_CACHE=$LAB_CACHE/qemu
VM_STATE=$LAB_STATE/qemu
# qemu-system-x86: the emulator (seabios and ipxe-qemu come as its dependencies); mmdebstrap and
# e2fsprogs: the image; openssh-client: ssh-keyscan; util-linux: flock.
VM_HOST_PACKAGES=(qemu-system-x86 mmdebstrap e2fsprogs openssh-client util-linux)

# The image's cache key: the hash of the recipe, so the image is rebuilt exactly when lab/qemu/image/ changes.
vm_recipe_hash() {
  (cd "$VM_RECIPE" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12
}

# The Debian suites this machine's apt uses for the image's suite, as sources.list lines
# (read from apt's own configuration, so no mirror is named here).
vm_debian_sources() {
  # shellcheck disable=SC2016  # $(...) is apt's own field syntax
  apt-get indextargets --no-release-info --format '$(SITE) $(RELEASE) $(COMPONENT)' 'Identifier: Packages' |
    awk -v suite="$LAB_SUITE" '$2 == suite || index($2, suite "-") == 1 { print "deb " $0 }' | sort -u
}
