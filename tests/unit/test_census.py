"""scripts/census.py (make census): the counts on a small tree with every kind of finding."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("census", ROOT / "scripts" / "census.py")
census = importlib.util.module_from_spec(spec)
spec.loader.exec_module(census)

LONG_VALUE = "{{ " + "x" * 300 + " }}"
TASKS = f"""---
- name: One
  ansible.builtin.set_fact:
    a: "{{% set n = namespace(items=[]) %}}{{{{ n.items }}}}"
- name: Block
  block:
    - name: Two
      ansible.builtin.debug:
        msg: "{LONG_VALUE}"
  rescue:
    - name: Three
      set_fact:
        b: 1
"""
PLAYBOOK = """---
- name: Play
  hosts: all
  pre_tasks:
    - name: Four
      ansible.builtin.include_role:
        name: r
        tasks_from: discover.yml
  roles: [r]
"""


def test_counts(tmp_path):
    (tmp_path / "roles" / "r" / "tasks").mkdir(parents=True)
    (tmp_path / "roles" / "r" / "defaults").mkdir(parents=True)
    (tmp_path / "playbooks").mkdir()
    (tmp_path / "roles" / "r" / "tasks" / "main.yml").write_text(TASKS)
    (tmp_path / "roles" / "r" / "tasks" / "discover.yml").write_text("---\n- name: Five\n  ansible.builtin.assert: {that: true}\n")
    (tmp_path / "roles" / "r" / "defaults" / "main.yml").write_text("---\nignored: '{% if x %}{% endif %}'\n")
    (tmp_path / "playbooks" / "layer.yml").write_text(PLAYBOOK)
    counts = census.census(tmp_path)
    lines = len(TASKS.splitlines()) + 3 + len(PLAYBOOK.splitlines())
    assert counts == {
        "tasks": 5,
        "set_fact": 2,
        "jinja_statements": 1,
        "namespace_loops": 1,
        "long_expressions": 1,
        "discover_files": 1,
        "lines": lines,
    }
