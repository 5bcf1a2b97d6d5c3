#!/usr/bin/env bash
# Builds the lab's execution environment image offline and prints its name (`make ee` runs it, then lab/ee/run.sh).
#   hybridlab/ee-base:<recipe-hash>   mmdebstrap bookworm of lab/ee/image/ (build_base of lab/onprem/build-image.sh)
#   hybridlab/ee:<collection-version> ansible-builder v3 build of lab/ee/execution-environment.yml on that base
# Measured and logged on stderr: whether pip inside an image build reaches PyPI, the seconds of each step, the size.
# Needs .build/dist/hybridcloud-aws-<version>.tar.gz (make build) and the lab's Docker daemon (dockerd.sh start).
set -euo pipefail
# shellcheck source=lab/onprem/build-image.sh
source "$(dirname "${BASH_SOURCE[0]}")/../onprem/build-image.sh"

EE_ROOT=$LAB_ROOT/ee
EE_STATE=$LAB_STATE/ee
EE_CACHE=$LAB_CACHE/ee
mkdir -p "$EE_STATE" "$EE_CACHE"
# build_base's inputs (build-image.sh's globals), pointed at this image's recipe.
recipe=$EE_ROOT/image
tag=$( (cd "$recipe" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12)
base=hybridlab/ee-base:$tag
version=$(awk '$1 == "version:" { print $2 }' "$REPO_ROOT/galaxy.yml")
image=hybridlab/ee:$version
tarball=$REPO_ROOT/.build/dist/hybridcloud-aws-$version.tar.gz
venv=$REPO_ROOT/.venv
# The machine's trusted CAs (its egress to PyPI is intercepted by a CA only this bundle holds): mounted read-only
# into the one container that downloads the wheels, never copied into an image.
machine_ca=/etc/ssl/certs/ca-certificates.crt
wheel_server=

ee_log() { lab_log "ee: $*"; }
stop_wheel_server() { [ -z "$wheel_server" ] || lab_end_process "$wheel_server" 5; }
trap 'stop_wheel_server; rm -rf "${scratch[@]}"' EXIT

# The measurements make ee prints (lab/.state/ee/build.txt), "key: value" lines.
measure() { printf '%s: %s\n' "$1" "$2" >>"$EE_STATE/build.txt"; }

ee_base() {
  if docker image inspect "$base" >/dev/null 2>&1; then
    measure base "$base (existed)"
    return 0
  fi
  local started=$SECONDS
  build_base
  ee_log "base image $base built in $((SECONDS - started)) s"
  measure base "$base built in $((SECONDS - started)) s"
}

# Does pip inside an image build reach PyPI? A throwaway build on the base image (default network, the base's
# own CA store, as any `docker build` of an EE runs) downloads one package; logs the outcome and pip's reason.
probe_pip() {
  local context
  context=$(mktemp -d "$EE_STATE/probe.XXXXXX")
  scratch+=("$context")
  cat >"$context/Dockerfile" <<'DOCKERFILE'
ARG BASE
FROM ${BASE}
RUN timeout 90 python3 -m pip download --no-deps --no-cache-dir --dest /tmp/probe --retries 0 six \
      >/tmp/pip.log 2>&1; status=$?; \
    reason=$(grep -o -m1 -e 'CERTIFICATE_VERIFY_FAILED[^(]*' -e 'Name or service not known' -e 'Connection refused' \
      -e 'timed out' /tmp/pip.log); \
    echo "EE-PROBE pip rc=$status ${reason:-}"; \
    timeout 90 apt-get update -qq >/tmp/apt.log 2>&1; echo "EE-PROBE apt rc=$? $(grep -m1 -o 'Err.*' /tmp/apt.log)"
DOCKERFILE
  local started=$SECONDS output
  output=$(DOCKER_BUILDKIT=0 docker build --no-cache --rm --force-rm --build-arg "BASE=$base" "$context" 2>&1) || true
  remove_built_images <<<"$output"
  local pip apt
  pip=$(sed -n 's/^EE-PROBE pip //p' <<<"$output")
  apt=$(sed -n 's/^EE-PROBE apt //p' <<<"$output")
  ee_log "probe ($((SECONDS - started)) s): pip inside a build -> PyPI: ${pip:-no answer}"
  ee_log "probe: apt-get update inside a build -> Debian mirror: ${apt:-no answer}"
  measure "pip inside an image build -> PyPI" "${pip:-no answer}"
  measure "apt-get update inside an image build -> Debian mirror" "${apt:-no answer}"
}

# The legacy builder leaves the images of a multi-stage build's earlier stages untagged: remove the ones this build
# made (their ids are in its output on stdin), never any other image.
remove_built_images() {
  local id
  grep -o -- '---> [0-9a-f]\{12\}$' | cut -c6- | sort -u | while read -r id; do
    [ -n "$(docker image inspect -f '{{if .RepoTags}}tagged{{end}}' "$id" 2>/dev/null)" ] && continue
    docker image rm "$id" >/dev/null 2>&1 || true
  done
}

# Copies of amazon.aws and community.aws from the pinned `ansible` package, and the collection tarball, for the build.
stage_collections() {
  local stage=$1 collections=$venv/lib/python3*/site-packages/ansible_collections
  [ -s "$tarball" ] || lab_die "$tarball is missing (make build)"
  mkdir -p "$stage/collections"
  cp "$tarball" "$stage/collections/hybridcloud-aws.tar.gz"
  local name
  for name in amazon/aws community/aws; do
    # shellcheck disable=SC2086  # the glob picks the venv's Python
    tar -C $collections/$name --exclude=__pycache__ -cf - . | (mkdir -p "$stage/collections/${name/\//.}" && tar -C "$stage/collections/${name/\//.}" -xf -)
  done
}

# Every Python requirement the image build installs, resolved once by pip on the base image's Python into a
# wheelhouse (cached by the list's hash): the definition's ansible-core and ansible-runner, what ansible-builder's
# stages add (bindep, pyyaml, packaging, dumb-init) and what its introspection finds in the three collections.
wheelhouse() {
  local stage=$1 installed requirements
  installed=$stage/installed
  ANSIBLE_COLLECTIONS_PATH=$installed "$venv/bin/ansible-galaxy" collection install --offline --force -p "$installed" \
    "$stage/collections/hybridcloud-aws.tar.gz" "$stage/collections/amazon.aws" "$stage/collections/community.aws" >/dev/null
  "$venv/bin/ansible-builder" introspect --write-pip "$stage/introspected.txt" "$installed" >/dev/null
  requirements=$stage/wheel-requirements.txt
  {
    "$venv/bin/python" - "$EE_ROOT/execution-environment.yml" <<'PYTHON'
import sys
import yaml
dependencies = yaml.safe_load(open(sys.argv[1]))["dependencies"]
print(dependencies["ansible_core"]["package_pip"])
print(dependencies["ansible_runner"]["package_pip"])
PYTHON
    printf '%s\n' bindep pyyaml packaging dumb-init==1.2.5
    sed 's/[[:space:]]*#.*//' "$stage/introspected.txt" | grep -v '^$'
  } | LC_ALL=C sort -u >"$requirements"
  local key
  key=$( (cat "$requirements" && echo "$base") | sha256sum | cut -c1-12)
  wheels=$EE_CACHE/wheels-$key
  if [ ! -f "$wheels/.complete" ]; then
    local started=$SECONDS
    rm -rf "$wheels"
    mkdir -p "$wheels"
    ee_log "resolving $(wc -l <"$requirements") requirements into $wheels (pip on $base, the machine's CA)"
    docker run --rm --network host -v "$machine_ca:/etc/ssl/certs/machine-ca.crt:ro" -v "$requirements:/requirements.txt:ro" \
      -v "$wheels:/wheels" -e PIP_BREAK_SYSTEM_PACKAGES=1 "$base" \
      python3 -m pip wheel --quiet --no-cache-dir --cert /etc/ssl/certs/machine-ca.crt --wheel-dir /wheels -r /requirements.txt
    touch "$wheels/.complete"
    ee_log "wheelhouse: $(find "$wheels" -name '*.whl' | wc -l) wheels, $(du -sh "$wheels" | cut -f1) in $((SECONDS - started)) s"
    measure wheelhouse "$(find "$wheels" -name '*.whl' | wc -l) wheels, $(du -sh "$wheels" | cut -f1), resolved in $((SECONDS - started)) s"
  else
    measure wheelhouse "$(find "$wheels" -name '*.whl' | wc -l) wheels (cached in $wheels)"
  fi
}

# Serves the wheelhouse on 127.0.0.1 for the build (--network host), so no stage needs an index and no layer keeps it.
serve_wheels() {
  local port
  port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (
    lab_close_inherited_fds
    exec "$venv/bin/python" -m http.server --bind 127.0.0.1 --directory "$wheels" "$port"
  ) >"$EE_STATE/wheel-server.log" 2>&1 </dev/null &
  wheel_server=$!
  local deadline=$((SECONDS + 10))
  until curl -sf "http://127.0.0.1:$port/" >/dev/null; do
    ((SECONDS < deadline)) || lab_die "the wheel server did not answer (see $EE_STATE/wheel-server.log)"
    sleep 0.2
  done
  wheel_url=http://127.0.0.1:$port/
}

# The lab's definition installs what the repository's execution-environment.yml installs: the same ansible-core and
# ansible-runner requirements, Python, and amazon.aws / community.aws versions inside its version ranges.
check_definition() {
  "$venv/bin/python" - "$REPO_ROOT/execution-environment.yml" "$EE_ROOT/execution-environment.yml" "$1" <<'PYTHON'
import json
import sys
from pathlib import Path

import yaml
from packaging.specifiers import SpecifierSet

shipped, lab = (yaml.safe_load(Path(path).read_text())["dependencies"] for path in sys.argv[1:3])
problems = [key for key in ("ansible_core", "ansible_runner") if shipped[key] != lab[key]]
problems += ["python_path"] * (shipped["python_interpreter"]["python_path"] != lab["python_interpreter"]["python_path"])
for entry in shipped["galaxy"]["collections"]:
    if entry.get("type") == "file":
        continue
    manifest = Path(sys.argv[3], "collections", entry["name"], "MANIFEST.json")
    version = json.loads(manifest.read_text())["collection_info"]["version"]
    if version not in SpecifierSet(entry["version"].replace(" ", "")):
        problems.append(f"{entry['name']} {version} not in {entry['version']}")
if problems:
    sys.exit(f"lab/ee/execution-environment.yml differs from execution-environment.yml: {problems}")
PYTHON
}

build_ee() {
  local stage context
  stage=$(mktemp -d "$EE_STATE/stage.XXXXXX")
  scratch+=("$stage")
  stage_collections "$stage/stage"
  check_definition "$stage/stage"
  wheelhouse "$stage/stage"
  sed -e "s|@EE_BASE_IMAGE@|$base|" -e "s|@EE_IMAGE@|$image|" "$EE_ROOT/execution-environment.yml" >"$stage/execution-environment.yml"
  context=$stage/context
  "$venv/bin/ansible-builder" create -f "$stage/execution-environment.yml" -c "$context" --output-filename Dockerfile -v 0 >/dev/null
  serve_wheels
  ee_log "building $image (ansible-builder create, then DOCKER_BUILDKIT=0 docker build; log: $EE_STATE/build.log)"
  local started=$SECONDS status=0 previous
  previous=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  DOCKER_BUILDKIT=0 docker build --rm --force-rm --network host \
    --build-arg "PIP_FIND_LINKS=$wheel_url" -t "$image" "$context" >"$EE_STATE/build.log" 2>&1 || status=$?
  remove_built_images <"$EE_STATE/build.log"
  ((status == 0)) || lab_die "docker build failed (rc $status): $(tail -5 "$EE_STATE/build.log")"
  # The image this build replaced under the same tag (untagged now).
  if [ -n "$previous" ] && [ -z "$(docker image inspect -f '{{if .RepoTags}}tagged{{end}}' "$previous" 2>/dev/null)" ]; then
    docker image rm "$previous" >/dev/null 2>&1 || true
  fi
  local size
  size=$(docker image inspect -f '{{.Size}}' "$image")
  ee_log "image $image built in $((SECONDS - started)) s, $((size / 1000000)) MB"
  measure image "$image: docker build $((SECONDS - started)) s, $((size / 1000000)) MB, $(docker run --rm --entrypoint '' "$image" \
    python3 -c 'import ansible, platform; print(f"ansible-core {ansible.__version__}, Python {platform.python_version()}")')"
}

main_ee() {
  lab_require_docker
  exec 8>"$EE_STATE/build.lock"
  flock 8
  : >"$EE_STATE/build.txt"
  ee_base
  probe_pip
  build_ee
  echo "$image"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main_ee
fi
