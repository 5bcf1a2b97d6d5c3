#!/usr/bin/env bash
# Builds the LAB STAND-IN agent packages (amazon-ssm-agent, amazon-ecs-init) with dpkg-deb into
# lab/.cache/agents/ and prints their paths. The build is reproducible: same sources, same bytes
# (fixed file times, owners, modes and compression; dpkg-deb sorts the members itself).
set -euo pipefail
# shellcheck source=lab/onprem/common.sh
source "$(dirname "$0")/../onprem/common.sh"

agents=$LAB_ROOT/agents
out_dir=$LAB_CACHE/agents
packages=(amazon-ssm-agent amazon-ecs-init)
# 2026-01-01T00:00:00Z: every file time and the ar member times of every build.
export SOURCE_DATE_EPOCH=1767225600

control_field() { sed -n "s/^$2: //p" "$1/DEBIAN/control"; }

# Installed-Size the way dpkg-gencontrol counts it: KiB per file, rounded up, plus one per directory.
installed_size() {
  find "$1" -path "$1/DEBIAN" -prune -o \( -type f -printf '%s\n' -o -type d -printf '1024\n' \) |
    awk '{ total += int(($1 + 1023) / 1024) } END { print total }'
}

build_package() {
  local name=$1 source=$agents/$1 stage version deb
  version=$(control_field "$source" Version)
  deb=$out_dir/${name}_${version}_all.deb
  stage=$work/$name
  mkdir "$stage"
  cp -R "$source/." "$stage/"
  find "$stage" -name __pycache__ -prune -exec rm -rf {} +
  cp "$agents/common/lab_aws.py" "$stage/usr/lib/$name/lab_aws.py"
  # The agents report the upstream version they stand in for (3.3.0.0, not 3.3.0.0+lab1).
  echo "${version%%[-+]*}" >"$stage/usr/lib/$name/VERSION"

  find "$stage" -type d -exec chmod 755 {} +
  find "$stage" -type f -exec chmod 644 {} +
  find "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/libexec" -type f \( -path '*/DEBIAN/p*' -o ! -path '*/DEBIAN/*' \) -exec chmod 755 {} + 2>/dev/null || true
  sed -i "s/@INSTALLED_SIZE@/$(installed_size "$stage")/" "$stage/DEBIAN/control"
  find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

  dpkg-deb --root-owner-group -Zxz -z9 --build "$stage" "$deb.tmp" >/dev/null
  mv -f "$deb.tmp" "$deb"
  echo "$deb"
}

mkdir -p "$out_dir"
work=$(mktemp -d "$LAB_CACHE/agents-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
for package in "${packages[@]}"; do
  build_package "$package"
done
