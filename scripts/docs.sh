#!/usr/bin/env bash
# The collection's documentation, from exactly what ships: the collection is built (build_ignore applies) and
# installed into a folder outside this git work tree, next to copies of the amazon.aws and community.aws it
# documents references to (antsibull-docs copies collections through git when they sit in a work tree, which
# would drop the git-ignored venv's collections).
#   scripts/docs.sh lint    antsibull-docs lint-collection-docs: plugin and role docs render, markup and
#                           references are valid, docs/docsite/links.yml and extra docs are well formed
#   scripts/docs.sh build   the static HTML site in .build/docs/html (antsibull-docs sphinx-init + Sphinx)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:?usage: scripts/docs.sh lint|build}
venv=$root/.venv-docs
stamp=$venv/.requirements.sha256

want=$(sha256sum docs/requirements.txt | cut -d' ' -f1)
if [ ! -x "$venv/bin/antsibull-docs" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "docs: creating .venv-docs"
  rm -rf "$venv"
  "$root/.venv/bin/python" -c 'import sys, venv; venv.create(sys.argv[1], with_pip=True)' "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r docs/requirements.txt \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  echo "$want" > "$stamp"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hybridcloud-aws-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$root/.venv/bin/ansible-galaxy" collection build --force --output-path "$work/dist" >/dev/null
"$root/.venv/bin/ansible-galaxy" collection install --no-deps --force -p "$work/ansible_collections" "$work"/dist/hybridcloud-aws-*.tar.gz >/dev/null
# The pinned `ansible` package installs its collections next to ansible-core in site-packages.
bundled=$("$root/.venv/bin/python" -c 'import ansible, os; print(os.path.join(os.path.dirname(os.path.dirname(ansible.__file__)), "ansible_collections"))')
for dep in amazon/aws community/aws; do
  mkdir -p "$work/ansible_collections/${dep%/*}"
  cp -r "$bundled/$dep" "$work/ansible_collections/$dep"
done
export ANSIBLE_COLLECTIONS_PATH=$work PATH=$venv/bin:$PATH
unset ANSIBLE_CONFIG

case $mode in
  lint)
    cd "$work/ansible_collections/hybridcloud/aws"
    antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs dependent \
      --disallow-unknown-collection-refs .
    echo "docs: lint passed"
    ;;
  build)
    rm -rf "$root/.build/docs"
    mkdir -p "$root/.build/docs"
    mkdir -m 700 "$work/site"  # antsibull-docs wants a folder only its owner can write
    antsibull-docs sphinx-init --use-current --squash-hierarchy --lenient --dest-dir "$work/site" hybridcloud.aws >/dev/null
    (cd "$work/site" && bash build.sh >"$work/build.log" 2>&1) \
      || { tail -40 "$work/build.log" >&2; exit 1; }
    cp -r "$work/site/build/html" "$root/.build/docs/html"
    echo "docs: site built in .build/docs/html/index.html"
    ;;
  *) echo "usage: scripts/docs.sh lint|build" >&2; exit 2 ;;
esac
