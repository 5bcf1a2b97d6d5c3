"""Role README variable tables, generated from each role's meta/argument_specs.yml (the one source).

    python scripts/role_docs.py           rewrite the tables in roles/*/README.md
    python scripts/role_docs.py --check   fail (exit 1) naming every README whose table differs

In each README the section "## Variables" holds the generated table between two marker comments; text outside the
markers (notes, examples) is the author's and stays as it is. A README without markers gets them where the section's
first table was (every hand-written table of that section is replaced), or at the section's end.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
BEGIN = "<!-- BEGIN variables: generated from meta/argument_specs.yml by `make role-docs`; edit the spec, not this table -->"
END = "<!-- END variables -->"
LONG_DEFAULT = 60


def _code(value: str) -> str:
    # A pipe ends a table cell even inside a code span unless escaped (GitHub-flavoured markdown tables).
    return "`" + value.replace("`", "'").replace("|", "\\|") + "`" if value else ""


# Ansible's documentation markup, as markdown: C(code), O(option), V(value), M(module), P(plugin#type), I(italic).
MARKUP = re.compile(r"\b([COVMPRE])\(([^()]*)\)")
ITALIC = re.compile(r"\bI\(([^()]*)\)")


def _cell(text: str) -> str:
    text = MARKUP.sub(lambda match: "`" + match.group(2).split("#")[0] + "`", " ".join(text.split()))
    return ITALIC.sub(r"*\1*", text).replace("|", "\\|")


def render_default(spec: dict[str, Any], role_defaults: dict[str, Any], name: str) -> str:
    """The role's real default: defaults/main.yml, which Ansible applies (a spec's default is documentation only)."""
    if spec.get("required"):
        return "**required**"
    if name in role_defaults:
        value = role_defaults[name]
    elif "default" in spec:
        value = spec["default"]
    else:
        return ""
    if value is None:
        return "`null`"
    if isinstance(value, str):
        return _code(value) if value else '`""`'
    rendered = json.dumps(value, separators=(", ", ": "))
    if len(rendered) > LONG_DEFAULT:
        return "see `defaults/main.yml`"
    return _code(rendered)


def render_description(spec: dict[str, Any]) -> str:
    description = spec.get("description", "")
    if isinstance(description, list):
        description = " ".join(description)
    parts = [_cell(str(description))]
    if spec.get("choices"):
        parts.append("Choices: " + ", ".join(_code(str(choice)) for choice in spec["choices"]) + ".")
    if spec.get("options"):
        parts.append("Keys: " + ", ".join(_code(name) for name in spec["options"]) + ".")
    return " ".join(part for part in parts if part)


def render_type(spec: dict[str, Any]) -> str:
    kind = spec.get("type", "str")
    if kind == "list" and spec.get("elements"):
        kind = f"list of {spec['elements']}"
    return kind


def render_table(argument_specs: dict[str, Any], role_defaults: dict[str, Any] | None = None) -> str:
    """The markdown table of every option of every entry point (main first, others headed by their name)."""
    role_defaults = role_defaults or {}
    specs = argument_specs.get("argument_specs", {})
    blocks = []
    for entry_point in sorted(specs, key=lambda name: (name != "main", name)):
        options = specs[entry_point].get("options") or {}
        rows = ["| variable | type | default | meaning |", "| --- | --- | --- | --- |"]
        for name in sorted(options):
            spec = options[name] or {}
            default = render_default(spec, role_defaults, name)
            rows.append(f"| `{name}` | {render_type(spec)} | {default} | {render_description(spec)} |")
        heading = "" if entry_point == "main" else f"Entry point `{entry_point}` (`tasks_from: {entry_point}`):\n\n"
        blocks.append(heading + "\n".join(rows))
    return "\n\n".join(blocks)


def _section_bounds(lines: list[str]) -> tuple[int, int] | None:
    start = next((i for i, line in enumerate(lines) if line.strip() == "## Variables"), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return start, end


def updated_readme(text: str, table: str) -> str:
    """The README text with its generated table replaced (or put in place the first time)."""
    block = f"{BEGIN}\n{table}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        return head + block + tail
    lines = text.split("\n")
    bounds = _section_bounds(lines)
    if bounds is None:
        return text.rstrip("\n") + "\n\n## Variables\n\n" + block + "\n"
    start, end = bounds
    body = lines[start + 1 : end]
    table_rows = [i for i, line in enumerate(body) if line.startswith("|")]
    if table_rows:
        first = table_rows[0]
        kept = [line for i, line in enumerate(body) if i not in set(table_rows)]
        insert_at = first - sum(1 for i in table_rows if i < first)
        body = kept[:insert_at] + block.split("\n") + kept[insert_at:]
    else:
        body = [*body, *block.split("\n"), ""]
    return "\n".join([*lines[: start + 1], *body, *lines[end:]])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only report READMEs whose table differs")
    args = parser.parse_args()
    stale = []
    for spec_path in sorted(ROOT.glob("roles/*/meta/argument_specs.yml")):
        readme = spec_path.parents[1] / "README.md"
        text = readme.read_text() if readme.exists() else f"# hybridcloud.aws.{spec_path.parents[1].name}\n"
        defaults_path = spec_path.parents[1] / "defaults" / "main.yml"
        role_defaults = (yaml.safe_load(defaults_path.read_text()) or {}) if defaults_path.exists() else {}
        new = updated_readme(text, render_table(yaml.safe_load(spec_path.read_text()), role_defaults))
        if new != text:
            stale.append(str(readme.relative_to(ROOT)))
            if not args.check:
                readme.write_text(new)
    if args.check and stale:
        print("role README variable tables differ from meta/argument_specs.yml (run `make role-docs`):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
