#!/usr/bin/env bash
# The lab's container registry and its application images: start | stop | status | images.
# start  builds the image hybridlab/registry:<hash> (lab host image + Debian's docker-registry), runs the container
#        hybridlab-registry at 10.254.0.202:5000 on the lab network (plain HTTP, images in the volume
#        hybridlab-registry) and pushes the application images (images).
# images builds the application images offline and pushes them when the registry lacks them:
#        hybridcloud-lab/onprem-web:1.0.0  busybox httpd on port 8080 (Debian's busybox-static, nothing else):
#        / answers lab/registry/app/index.html, /cgi-bin/whoami the container's host name and $APP_MESSAGE.
# The lab's Docker daemon pushes through 127.0.0.1:5202 (a loopback registry needs no TLS there); the on-prem hosts
# pull from 10.254.0.202:5000, which the lab inventory lists in docker_engine_insecure_registries.
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "$0")/../onprem/common.sh"

REGISTRY_NAME=hybridlab-registry
REGISTRY_ADDRESS=10.254.0.202
REGISTRY_PORT=5000
REGISTRY_PUSH_PORT=${LAB_REGISTRY_PUSH_PORT:-5202}
REGISTRY_IMAGE_REPO=hybridlab/registry
recipe=$LAB_ROOT/registry/image
app=$LAB_ROOT/registry/app
APP_IMAGES=(hybridcloud-lab/onprem-web:1.0.0)

registry_image() {
  local base base_id tag image
  base=$(bash "$LAB_ROOT/onprem/build-image.sh")
  base_id=$(docker image inspect -f '{{.Id}}' "$base")
  tag=$( (echo "$base_id" && cd "$recipe" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12)
  image=$REGISTRY_IMAGE_REPO:$tag
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    lab_log "building $image"
    local output
    output=$(DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$base" --label "$LAB_LABEL" -t "$image" "$recipe" 2>&1) ||
      lab_die "building $image failed: $output"
  fi
  echo "$image"
}

running_image() { docker inspect -f '{{if .State.Running}}{{.Config.Image}}{{end}}' "$REGISTRY_NAME" 2>/dev/null; }

serving() { curl -fs -o /dev/null "http://$REGISTRY_ADDRESS:$REGISTRY_PORT/v2/"; }

wait_until_serving() {
  local deadline=$((SECONDS + 30))
  until serving; do
    ((SECONDS < deadline)) || lab_die "the registry does not answer on http://$REGISTRY_ADDRESS:$REGISTRY_PORT/v2/ (docker logs $REGISTRY_NAME)"
    sleep 0.3
  done
}

# The root filesystem of onprem-web as a tar on stdout: busybox from Debian's busybox-static, the page, the CGI.
onprem_web_rootfs() {
  local work=$1 deb
  deb=$(find "$LAB_CACHE/registry" -maxdepth 1 -name 'busybox-static_*.deb' | sort | tail -n1)
  if [ -z "$deb" ]; then
    (cd "$LAB_CACHE/registry" && apt-get download -q busybox-static >/dev/null 2>&1) || lab_die "apt-get download busybox-static failed"
    deb=$(find "$LAB_CACHE/registry" -maxdepth 1 -name 'busybox-static_*.deb' | sort | tail -n1)
  fi
  dpkg-deb -x "$deb" "$work/pkg"
  mkdir -p "$work/root/bin" "$work/root/www/cgi-bin" "$work/root/etc" "$work/root/tmp"
  install -m 755 "$work/pkg/bin/busybox" "$work/root/bin/busybox"
  local tool
  for tool in sh hostname printf httpd; do ln -s busybox "$work/root/bin/$tool"; done
  install -m 644 "$app/index.html" "$work/root/www/index.html"
  install -m 755 "$app/whoami" "$work/root/www/cgi-bin/whoami"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$work/root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$work/root/etc/group"
  chmod 1777 "$work/root/tmp"
  tar --sort=name --mtime=@1767225600 --owner=0 --group=0 --numeric-owner -C "$work/root" -cf - .
}

images() {
  lab_require_docker
  mkdir -p "$LAB_CACHE/registry"
  local name work local_tag pushed
  for name in "${APP_IMAGES[@]}"; do
    local_tag=127.0.0.1:$REGISTRY_PUSH_PORT/$name
    if curl -fs -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
      "http://$REGISTRY_ADDRESS:$REGISTRY_PORT/v2/${name%%:*}/manifests/${name##*:}" &&
      docker image inspect "$local_tag" >/dev/null 2>&1; then
      continue
    fi
    work=$(mktemp -d "$LAB_CACHE/registry/build.XXXXXX")
    onprem_web_rootfs "$work" |
      docker import --change 'CMD ["/bin/busybox", "httpd", "-f", "-v", "-p", "8080", "-h", "/www"]' \
        --change 'EXPOSE 8080/tcp' --change 'USER nobody' --change "LABEL $LAB_LABEL" - "$local_tag" >/dev/null
    rm -rf "$work"
    pushed=$(docker push "$local_tag" 2>&1) || lab_die "docker push $local_tag failed: $pushed"
    lab_log "pushed $REGISTRY_ADDRESS:$REGISTRY_PORT/$name ($(docker image inspect -f '{{.Size}}' "$local_tag") bytes)"
  done
}

start() {
  lab_require_docker
  lab_ensure_packages curl
  lab_ensure_network
  local image
  image=$(registry_image)
  if [ "$(running_image)" != "$image" ]; then
    stop
    docker volume create --label "$LAB_LABEL" "$REGISTRY_NAME" >/dev/null
    lab_log "starting $REGISTRY_NAME at http://$REGISTRY_ADDRESS:$REGISTRY_PORT/"
    docker run -d --name "$REGISTRY_NAME" --hostname registry --label "$LAB_LABEL" \
      --network "$LAB_NETWORK" --ip "$REGISTRY_ADDRESS" -p "127.0.0.1:$REGISTRY_PUSH_PORT:$REGISTRY_PORT" \
      -v "$REGISTRY_NAME:/var/lib/docker-registry" "$image" >/dev/null
  fi
  wait_until_serving
  images
}

stop() {
  if [ "$(docker inspect -f '{{index .Config.Labels "hybridlab"}}' "$REGISTRY_NAME" 2>/dev/null)" = 1 ]; then
    docker rm -f "$REGISTRY_NAME" >/dev/null
  fi
}

status() {
  if [ -n "$(running_image)" ] && serving; then
    echo "registry: serving http://$REGISTRY_ADDRESS:$REGISTRY_PORT/ ($(curl -fs "http://$REGISTRY_ADDRESS:$REGISTRY_PORT/v2/_catalog"))"
  else
    echo "registry: not running"
    return 3
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  images) images ;;
  *)
    echo "usage: $0 {start|stop|status|images}" >&2
    exit 2
    ;;
esac
