#!/usr/bin/env bash
# Builds the internal package mirror's content into lab/.cache/mirror/www (served by mirror.sh):
#   /apt/                  signed apt repository (dists/stable: Release, InRelease, Release.gpg; pool/)
#   /amazon-ssm-agent/{latest,VERSION}/debian_{amd64,arm64}/amazon-ssm-agent.deb + .sig (binary signature)
#   /ecs/amazon-ecs-init-{latest,VERSION}.{amd64,arm64}.deb + .asc (armored signature)
#   /SHA256SUMS (+ .sig)   SHA-256 of every plain file above, relative to /
#   /keys/lab.asc          the public key of the lab signing key
#   /corrupt/              the same layout, deliberately broken (see lab/mirror/README.md)
# Rebuilt only when the packages, these scripts or the key change.
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "$0")/../onprem/common.sh"
# shellcheck source=lab/mirror/signing-key.sh
source "$LAB_ROOT/mirror/signing-key.sh"

mirror_dir=$LAB_CACHE/mirror
www=$mirror_dir/www
suite=stable

# Flips one byte near the end of FILE: same size, different SHA-256, signature no longer valid.
corrupt_file() {
  local file=$1 offset byte
  offset=$(($(stat -c %s "$file") - 64))
  byte=$(od -An -tu1 -j "$offset" -N1 "$file" | tr -d ' ')
  printf '%b' "$(printf '\\0%o' $(((byte + 1) % 256)))" | dd of="$file" bs=1 seek="$offset" conv=notrunc status=none
}

build_apt_repo() {
  local root=$1 deb name
  shift
  for deb in "$@"; do
    name=$(dpkg-deb -f "$deb" Package)
    install -D -m 644 "$deb" "$root/pool/main/${name:0:1}/$name/$(basename "$deb")"
  done
  local arch dists=$root/dists/$suite
  for arch in amd64 arm64; do
    mkdir -p "$dists/main/binary-$arch"
    (cd "$root" && apt-ftparchive packages pool/main) >"$dists/main/binary-$arch/Packages"
    gzip -9n <"$dists/main/binary-$arch/Packages" >"$dists/main/binary-$arch/Packages.gz"
  done
  apt-ftparchive release \
    -o APT::FTPArchive::Release::Origin=hybridlab \
    -o APT::FTPArchive::Release::Label="hybridlab lab mirror (LAB ONLY)" \
    -o APT::FTPArchive::Release::Suite=$suite \
    -o APT::FTPArchive::Release::Codename=hybridlab \
    -o APT::FTPArchive::Release::Architectures="amd64 arm64" \
    -o APT::FTPArchive::Release::Components=main \
    -o APT::FTPArchive::Release::Description="LAB STAND-IN packages of the hybridcloud.aws lab" \
    "$dists" >"$root/Release.tmp"
  mv "$root/Release.tmp" "$dists/Release"
  mirror_gpg --local-user "$fingerprint" --armor --detach-sign -o "$dists/Release.gpg" "$dists/Release"
  mirror_gpg --local-user "$fingerprint" --clearsign -o "$dists/InRelease" "$dists/Release"
}

# Places the packages the way AWS publishes them, each with its detached signature.
build_plain_files() {
  local root=$1 ssm=$2 ecs=$3 ssm_version ecs_version arch dir
  ssm_version=$(dpkg-deb -f "$ssm" Version)
  ecs_version=$(dpkg-deb -f "$ecs" Version)
  for arch in amd64 arm64; do
    for dir in latest "${ssm_version%%+*}"; do
      install -D -m 644 "$ssm" "$root/amazon-ssm-agent/$dir/debian_$arch/amazon-ssm-agent.deb"
      mirror_gpg --local-user "$fingerprint" --detach-sign -o "$root/amazon-ssm-agent/$dir/debian_$arch/amazon-ssm-agent.deb.sig" "$ssm"
    done
    for dir in latest "${ecs_version%%+*}"; do
      install -D -m 644 "$ecs" "$root/ecs/amazon-ecs-init-$dir.$arch.deb"
      mirror_gpg --local-user "$fingerprint" --armor --detach-sign -o "$root/ecs/amazon-ecs-init-$dir.$arch.deb.asc" "$ecs"
    done
  done
  echo "${ssm_version%%+*}" >"$root/amazon-ssm-agent/latest/VERSION"
  (cd "$root" && find amazon-ssm-agent ecs -name '*.deb' | LC_ALL=C sort | xargs sha256sum) >"$root/SHA256SUMS"
  mirror_gpg --local-user "$fingerprint" --armor --detach-sign -o "$root/SHA256SUMS.sig" "$root/SHA256SUMS"
}

# /corrupt/apt: Release and InRelease altered after signing (bad signature, apt-get update fails).
# /corrupt/apt-hash: valid signatures, packages altered (wrong SHA-256, apt-get install fails).
# /corrupt/<plain files>: altered packages with the good .sig/.asc and the good SHA256SUMS.
build_corrupt_copy() {
  local root=$1 corrupt=$1/corrupt file
  mkdir -p "$corrupt"
  cp -R "$root/apt" "$corrupt/apt"
  sed -i 's/^Label: .*/Label: hybridlab lab mirror (TAMPERED)/' "$corrupt/apt/dists/$suite/Release" "$corrupt/apt/dists/$suite/InRelease"
  cp -R "$root/apt" "$corrupt/apt-hash"
  cp -R "$root/amazon-ssm-agent" "$root/ecs" "$root/SHA256SUMS" "$root/SHA256SUMS.sig" "$corrupt/"
  while IFS= read -r -d '' file; do corrupt_file "$file"; done < <(find "$corrupt/apt-hash/pool" "$corrupt/amazon-ssm-agent" "$corrupt/ecs" -name '*.deb' -print0)
}

main() {
  local debs ssm ecs stamp
  mapfile -t debs < <(bash "$LAB_ROOT/agents/build.sh")
  ssm=$(printf '%s\n' "${debs[@]}" | grep /amazon-ssm-agent_)
  ecs=$(printf '%s\n' "${debs[@]}" | grep /amazon-ecs-init_)
  exec 9>"$LAB_STATE/mirror-build.lock"
  flock 9
  # gpg starts an agent for the key's home even to list it: stop it however this script ends.
  trap mirror_gpg_done EXIT
  fingerprint=$(mirror_key_fingerprint)
  stamp=$(cat "${debs[@]}" "$LAB_ROOT"/mirror/*.sh <(echo "$fingerprint") | sha256sum | cut -c1-16)
  if [ -f "$www/.stamp" ] && [ "$(cat "$www/.stamp")" = "$stamp" ]; then
    echo "$www"
    return 0
  fi
  lab_log "building the mirror content in $www"
  local next=$mirror_dir/www.next
  rm -rf "$next" && mkdir -p "$next/keys"
  mirror_gpg --armor --export "$fingerprint" >"$next/keys/lab.asc"
  build_apt_repo "$next/apt" "$ssm" "$ecs"
  build_plain_files "$next" "$ssm" "$ecs"
  build_corrupt_copy "$next"
  echo "$stamp" >"$next/.stamp"
  find "$next" -type d -exec chmod 755 {} + && find "$next" -type f -exec chmod 644 {} +
  # Swap directories: the web server resolves paths per request, so it serves the new tree at once.
  rm -rf "$mirror_dir/www.old"
  [ ! -d "$www" ] || mv "$www" "$mirror_dir/www.old"
  mv "$next" "$www"
  rm -rf "$mirror_dir/www.old"
  echo "$www"
}

main
