"""Fixtures shared by every test that talks to the lab AWS emulator: one emulator per session (the running lab's
when $AWS_ENDPOINT_URL points at it), boto3 clients against it, and its /_lab control plane."""

from __future__ import annotations

import contextlib
import json
import os
import py_compile
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

REPO = Path(__file__).resolve().parents[1]
LAB_DIR = REPO / "lab"
# tests/support/module_code_cache/sitecustomize.py: the bytecode and botocore model cache of the processes tests start.
CODE_CACHE_SITE = REPO / "tests/support/module_code_cache"
CODE_CACHE_ENV = "HYBRIDCLOUD_TEST_CODE_CACHE"
ZYGOTE_ENV = "HYBRIDCLOUD_TEST_MODULE_ZYGOTE"
START_TIMEOUT = 30.0
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="session", autouse=True)
def module_code_cache() -> Iterator[None]:
    """Every process the tests start (ansible-playbook, its workers and module processes, the emulator) imports the
    test-only sitecustomize that caches the code zipimport compiles from AnsiballZ payloads, the code ansible's
    collection loader compiles in the controller and each worker, and botocore's parsed JSON models, in
    .cache/test-code-cache (kept between sessions: entries are keyed by their source). A module run costs about a third
    less CPU. $HYBRIDCLOUD_TEST_CODE_CACHE, when set, names another folder, or "off" for none."""
    # PYTHONDONTWRITEBYTECODE (set on these machines) would have every process compile the file from source again.
    with contextlib.suppress(OSError, py_compile.PyCompileError):
        py_compile.compile(str(CODE_CACHE_SITE / "sitecustomize.py"), doraise=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(CODE_CACHE_SITE), os.environ.get("PYTHONPATH")])))
        if CODE_CACHE_ENV not in os.environ:
            patch.setenv(CODE_CACHE_ENV, str(REPO / ".cache/test-code-cache"))
        yield


@pytest.fixture(autouse=True)
def blocking_standard_input() -> None:
    """Every test starts with the session's standard input in blocking mode. The processes tests start share it, and a
    child that set O_NONBLOCK on it and was killed before it could clear it (ssh at a timeout, seen in a gate run) made
    every later ansible-playbook of the session exit at once: "Ansible requires blocking IO on stdin"."""
    with contextlib.suppress(OSError):
        os.set_blocking(0, True)


@pytest.fixture(scope="session")
def module_zygote(module_code_cache: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The AWS module processes that ansible-playbook starts on the controller in this session run as forks of one
    process that imported ansible's module_utils.basic, boto3 and botocore once (tests/support/module_code_cache/
    module_zygote.py): about 0.35 of a module run's 0.55 CPU seconds. Requested by the integration and lab tests.
    $HYBRIDCLOUD_TEST_MODULE_ZYGOTE=off (or the code cache off) runs every module in a process of its own, as without
    the tests."""
    if os.environ.get(ZYGOTE_ENV) == "off" or os.environ.get(CODE_CACHE_ENV) == "off":
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv(ZYGOTE_ENV, raising=False)
            yield
        return
    folder = tmp_path_factory.mktemp("zygote")
    path = folder / "socket"
    command = [sys.executable, str(CODE_CACHE_SITE / "module_zygote.py"), str(path)]
    with _service("module zygote", command, folder / "zygote.log", path.exists, stop_timeout=30), pytest.MonkeyPatch.context() as patch:
        patch.setenv(ZYGOTE_ENV, f"{sys.executable}{os.pathsep}{path}")
        yield


@contextlib.contextmanager
def _service(
    what: str, command: list[str], log_path: Path, ready: Callable[[], bool], *, env: dict[str, str] | None = None, stop_timeout: float = 10
) -> Iterator[None]:
    """COMMAND running (its output in LOG_PATH) from the moment ready() is true, for the block; then terminated."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not ready():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{what} did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=stop_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def call_lab(endpoint: str, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(endpoint + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _healthy(endpoint: str) -> bool:
    try:
        return call_lab(endpoint, "GET", "/_lab/health") == (200, {"status": "ok"})
    except (OSError, ValueError):
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def emulator_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """$AWS_ENDPOINT_URL when it is a healthy lab emulator, else a private `python -m awsemu` for this session.
    Parallel workers (pytest -n) each start their own: tests reset the emulator they use."""
    given = os.environ.get("AWS_ENDPOINT_URL")
    parallel = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1
    if given and not parallel and _healthy(given.rstrip("/")):
        yield given.rstrip("/")
        return
    port = _free_port()
    log_path = tmp_path_factory.mktemp("emulator") / "emulator.log"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(LAB_DIR), os.environ.get("PYTHONPATH")])))
    endpoint = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "awsemu", "--port", str(port)]
    with _service("emulator", command, log_path, lambda: _healthy(endpoint), env=env):
        yield endpoint


@pytest.fixture(scope="session")
def client(emulator_endpoint: str) -> Callable[..., Any]:
    """client("ssm") -> a boto3 client against the emulator (default region us-east-1)."""
    config = Config(retries={"mode": "standard", "total_max_attempts": 3})

    def make(service: str, region: str = "us-east-1", **kwargs: Any) -> Any:
        kwargs.setdefault("config", config)
        return boto3.client(service, endpoint_url=emulator_endpoint, region_name=region, **CREDENTIALS, **kwargs)

    return make


@pytest.fixture(scope="session")
def lab_api(emulator_endpoint: str) -> Callable[..., tuple[int, Any]]:
    """lab_api("POST", "/_lab/faults", json={...}) -> (HTTP status, decoded JSON answer)."""

    def call(method: str, path: str, json: Any = None) -> tuple[int, Any]:
        return call_lab(emulator_endpoint, method, path, json)

    return call


@pytest.fixture
def fresh_emulator(lab_api: Callable[..., tuple[int, Any]]) -> None:
    """Empty every emulated service, fault rule and the request log before the test."""
    status, answer = lab_api("POST", "/_lab/reset")
    assert status == 200, answer
    lab_api("DELETE", "/_lab/faults")
    lab_api("DELETE", "/_lab/requests")
