#!/usr/bin/env bash
# Builds the lab host image offline, only when it is missing or out of date, and prints its name.
#   hybridlab/onprem-base:<recipe-hash>  mmdebstrap rootfs of lab/onprem/image/ (docker import)
#   hybridlab/onprem:<recipe-hash>       + the lab-only SSH public key (DOCKER_BUILDKIT=0 docker build)
# The final image is also tagged :latest and labelled with the key's fingerprint, so a new key
# (lab/.state wiped) rebuilds only the key layer.
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

recipe=$LAB_ROOT/onprem/image
tag=$(lab_image_tag)
base=$LAB_IMAGE_REPO-base:$tag
image=$LAB_IMAGE_REPO:$tag
scratch=()
trap 'rm -rf "${scratch[@]}"' EXIT

# The Debian suites this machine's apt uses for the image's suite, as sources.list lines
# (read from apt's own configuration, so no mirror is named here).
debian_sources() {
  # shellcheck disable=SC2016  # $(...) is apt's own field syntax
  apt-get indextargets --no-release-info --format '$(SITE) $(RELEASE) $(COMPONENT)' 'Identifier: Packages' |
    awk -v suite="$LAB_SUITE" '$2 == suite || index($2, suite "-") == 1 { print "deb " $0 }' | sort -u
}

build_base() {
  local packages sources=()
  packages=$(grep -v '^#' "$recipe/packages.txt" | paste -sd, -)
  mapfile -t sources < <(debian_sources)
  ((${#sources[@]})) || lab_die "apt has no sources for Debian $LAB_SUITE on this machine"
  lab_log "building $base with mmdebstrap ($packages)"
  # Valid-Until is not checked, like this machine's apt: the Debian mirror it reaches may serve a snapshot.
  local tarball=$LAB_CACHE/onprem-base-$tag.tar
  scratch+=("$tarball")
  # A file, not a pipe: mmdebstrap hangs up its whole process group when its output fails.
  mmdebstrap --mode=root --variant=apt --quiet --include="$packages" \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --customize-hook="sync-in '$recipe/rootfs' /" \
    --customize-hook="sh '$recipe/customize.sh' \"\$1\"" \
    "$LAB_SUITE" "$tarball" "${sources[@]}"
  docker import --change 'CMD ["/lib/systemd/systemd"]' --change 'ENV container=docker' "$tarball" "$base" >/dev/null
}

build_key_layer() {
  local fingerprint=$1 context
  context=$(mktemp -d "$LAB_STATE/image-build.XXXXXX")
  scratch+=("$context")
  cp "$recipe/Dockerfile" "$context/Dockerfile"
  cp "$LAB_SSH_KEY.pub" "$context/authorized_keys"
  lab_log "building $image (SSH key layer)"
  local output
  # Quiet unless it fails: the legacy builder prints a deprecation notice on every run.
  output=$(DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$base" --label "hybridlab.ssh-key=$fingerprint" \
    -t "$image" -t "$LAB_IMAGE_REPO:latest" "$context" 2>&1) || lab_die "docker build failed: $output"
}

# Removes the images of older recipes that no container uses any more.
prune_old_tags() {
  local old
  docker image ls --format '{{.Repository}}:{{.Tag}}' "$LAB_IMAGE_REPO" | grep -vx -e "$image" -e "$LAB_IMAGE_REPO:latest" |
    while read -r old; do docker image rm "$old" >/dev/null 2>&1 || true; done
  docker image ls --format '{{.Repository}}:{{.Tag}}' "$LAB_IMAGE_REPO-base" | grep -vx "$base" |
    while read -r old; do docker image rm "$old" >/dev/null 2>&1 || true; done
}

main() {
  lab_require_docker
  lab_ensure_ssh_key
  local fingerprint
  fingerprint=$(sha256sum <"$LAB_SSH_KEY.pub" | cut -c1-16)
  exec 9>"$LAB_STATE/build-image.lock"
  flock 9
  if [ "$(docker image inspect -f '{{index .Config.Labels "hybridlab.ssh-key"}}' "$image" 2>/dev/null)" != "$fingerprint" ]; then
    docker image inspect "$base" >/dev/null 2>&1 || build_base
    build_key_layer "$fingerprint"
    prune_old_tags
  fi
  docker tag "$image" "$LAB_IMAGE_REPO:latest"
  echo "$image"
}

# Sourced (lab/ee/build.sh reuses debian_sources and build_base), it only defines them.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main
fi
