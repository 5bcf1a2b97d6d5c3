"""Killing an ansible-playbook run the way a cancelled AWX job or a lost controller ends it: SIGKILL for the run, its
workers, their modules and SSH connections, and its async jobs, all at once.

Used by tests/integration/test_faults_killed.py (runs against a private emulator) and tests/lab's kill test (a run
against the lab's hosts). The run marks what it leaves outside its own process tree with one directory (its Ansible
temporary, async and SSH control directories under it): kill_run finds those processes by that path on their command
line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

MARKED_DIRECTORIES = {"ANSIBLE_LOCAL_TMP": "local", "ANSIBLE_REMOTE_TMP": "remote", "ANSIBLE_ASYNC_DIR": "async", "ANSIBLE_SSH_CONTROL_PATH_DIR": "cp"}


def marked_environment(mark: Path) -> dict[str, str]:
    """The environment variables that put a run's temporary files, async jobs and SSH control sockets under mark."""
    return {key: str(mark / name) for key, name in MARKED_DIRECTORIES.items()}


def descendants(pid: int) -> list[int]:
    """The processes below pid (ansible's workers run in sessions of their own: a process group kill misses them)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def marked(mark: str) -> list[int]:
    """The processes whose command line names mark: the async jobs of a run (async_wrapper detaches them into sessions
    of their own, whose parent is no longer the run) and the SSH control masters (ControlPersist detaches them too)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if mark.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found


def kill_run(run: subprocess.Popen) -> None:
    """SIGKILL for ansible-playbook, its workers, their modules and what the run marked, at once."""
    mark = getattr(run, "mark", None)
    pids = [run.pid, *descendants(run.pid)]
    if mark:
        pids += [pid for job in marked(mark) for pid in (job, *descendants(job))]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # ended on its own meanwhile
            os.kill(pid, signal.SIGKILL)
    run.wait()
