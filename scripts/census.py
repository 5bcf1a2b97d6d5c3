#!/usr/bin/env python3
"""Census of the collection's orchestration (issue 16): how much logic lives in roles/ and playbooks/.

Prints, for roles/ and playbooks/ (templates excluded): tasks (blocks' inner tasks counted, blocks not), set_fact
tasks, Jinja `{%` statements, namespace() loops, Jinja expressions (string values holding `{{` or `{%`) over 300
characters, discover.yml files, and their lines. Files read: the roles' tasks/, handlers/ and vars/ (defaults/ are
settings, not logic) and playbooks/.
Usage: scripts/census.py [repository root] [--json]"""

import json
import sys
from pathlib import Path

import yaml

TASK_LISTS = ("tasks", "pre_tasks", "post_tasks", "handlers")
BLOCK_KEYS = ("block", "rescue", "always")
LONG = 300


def yaml_files(root):
    files = []
    for role in sorted((root / "roles").glob("*")):
        for part in ("tasks", "handlers", "vars"):
            files.extend(sorted((role / part).rglob("*.yml")))
    files.extend(sorted((root / "playbooks").rglob("*.yml")))
    return files


def count_tasks(tasks, counts):
    for task in tasks or []:
        if not isinstance(task, dict):
            continue
        if any(key in task for key in BLOCK_KEYS):
            for key in BLOCK_KEYS:
                count_tasks(task.get(key), counts)
            continue
        counts["tasks"] += 1
        if "ansible.builtin.set_fact" in task or "set_fact" in task:
            counts["set_fact"] += 1


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def census(root):
    root = Path(root)
    counts = dict.fromkeys(("tasks", "set_fact", "jinja_statements", "namespace_loops", "long_expressions", "discover_files", "lines"), 0)
    for path in yaml_files(root):
        text = path.read_text(encoding="utf-8")
        counts["lines"] += len(text.splitlines())
        counts["jinja_statements"] += text.count("{%")
        counts["namespace_loops"] += text.count("namespace(")
        if path.name == "discover.yml":
            counts["discover_files"] += 1
        data = yaml.safe_load(text)
        is_task_file = path.parent.name in ("tasks", "handlers") or any(part == "tasks" for part in path.relative_to(root).parts[:3])
        if is_task_file and isinstance(data, list):
            count_tasks(data, counts)
        elif "playbooks" in path.relative_to(root).parts[:1] and isinstance(data, list):
            for play in data:
                if isinstance(play, dict):
                    for key in TASK_LISTS:
                        count_tasks(play.get(key), counts)
        counts["long_expressions"] += sum(1 for text_value in strings(data) if ("{{" in text_value or "{%" in text_value) and len(text_value) > LONG)
    return counts


def main(argv):
    args = [arg for arg in argv if not arg.startswith("--")]
    counts = census(args[0] if args else Path(__file__).resolve().parents[1])
    if "--json" in argv:
        print(json.dumps(counts))
        return
    labels = {
        "tasks": "tasks",
        "set_fact": "set_fact tasks",
        "jinja_statements": "{% statements",
        "namespace_loops": "namespace() loops",
        "long_expressions": f"expressions over {LONG} characters",
        "discover_files": "discover.yml files",
        "lines": "lines of task and vars files",
    }
    print("census of roles/ and playbooks/")
    for key, label in labels.items():
        print(f"  {label:<36} {counts[key]:>6}")


if __name__ == "__main__":
    main(sys.argv[1:])
