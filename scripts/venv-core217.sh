#!/usr/bin/env bash
# Creates .venv-core217: ansible-core 2.17 (the lowest the collection claims, meta/runtime.yml) with the same boto3,
# botocore and pytest as .venv, pinned in requirements-core217.txt; run after scripts/venv.sh. The collections
# amazon.aws and community.aws are not downloaded again: .venv's pinned `ansible` package bundles the tested versions
# (amazon.aws 11.4.0, community.aws 11.2.0), and a .pth file puts links to them on this venv's import path.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=$root/.venv-core217
stamp=$venv/.requirements.sha256

find_python() {
  local candidate pyenv_version
  for candidate in "$(readlink -f "$root/.venv/bin/python")" python3.12 python3.11 python3.10; do
    for pyenv_version in "" 3.12.1; do
      if PYENV_VERSION=$pyenv_version "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' >/dev/null 2>&1; then
        echo "$candidate $pyenv_version"
        return 0
      fi
    done
  done
  return 1
}

want=$(sha256sum requirements-core217.txt | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # ansible-core 2.17 runs on controller Pythons 3.10 to 3.12: the interpreter of .venv when it is one of those
  # (scripts/venv.sh prefers 3.12), else another one found as scripts/venv.sh finds its own.
  read -r python pyenv_version < <(find_python) || { echo "venv: .venv-core217 needs Python 3.10 to 3.12 (ansible-core 2.17)" >&2; exit 1; }
  echo "venv: creating .venv-core217 with $python ${pyenv_version:+(pyenv $pyenv_version)}"
  rm -rf "$venv"
  PYENV_VERSION=$pyenv_version "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-core217.txt \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  echo "$want" > "$stamp"
fi

bundled=$("$root/.venv/bin/python" -c 'import ansible_collections, os; print([p for p in ansible_collections.__path__ if "site-packages" in p][0])')
mkdir -p "$venv/collections/ansible_collections"
for namespace in amazon community; do
  ln -sfn "$bundled/$namespace" "$venv/collections/ansible_collections/$namespace"
done
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$venv/collections" > "$site/hybridcloud-collections.pth"

# ansible-test 2.17 bootstraps pip in its venvs with its own pinned pip version: the same offline stand-in.
pip_version=$("$venv/bin/python" -c '
import types
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(types.SimpleNamespace(version="3.12"))["pip"])')
cache=$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py
mkdir -p "$(dirname "$cache")"
cmp -s scripts/get_pip_offline.py "$cache" || cp scripts/get_pip_offline.py "$cache"
