#!/usr/bin/env bash
# ansible-test sanity on exactly what ships: the collection is built (build_ignore applies),
# installed into a folder outside this git work tree (inside it, ansible-test would list files with
# git and see none, as .build is ignored), and tested there next to the amazon.aws and community.aws it uses.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/hybridcloud-aws-sanity.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Built into the private folder: two runs at a time (ansible-core 2.21 and 2.17) must not share a tarball.
ansible-galaxy collection build --force --output-path "$work/dist" >/dev/null
ansible-galaxy collection install --no-deps --force -p "$work" "$work"/dist/hybridcloud-aws-*.tar.gz >/dev/null

bundled=$(python -c 'import ansible_collections.amazon.aws as m, os; print(os.path.dirname(os.path.dirname(os.path.dirname(m.__file__))))' 2>/dev/null \
  || python -c 'import ansible_collections, os; print(list(ansible_collections.__path__)[-1])')
for dep in amazon community; do
  ln -sfn "$bundled/$dep" "$work/ansible_collections/$dep"
done

python_version=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
cd "$work/ansible_collections/hybridcloud/aws"
ansible-test sanity --venv --python "$python_version" --color no "$@"
