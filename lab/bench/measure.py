"""Run one measured command: clear the emulator's request log, run it with the bench_tasks callback, read the log.

    python lab/bench/measure.py NAME OUT_DIR -- ansible-playbook ...

Writes OUT_DIR/NAME.json: wall seconds, exit code, task counts (callback), AWS calls (request log summary), and
OUT_DIR/NAME.log (the command's output). Exits with the command's exit code.
"""

from __future__ import annotations

import configparser
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lab_api
from requests_summary import summarise

HERE = Path(__file__).resolve().parent


def callback_env(out: Path, name: str) -> dict[str, str]:
    """The environment that adds bench_tasks to whatever callbacks ansible.cfg enables."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(os.environ.get("ANSIBLE_CONFIG", "ansible.cfg"))
    enabled = [item.strip() for item in config.get("defaults", "callbacks_enabled", fallback="").split(",") if item.strip()]
    plugin_paths = [str(HERE / "callback_plugins")] + [p for p in config.get("defaults", "callback_plugins", fallback="").split(":") if p]
    return {
        "ANSIBLE_CALLBACKS_ENABLED": ",".join([*enabled, "bench_tasks"]),
        "ANSIBLE_CALLBACK_PLUGINS": ":".join(plugin_paths),
        "BENCH_TASKS_FILE": str(out / f"{name}.tasks.json"),
    }


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    name, out, command = argv[0], Path(argv[1]), argv[3:]
    out.mkdir(parents=True, exist_ok=True)
    tasks_file = out / f"{name}.tasks.json"
    tasks_file.unlink(missing_ok=True)
    lab_api.clear_requests()
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    started = time.monotonic()
    with open(out / f"{name}.log", "wb") as log:
        code = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **callback_env(out, name)})
    wall = time.monotonic() - started
    record = {
        "name": name,
        "command": command,
        "exit_code": code,
        "wall_seconds": round(wall, 2),
        # The machine is shared: the 1/5/15-minute load averages before and after the run tell a busy run apart.
        "load_before": load_before,
        "load_after": Path("/proc/loadavg").read_text().split()[:3],
        "tasks": json.loads(tasks_file.read_text()) if tasks_file.exists() else None,
        "aws": summarise(lab_api.requests()),
    }
    (out / f"{name}.json").write_text(json.dumps(record, indent=1))
    tasks = record["tasks"] or {}
    print(
        f"bench: {name}: {'ok' if code == 0 else f'FAILED (exit {code})'} in {wall:.1f} s, {tasks.get('results_run', '?')} task results,"
        f" {record['aws']['calls']} AWS calls ({record['aws']['mutating_calls']} mutating)",
        flush=True,
    )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
