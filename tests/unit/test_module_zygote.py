"""The test sessions' module zygote (tests/support/module_code_cache/module_zygote.py, handed work by sitecustomize.py):
a collection module's AnsiballZ wrapper, read from standard input or run as a file, runs in a fork of the zygote with
the requester's environment, directory, arguments, descriptors and exit status; anything else, and everything when no
zygote answers, runs in the requester as Python would run it; a killed requester takes its module with it; and a
module of the `ansible` package comes from the module's payload as it would in a process of its own."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SITE = Path(__file__).resolve().parents[1] / "support/module_code_cache"
MODULE_FQN = "ansible_collections.hybridcloud.aws.plugins.modules.example"

# The shape of an AnsiballZ wrapper as module_zygote recognises it: the marker line and the module_fqn argument of the
# last call. The body reports where and how it ran.
WRAPPER = """
_ANSIBALLZ_WRAPPER = True
import json, os, sys


def _ansiballz_main(module_fqn):
    import __main__

    umask = os.umask(0)
    report = {
        "pid": os.getpid(), "ppid": os.getppid(), "cwd": os.getcwd(), "argv": sys.argv, "umask": umask,
        "marker": os.environ.get("ZYGOTE_TEST_MARKER"), "file": getattr(__main__, "__file__", None),
        "boto3_imported": "boto3" in sys.modules,
    }
    BODY
    print(json.dumps(report))
    sys.exit(int(os.environ.get("ZYGOTE_TEST_EXIT", "0")))


if __name__ == "__main__":
    _ansiballz_main(module_fqn='MODULE_FQN')
"""


PLAIN_SCRIPT = """
import json, os, sys
print(json.dumps({"boto3_imported": "boto3" in sys.modules, "ppid": os.getppid()}))
sys.exit(4)
"""


def wrapper(body: str = "pass", fqn: str = MODULE_FQN) -> str:
    return WRAPPER.replace("BODY", body).replace("MODULE_FQN", fqn)


@pytest.fixture
def zygote(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    socket_path = tmp_path / "zygote.socket"
    env = dict(os.environ, PYTHONPATH=str(SITE), HYBRIDCLOUD_TEST_CODE_CACHE="off")
    env.pop("HYBRIDCLOUD_TEST_MODULE_ZYGOTE", None)
    process = subprocess.Popen([sys.executable, str(SITE / "module_zygote.py"), str(socket_path)], env=env, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not socket_path.exists():
        assert process.poll() is None and time.monotonic() < deadline, "the zygote did not start"
        time.sleep(0.05)
    process.socket_path = socket_path  # type: ignore[attr-defined]
    yield process
    process.terminate()
    process.wait(timeout=30)


def requester_env(socket_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(SITE), HYBRIDCLOUD_TEST_CODE_CACHE="off", ZYGOTE_TEST_MARKER="from the requester", **extra)
    env["HYBRIDCLOUD_TEST_MODULE_ZYGOTE"] = f"{sys.executable}{os.pathsep}{socket_path}"
    return env


def run(args: list[str], socket_path: Path, cwd: Path, stdin: str | None = None, **extra: str) -> tuple[int, dict[str, Any], str]:
    completed = subprocess.run(
        [sys.executable, *args], input=stdin, capture_output=True, text=True, cwd=cwd, env=requester_env(socket_path, **extra), check=False
    )
    report = json.loads(completed.stdout) if completed.stdout.strip() else {}
    return completed.returncode, report, completed.stderr


def test_a_module_from_standard_input_runs_in_a_fork_of_the_zygote(zygote: subprocess.Popen[bytes], tmp_path: Path) -> None:
    status, report, stderr = run([], zygote.socket_path, tmp_path, stdin=wrapper(), ZYGOTE_TEST_EXIT="3")  # type: ignore[attr-defined]
    assert status == 3, stderr
    assert report["ppid"] == zygote.pid
    assert report["boto3_imported"] is True  # imported by the zygote, never by the requester
    assert report["cwd"] == str(tmp_path)
    assert report["marker"] == "from the requester"
    assert report["argv"] == [""]
    assert report["file"] is None  # as for a script read from standard input


def test_a_module_file_runs_in_the_zygote_with_the_requesters_umask(zygote: subprocess.Popen[bytes], tmp_path: Path) -> None:
    script = tmp_path / "AnsiballZ_example.py"
    script.write_text(wrapper())
    previous = os.umask(0o027)
    try:
        status, report, stderr = run([str(script)], zygote.socket_path, tmp_path)  # type: ignore[attr-defined]
    finally:
        os.umask(previous)
    assert status == 0, stderr
    assert report["ppid"] == zygote.pid
    assert report["argv"] == [str(script)]
    assert report["file"] == str(script)
    assert report["umask"] == 0o027


@pytest.mark.parametrize(
    "script",
    [
        pytest.param(wrapper(fqn="ansible.modules.command"), id="a builtin module"),
        pytest.param(PLAIN_SCRIPT, id="not a module"),
    ],
)
def test_anything_else_runs_in_the_requester_from_the_same_input(zygote: subprocess.Popen[bytes], tmp_path: Path, script: str) -> None:
    status, report, stderr = run([], zygote.socket_path, tmp_path, stdin=script, ZYGOTE_TEST_EXIT="4")  # type: ignore[attr-defined]
    assert status == 4, stderr
    assert report["boto3_imported"] is False
    assert report["ppid"] != zygote.pid


def test_without_a_zygote_the_module_runs_in_the_requester(tmp_path: Path) -> None:
    status, report, stderr = run([], tmp_path / "no-zygote.socket", tmp_path, stdin=wrapper(), ZYGOTE_TEST_EXIT="5")
    assert status == 5, stderr
    assert report["boto3_imported"] is False
    assert report["marker"] == "from the requester"


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting for the zygote to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_killed_requester_takes_its_module_with_it(zygote: subprocess.Popen[bytes], tmp_path: Path) -> None:
    pid_file = tmp_path / "module.pid"
    body = f"open({str(pid_file)!r}, 'w').write(str(os.getpid())); import time; time.sleep(120)"
    requester = subprocess.Popen(
        [sys.executable],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=requester_env(zygote.socket_path),
        cwd=tmp_path,  # type: ignore[attr-defined]
    )
    assert requester.stdin is not None
    requester.stdin.write(wrapper(body).encode())
    requester.stdin.close()
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the module never started"
        time.sleep(0.05)
    module_pid = int(pid_file.read_text())
    assert module_pid != requester.pid and _alive(module_pid)
    requester.send_signal(signal.SIGKILL)
    requester.wait()
    deadline = time.monotonic() + 10
    while _alive(module_pid):
        assert time.monotonic() < deadline, "the module outlived its killed requester"
        time.sleep(0.05)


def test_the_ansible_package_serves_only_what_the_payload_holds(zygote: subprocess.Popen[bytes], tmp_path: Path) -> None:
    payload = tmp_path / "ansible_example_payload.zip"
    with zipfile.ZipFile(payload, "w") as archive:
        archive.writestr("ansible/module_utils/zygote_probe.py", "VALUE = 'from the payload'\n")
    body = f"""sys.path.insert(0, {str(payload)!r})
    from ansible.module_utils import zygote_probe
    report["probe"] = [zygote_probe.VALUE, zygote_probe.__file__]
    try:
        import ansible.module_utils.api  # in the virtualenv's ansible, not in this payload
        report["api"] = "imported"
    except ModuleNotFoundError as error:
        report["api"] = str(error)"""
    status, report, stderr = run([], zygote.socket_path, tmp_path, stdin=wrapper(body))  # type: ignore[attr-defined]
    assert status == 0, stderr
    assert report["ppid"] == zygote.pid
    assert report["probe"] == ["from the payload", str(payload / "ansible/module_utils/zygote_probe.py")]
    assert report["api"] == "No module named 'ansible.module_utils.api'"
