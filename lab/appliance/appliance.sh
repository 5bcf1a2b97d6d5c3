#!/usr/bin/env bash
# The lab's S3 File Gateway appliance: start | stop | status.
# start builds hybridlab/fgw:<hash> (lab host image + nfs-ganesha + the appliance services in
# lab/appliance/image) and runs the container hybridlab-fgw at 10.254.0.201 on the lab network:
# HTTP :80 hands out activation keys, NFS serves the emulator's file shares, files written into a
# share are written back to its S3 bucket. The cache (/export) lives in the volume hybridlab-fgw-cache.
# It calls the emulator over HTTPS, as a gateway calls AWS (a bucket policy may deny requests without TLS), trusting
# the lab's certificate authority (lab/emulator.sh tls) only.
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "$0")/../onprem/common.sh"

FGW_NAME=hybridlab-fgw
FGW_ADDRESS=10.254.0.201
FGW_IMAGE_REPO=hybridlab/fgw
FGW_VOLUME=hybridlab-fgw-cache
EMULATOR_URL=https://$LAB_GATEWAY:${LAB_EMULATOR_TLS_PORT:-4567}
recipe=$LAB_ROOT/appliance/image
env_file=$LAB_STATE/appliance/fgw.env

# The image tag follows the base image, the recipe and the shared AWS client.
fgw_image() {
  local base base_id tag image context output
  base=$(bash "$LAB_ROOT/onprem/build-image.sh")
  base_id=$(docker image inspect -f '{{.Id}}' "$base")
  tag=$( (echo "$base_id" && sha256sum "$LAB_ROOT/agents/common/lab_aws.py" &&
    cd "$recipe" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12)
  image=$FGW_IMAGE_REPO:$tag
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    lab_log "building $image"
    context=$(mktemp -d "$LAB_STATE/fgw-build.XXXXXX")
    cp -R "$recipe/." "$context/"
    cp "$LAB_ROOT/agents/common/lab_aws.py" "$context/rootfs/usr/lib/hybridlab-fgw/lab_aws.py"
    output=$(DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$base" --label "$LAB_LABEL" -t "$image" "$context" 2>&1) ||
      { rm -rf "$context"; lab_die "building $image failed: $output"; }
    rm -rf "$context"
  fi
  echo "$image"
}

write_env_file() {
  install -d -m 700 "$(dirname "$env_file")"
  cat >"$env_file" <<ENV
LAB_FGW_ENDPOINT=$EMULATOR_URL
LAB_FGW_ADDRESS=$FGW_ADDRESS
SSL_CERT_FILE=/etc/hybridlab-fgw/ca.pem
AWS_ACCESS_KEY_ID=${LAB_FGW_ACCESS_KEY_ID:-testing}
AWS_SECRET_ACCESS_KEY=${LAB_FGW_SECRET_ACCESS_KEY:-testing}
ENV
}

# Removes the images of older recipes that no container uses any more.
prune_old_images() {
  local keep=$1 old
  docker image ls --format '{{.Repository}}:{{.Tag}}' "$FGW_IMAGE_REPO" | grep -vx "$keep" |
    while read -r old; do docker image rm "$old" >/dev/null 2>&1 || true; done || true
}

running_image() { docker inspect -f '{{if .State.Running}}{{.Config.Image}}{{end}}' "$FGW_NAME" 2>/dev/null; }

wait_until_serving() {
  local deadline=$((SECONDS + 60))
  until curl -fs -o /dev/null "http://$FGW_ADDRESS/_lab/status"; do
    ((SECONDS < deadline)) || lab_die "the appliance does not answer on http://$FGW_ADDRESS/ (docker exec $FGW_NAME journalctl -b)"
    sleep 0.5
  done
}

start() {
  lab_require_docker
  lab_ensure_packages curl
  lab_ensure_network
  local image
  image=$(fgw_image)
  local settings_before
  settings_before=$(cat "$env_file" 2>/dev/null || true)
  write_env_file
  # The services read their settings when they start: new settings (the emulator's address) start a new container.
  if [ "$(running_image)" != "$image" ] || [ "$settings_before" != "$(cat "$env_file")" ]; then
    stop
    docker volume inspect "$FGW_VOLUME" >/dev/null 2>&1 || docker volume create --label "$LAB_LABEL" "$FGW_VOLUME" >/dev/null
    lab_log "starting $FGW_NAME at $FGW_ADDRESS (activation http://$FGW_ADDRESS/, NFS)"
    # systemd as PID 1 needs SYS_ADMIN, a private cgroup namespace and tmpfs /run; ganesha's VFS
    # backend needs DAC_READ_SEARCH (open_by_handle_at) and a volume (overlayfs has no file handles).
    docker run -d --name "$FGW_NAME" --hostname fgw --label "$LAB_LABEL" \
      --network "$LAB_NETWORK" --ip "$FGW_ADDRESS" \
      --cgroupns=private --cap-add SYS_ADMIN --cap-add DAC_READ_SEARCH \
      --tmpfs /run --tmpfs /run/lock \
      -v "$FGW_VOLUME:/export" -v "$env_file:/etc/hybridlab-fgw/fgw.env:ro" \
      -v "$LAB_STATE/tls/ca.pem:/etc/hybridlab-fgw/ca.pem:ro" \
      "$image" >/dev/null
  fi
  wait_until_serving
  prune_old_images "$image"
}

stop() {
  if [ "$(docker inspect -f '{{index .Config.Labels "hybridlab"}}' "$FGW_NAME" 2>/dev/null)" = 1 ]; then
    docker rm -f "$FGW_NAME" >/dev/null
  fi
}

status() {
  if [ -n "$(running_image)" ] && curl -fsS -o /dev/null "http://$FGW_ADDRESS/_lab/status"; then
    echo "appliance: serving $FGW_ADDRESS ($(running_image))"
  else
    echo "appliance: not running"
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
