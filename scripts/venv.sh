#!/usr/bin/env bash
# Creates .venv with the pinned toolchain (once per change of the requirement files), links this
# checkout as the collection hybridcloud.aws, and prepares ansible-test's offline pip bootstrap.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=$root/.venv
stamp=$venv/.requirements.sha256

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    for pyenv_version in "" 3.12.1 3.13.0; do
      if PYENV_VERSION=$pyenv_version "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
        echo "$candidate $pyenv_version"
        return 0
      fi
    done
  done
  return 1
}

want=$(cat requirements.txt requirements-dev.txt requirements-lock.txt | sha256sum | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  read -r python pyenv_version < <(find_python) || { echo "venv: Python >= 3.12 is required (ansible-core 2.21)" >&2; exit 1; }
  echo "venv: creating .venv with $python ${pyenv_version:+(pyenv $pyenv_version)}"
  rm -rf "$venv"
  PYENV_VERSION=$pyenv_version "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r requirements-dev.txt -c requirements-lock.txt 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  echo "$want" > "$stamp"
fi

# hybridcloud.aws resolves to this checkout (ansible.cfg: collections_path = ./.collections).
mkdir -p .collections/ansible_collections/hybridcloud
ln -sfn ../../.. .collections/ansible_collections/hybridcloud/aws

# ansible-test bootstraps pip in each of its venvs with a script it downloads from a host this
# machine cannot reach; this stand-in does the same from the Python on the machine.
pip_version=$("$venv/bin/python" -c '
import types
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(types.SimpleNamespace(version="3.12"))["pip"])')
cache=$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py
mkdir -p "$(dirname "$cache")"
cmp -s scripts/get_pip_offline.py "$cache" || cp scripts/get_pip_offline.py "$cache"

# Graphviz's dot draws the diagram of playbooks/report.yml, which `make lab` ends with and tests/lab checks: Debian's
# graphviz, installed with the lab's other Debian packages when missing (a warning where apt cannot install it).
if ! command -v dot >/dev/null 2>&1; then
  # shellcheck source=lab/onprem/common.sh
  (source lab/onprem/common.sh && lab_ensure_packages graphviz) || echo "venv: Graphviz (dot) is missing: playbooks/report.yml draws no diagram" >&2
fi

# Debian's PostgreSQL server and client: the emulator serves its PostgreSQL DB instances with real servers when asked
# (lab/awsemu/extensions/rds_servers.py; tests/emulator/test_rds_servers.py reads their data with psql).
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || ! command -v psql >/dev/null 2>&1; then
  # shellcheck source=lab/onprem/common.sh
  (source lab/onprem/common.sh && lab_ensure_packages postgresql postgresql-client) || echo "venv: PostgreSQL is missing: the emulator's RDS servers cannot start" >&2
fi
