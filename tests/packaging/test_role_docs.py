"""Role README variable tables are generated from meta/argument_specs.yml (scripts/role_docs.py, `make role-docs`):
every README holds exactly the table its spec and defaults produce, and the generator keeps the authors' text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import role_docs  # noqa: E402

ROLES = sorted(path.parents[1].name for path in ROOT.glob("roles/*/meta/argument_specs.yml"))


@pytest.mark.parametrize("role", ROLES)
def test_readme_table_matches_the_argument_spec(role: str) -> None:
    role_dir = ROOT / "roles" / role
    spec = yaml.safe_load((role_dir / "meta/argument_specs.yml").read_text())
    defaults_file = role_dir / "defaults/main.yml"
    defaults = (yaml.safe_load(defaults_file.read_text()) or {}) if defaults_file.exists() else {}
    text = (role_dir / "README.md").read_text()
    assert role_docs.BEGIN in text, f"roles/{role}/README.md has no generated variable table: run `make role-docs`"
    assert role_docs.updated_readme(text, role_docs.render_table(spec, defaults)) == text, (
        f"roles/{role}/README.md differs from its meta/argument_specs.yml: run `make role-docs`"
    )
    for name in spec["argument_specs"]["main"].get("options") or {}:
        assert f"| `{name}` |" in text


SPEC = {
    "argument_specs": {
        "main": {
            "options": {
                "demo_state": {"type": "str", "choices": ["present", "absent"], "description": "Whether it exists."},
                "demo_name": {"type": "str", "required": True, "description": ["The name.", "Unique."]},
                "demo_filter": {"type": "str", "description": "A | B"},
                "demo_markup": {"type": "str", "description": "See O(demo_name), C(x=1), P(amazon.aws.aws_ec2#inventory), I(not)."},
            }
        }
    }
}


def test_first_generation_replaces_the_hand_written_table_and_keeps_the_text() -> None:
    readme = "# demo\n\n## Variables\n\nIntro.\n\n| Variable | Default |\n| --- | --- |\n| `demo_state` | `present` |\n\nA note.\n\n## Example\n"
    generated = role_docs.updated_readme(readme, role_docs.render_table(SPEC, {"demo_state": "present", "demo_filter": "{{ a | b }}"}))
    assert "| Variable | Default |" not in generated
    assert "Intro.\n\n" + role_docs.BEGIN in generated
    assert "A note.\n\n## Example\n" in generated
    assert "| `demo_name` | str | **required** | The name. Unique. |" in generated
    assert "| `demo_state` | str | `present` | Whether it exists. Choices: `present`, `absent`. |" in generated
    assert "| `demo_filter` | str | `{{ a \\| b }}` | A \\| B |" in generated
    assert "| `demo_markup` | str |  | See `demo_name`, `x=1`, `amazon.aws.aws_ec2`, *not*. |" in generated


def test_regeneration_changes_only_the_marked_block() -> None:
    readme = role_docs.updated_readme("# demo\n\n## Variables\n\n## Example\n", role_docs.render_table(SPEC))
    changed = {"argument_specs": {"main": {"options": {"demo_new": {"type": "int", "description": "New."}}}}}
    regenerated = role_docs.updated_readme(readme + "More text.\n", role_docs.render_table(changed, {"demo_new": 3}))
    assert "| `demo_new` | int | `3` | New. |" in regenerated
    assert "demo_state" not in regenerated
    assert regenerated.endswith("## Example\nMore text.\n")
