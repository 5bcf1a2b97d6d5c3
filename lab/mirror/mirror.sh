#!/usr/bin/env bash
# The lab's internal package mirror: start | stop | status.
# start builds the content (lab/mirror/build-repo.sh), the image hybridlab/mirror:<hash> (lab host
# image + nginx) and runs the container hybridlab-mirror at 10.254.0.200:80 on the lab network.
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "$0")/../onprem/common.sh"

MIRROR_NAME=hybridlab-mirror
MIRROR_ADDRESS=10.254.0.200
MIRROR_IMAGE_REPO=hybridlab/mirror
recipe=$LAB_ROOT/mirror/image

# The image tag follows the base image and the recipe, so either change rebuilds it.
mirror_image() {
  local base base_id tag image
  base=$(bash "$LAB_ROOT/onprem/build-image.sh")
  base_id=$(docker image inspect -f '{{.Id}}' "$base")
  tag=$( (echo "$base_id" && cd "$recipe" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12)
  image=$MIRROR_IMAGE_REPO:$tag
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    lab_log "building $image"
    local output
    output=$(DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$base" --label "$LAB_LABEL" -t "$image" "$recipe" 2>&1) ||
      lab_die "building $image failed: $output"
  fi
  echo "$image"
}

# Removes the images of older recipes that no container uses any more.
prune_old_images() {
  local keep=$1 old
  docker image ls --format '{{.Repository}}:{{.Tag}}' "$MIRROR_IMAGE_REPO" | grep -vx "$keep" |
    while read -r old; do docker image rm "$old" >/dev/null 2>&1 || true; done || true
}

running_image() { docker inspect -f '{{if .State.Running}}{{.Config.Image}}{{end}}' "$MIRROR_NAME" 2>/dev/null; }

wait_until_serving() {
  local deadline=$((SECONDS + 30))
  until curl -fs -o /dev/null "http://$MIRROR_ADDRESS/keys/lab.asc"; do
    ((SECONDS < deadline)) || lab_die "the mirror does not answer on http://$MIRROR_ADDRESS/ (docker logs $MIRROR_NAME)"
    sleep 0.3
  done
}

start() {
  lab_require_docker
  lab_ensure_packages apt-utils gnupg curl
  bash "$LAB_ROOT/mirror/build-repo.sh" >/dev/null
  lab_ensure_network
  local image
  image=$(mirror_image)
  if [ "$(running_image)" != "$image" ]; then
    stop
    lab_log "starting $MIRROR_NAME at http://$MIRROR_ADDRESS/"
    docker run -d --name "$MIRROR_NAME" --hostname mirror --label "$LAB_LABEL" \
      --network "$LAB_NETWORK" --ip "$MIRROR_ADDRESS" \
      -v "$LAB_CACHE/mirror:/srv/mirror:ro" "$image" >/dev/null
  fi
  wait_until_serving
  prune_old_images "$image"
}

stop() {
  if [ "$(docker inspect -f '{{index .Config.Labels "hybridlab"}}' "$MIRROR_NAME" 2>/dev/null)" = 1 ]; then
    docker rm -f "$MIRROR_NAME" >/dev/null
  fi
}

status() {
  if [ -n "$(running_image)" ] && curl -fsS -o /dev/null "http://$MIRROR_ADDRESS/keys/lab.asc"; then
    echo "mirror: serving http://$MIRROR_ADDRESS/ ($(running_image))"
  else
    echo "mirror: not running"
    return 3
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 {start|stop|status}" >&2
    exit 2
    ;;
esac
