"""The test-only code cache (tests/support/module_code_cache/sitecustomize.py) that the processes of a test session
import: code compiled from a zip is compiled once, botocore's JSON models are parsed once, and a damaged entry is
never used. Each run is a new Python process, as each Ansible module run is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

SITE = Path(__file__).resolve().parents[1] / "support/module_code_cache"

MODULE = """
def value():
    return sum(range(10)) * 2


def fail():
    raise RuntimeError("from the zip")
"""

# Counts the compiles zipimport does: its _compile_source calls the `compile` its module globals resolve.
IMPORT_FROM_ZIP = """
import builtins, json, sys, traceback, zipimport
compiled = []
def counting_compile(source, filename, *args, **kwargs):
    compiled.append(filename)
    return builtins.compile(source, filename, *args, **kwargs)
zipimport.compile = counting_compile
sys.path.insert(0, sys.argv[1])
import zipped.mod
try:
    zipped.mod.fail()
except RuntimeError as error:
    failed_in = traceback.extract_tb(error.__traceback__)[-1].filename
print(json.dumps({"compiled": compiled, "value": zipped.mod.value(), "failed_in": failed_in,
                  "code_filename": zipped.mod.value.__code__.co_filename, "module_file": zipped.mod.__file__}))
"""

# Counts the JSON documents botocore parses while it loads one service model.
LOAD_BOTOCORE_MODEL = """
import hashlib, json
parsed = []
real_loads = json.loads
def counting_loads(text, *args, **kwargs):
    parsed.append(len(text))
    return real_loads(text, *args, **kwargs)
json.loads = counting_loads
from botocore.loaders import Loader
model = Loader().load_service_model("sts", "service-2")
json.loads = real_loads
print(json.dumps({"parsed": len(parsed), "model": hashlib.sha256(json.dumps(model).encode()).hexdigest(),
                  "operations": list(model["operations"])[:5]}))
"""


# Parses a YAML document the size of ansible-core's plugin routing with the loader ansible uses for it, counting parses.
LOAD_YAML = """
import json, sys, yaml
parsed = []
real_get_single_data = yaml.CSafeLoader.get_single_data
def counting_get_single_data(self):
    parsed.append(1)
    return real_get_single_data(self)
yaml.CSafeLoader.get_single_data = counting_get_single_data
text = "\\n".join(f"plugin_{number}:\\n  redirect: ns.coll.plugin_{number}\\n  flags: [a, {number}]\\n  enabled: yes" for number in range(2000))
with open(sys.argv[1], "w") as document:
    document.write(text)
with open(sys.argv[1]) as document:
    from_file = yaml.load(document, Loader=yaml.CSafeLoader)
from_text = yaml.load(text, yaml.CSafeLoader)
small = yaml.load("a: [1, 2]", Loader=yaml.CSafeLoader)
print(json.dumps({"parsed": len(parsed), "same": from_file == from_text, "document": from_text, "small": small}))
"""


def run(script: str, cache: str, *args: str) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(SITE), HYBRIDCLOUD_TEST_CODE_CACHE=cache)
    completed = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=False)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.fixture
def payload(tmp_path: Path) -> Path:
    """A zip holding a package, as AnsiballZ's payload holds the module and its module_utils."""
    path = tmp_path / "first" / "payload.zip"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("zipped/__init__.py", "")
        archive.writestr("zipped/mod.py", MODULE)
    return path


def another_copy(payload: Path, name: str) -> Path:
    """The same payload in another folder: each module run writes its zip to a new temporary folder."""
    copy = payload.parent.parent / name / payload.name
    copy.parent.mkdir()
    shutil.copy(payload, copy)
    return copy


def test_code_from_a_zip_is_compiled_once(payload: Path, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    first = run(IMPORT_FROM_ZIP, cache, str(payload))
    second_zip = another_copy(payload, "second")
    second = run(IMPORT_FROM_ZIP, cache, str(second_zip))

    assert sorted(first["compiled"]) == [f"{payload}/zipped/__init__.py", f"{payload}/zipped/mod.py"]
    assert second["compiled"] == []
    assert second["value"] == first["value"] == 90
    # Tracebacks and code objects name the zip the process imported from, not the one that filled the cache.
    assert second["failed_in"] == second["code_filename"] == second["module_file"] == f"{second_zip}/zipped/mod.py"


def test_without_the_cache_every_process_compiles(payload: Path) -> None:
    for _run in range(2):
        # Python 3.12's zipimport compiles each file twice per import (find_spec asks get_filename, which compiles).
        assert set(run(IMPORT_FROM_ZIP, "off", str(payload))["compiled"]) == {f"{payload}/zipped/__init__.py", f"{payload}/zipped/mod.py"}


def test_a_damaged_entry_falls_back_to_compiling(payload: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(IMPORT_FROM_ZIP, str(cache), str(payload))
    entries = sorted(path for path in (cache / "code").rglob("*") if path.is_file())
    assert len(entries) == 2
    entries[0].write_bytes(b"not a code object")
    data = bytearray(entries[1].read_bytes())
    data[-1] ^= 0xFF  # a flipped byte in the marshalled code: its checksum no longer matches
    entries[1].write_bytes(bytes(data))

    damaged = run(IMPORT_FROM_ZIP, str(cache), str(payload))
    assert len(damaged["compiled"]) == 2
    assert damaged["value"] == 90
    # The fallback wrote the entries anew.
    assert run(IMPORT_FROM_ZIP, str(cache), str(payload))["compiled"] == []


def test_botocore_models_are_parsed_once_and_read_back_the_same(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    plain = run(LOAD_BOTOCORE_MODEL, "off")
    first = run(LOAD_BOTOCORE_MODEL, cache)
    second = run(LOAD_BOTOCORE_MODEL, cache)

    assert plain["parsed"] >= 1
    assert first["parsed"] == plain["parsed"]
    assert second["parsed"] == 0
    # The same document, keys in the same order.
    assert second["model"] == first["model"] == plain["model"]
    assert second["operations"] == plain["operations"]


def test_large_yaml_documents_are_parsed_once_and_read_back_the_same(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    document = str(tmp_path / "routing.yml")
    plain = run(LOAD_YAML, "off", document)
    first = run(LOAD_YAML, cache, document)
    second = run(LOAD_YAML, cache, document)

    assert plain["parsed"] == 3
    # The file and the same text are one entry; the small document is never cached.
    assert first["parsed"] == 2
    assert second["parsed"] == 1
    assert second["document"] == first["document"] == plain["document"]
    assert second["document"]["plugin_7"] == {"redirect": "ns.coll.plugin_7", "flags": ["a", 7], "enabled": True}
    assert second["same"] and second["small"] == {"a": [1, 2]}


def test_a_sitecustomize_further_on_the_path_still_runs(tmp_path: Path) -> None:
    """Python imports the first sitecustomize only; this one runs the one it hides (a distribution's, a coverage
    setup's)."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "sitecustomize.py").write_text("import builtins\nbuiltins.OTHER_SITECUSTOMIZE_RAN = True\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SITE), str(other)]), HYBRIDCLOUD_TEST_CODE_CACHE=str(tmp_path / "cache"))
    script = "import builtins, sitecustomize; print(getattr(builtins, 'OTHER_SITECUSTOMIZE_RAN', False), sitecustomize.__file__)"
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert completed.stdout.split() == ["True", str(SITE / "sitecustomize.py")]


# Imports a collection's module_utils through ansible's collection loader, as the controller does in each worker.
def counting_compiles_of(file_name: str) -> str:
    """The start of a script that records in `compiled` each compile of a file named FILE_NAME."""
    return f"""
import builtins, json, sys, traceback
compiled = []
real_compile = builtins.compile
def counting_compile(source, filename, *args, **kwargs):
    if isinstance(filename, str) and filename.endswith({file_name!r}):
        compiled.append(filename)
    return real_compile(source, filename, *args, **kwargs)
builtins.compile = counting_compile
"""


IMPORT_FROM_COLLECTION = (
    counting_compiles_of("thing.py")
    + """from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
_AnsibleCollectionFinder(paths=[sys.argv[1]])._install()
from ansible_collections.testns.testcoll.plugins.module_utils import thing
try:
    thing.fail()
except RuntimeError as error:
    failed_in = traceback.extract_tb(error.__traceback__)[-1].filename
print(json.dumps({"compiled": compiled, "value": thing.value(), "failed_in": failed_in, "module_file": thing.__file__}))
"""
)


def test_collection_code_is_compiled_once(tmp_path: Path) -> None:
    """ansible's collection loader never reads a .pyc: each controller worker compiled the collection's filters and
    module_utils again."""
    module_utils = tmp_path / "collections/ansible_collections/testns/testcoll/plugins/module_utils"
    module_utils.mkdir(parents=True)
    (module_utils / "thing.py").write_text(MODULE)
    collections, cache = str(tmp_path / "collections"), str(tmp_path / "cache")

    plain = run(IMPORT_FROM_COLLECTION, "off", collections)
    first = run(IMPORT_FROM_COLLECTION, cache, collections)
    second = run(IMPORT_FROM_COLLECTION, cache, collections)

    assert len(plain["compiled"]) == len(first["compiled"]) == 1
    assert second["compiled"] == []
    assert second["value"] == plain["value"] == 90
    assert second["failed_in"] == second["module_file"] == plain["failed_in"] == str(module_utils / "thing.py")
    (module_utils / "thing.py").write_text(MODULE.replace("* 2", "* 3"))
    changed = run(IMPORT_FROM_COLLECTION, cache, collections)
    assert (len(changed["compiled"]), changed["value"]) == (1, 135)


IMPORT_FROM_SOURCE = (
    counting_compiles_of("plain_source.py")
    + """sys.path.insert(0, sys.argv[1])
import plain_source
print(json.dumps({"compiled": compiled, "value": plain_source.value(), "code_filename": plain_source.value.__code__.co_filename}))
"""
)


def test_source_python_writes_no_pyc_for_is_compiled_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With PYTHONDONTWRITEBYTECODE Python writes no .pyc: ansible's plugin loader compiled every filter plugin of the
    collection again in each controller worker."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    source = tmp_path / "src" / "plain_source.py"
    source.parent.mkdir()
    source.write_text(MODULE)
    cache = str(tmp_path / "cache")

    first = run(IMPORT_FROM_SOURCE, cache, str(source.parent))
    second = run(IMPORT_FROM_SOURCE, cache, str(source.parent))

    assert not (source.parent / "__pycache__").exists()
    assert first["compiled"] == [str(source)]
    assert second["compiled"] == []
    assert second["value"] == 90
    assert second["code_filename"] == str(source)
