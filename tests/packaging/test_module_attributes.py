"""Every module declares the standard attributes as ansible-doc renders them (doc fragments merged), and what they
claim matches the code: check mode as AnsibleModule is told, a diff only where the module returns one, the action
group as meta/runtime.yml lists it. One ansible-doc run for all modules (~1.3 s)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(path.stem for path in (ROOT / "plugins/modules").glob("*.py") if path.stem != "__init__")
RETURNS_DIFF = re.compile(r"""\bdiff=|["']diff["']\s*:""")


@pytest.fixture(scope="module")
def docs() -> dict[str, dict]:
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
    ansible_doc = Path(sys.executable).with_name("ansible-doc")
    answer = subprocess.run(
        [str(ansible_doc), "--json", *(f"hybridcloud.aws.{name}" for name in MODULES)], check=True, capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert "[ERROR]" not in answer.stderr, answer.stderr
    return {name.removeprefix("hybridcloud.aws."): entry["doc"] for name, entry in json.loads(answer.stdout).items()}


def test_every_module_renders(docs: dict[str, dict]) -> None:
    assert sorted(docs) == MODULES


@pytest.mark.parametrize("name", MODULES)
def test_attributes_match_the_code(docs: dict[str, dict], name: str) -> None:
    attributes = docs[name]["attributes"]
    source = (ROOT / "plugins/modules" / f"{name}.py").read_text()
    for attribute in ("check_mode", "diff_mode", "platform"):
        assert attributes[attribute]["description"]
    assert attributes["platform"]["platforms"]

    check_mode = attributes["check_mode"]["support"]
    assert check_mode == ("full" if "supports_check_mode=True" in source else "none")

    diff_mode = attributes["diff_mode"]["support"]
    if name.endswith("_info"):
        assert diff_mode == "N/A"
        assert not RETURNS_DIFF.search(source)
    else:
        assert diff_mode == ("full" if RETURNS_DIFF.search(source) else "none")


def test_action_group_membership_matches_runtime(docs: dict[str, dict]) -> None:
    group = set(yaml.safe_load((ROOT / "meta/runtime.yml").read_text())["action_groups"]["aws"])
    members = {name for name, doc in docs.items() if "hybridcloud.aws.aws" in doc["attributes"].get("action_group", {}).get("membership", [])}
    assert members == group
