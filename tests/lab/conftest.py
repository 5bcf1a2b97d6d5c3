"""The shared lab for the end-to-end tests: up, and converged once per session.

Every test that reads or changes the converged lab (the report, the audit, the secrets search, the on-prem
workloads, the NFS write, test_site's own assertions) asks for `converged_lab`: the first one launches the job
template "hybridcloud site" as AWX runs it (tests/support/lab_jobs.py: ansible-runner, the collection installed from
its tarball, the credentials of controller/) against the shared emulator and the lab hosts, the others reuse that
run. On a fresh machine (CI) that run builds everything;
after `make lab` it is a no-op converge. A test never skips for want of a converged lab: when the converge failed,
each test that needs it fails, naming the failed tasks.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from support.lab_jobs import LabController
from support.lab_site import REPO, failures, totals
from support.lab_site import lab_lock as hold_lab_lock
from support.lab_site import lab_up as start_lab


@pytest.fixture(scope="session", autouse=True)
def modules_from_zygote(module_zygote: None) -> None:
    """The controller's AWS module runs of these tests fork from the session's zygote (tests/conftest.py)."""


@pytest.fixture(scope="session")
def lab_up() -> None:
    start_lab()


@pytest.fixture(scope="session")
def lab_controller(lab_up: None, tmp_path_factory: pytest.TempPathFactory) -> LabController:
    """The AWX side of the lab: project, collection from the tarball, inventory and credentials (set up once)."""
    return LabController(tmp_path_factory.mktemp("awx"))


@pytest.fixture(scope="session")
def converge_document(lab_controller: LabController) -> dict[str, Any]:
    """The session's one converge: the job template "hybridcloud site" (its events as a json-callback document)."""
    started = time.time()
    document = lab_controller.launch("hybridcloud site", "converge")
    # When the converge started: the request log's calls from then on are this session's (not molecule's, say).
    document["started"] = started
    # Kept for a person to read when the converge fails: the json callback's whole answer.
    (REPO / "lab/.state/test_site_converge.json").write_text(json.dumps(document, indent=1, default=str))
    return document


@pytest.fixture
def converged_lab(converge_document: dict[str, Any]) -> dict[str, Any]:
    """The converged shared lab; fails the asking test when the session's converge failed."""
    # rc too: a playbook that does not even load (a missing file) reports no failed task.
    if converge_document["rc"] != 0 or totals(converge_document, "failures") + totals(converge_document, "unreachable"):
        pytest.fail(f"the lab's converge failed: {failures(converge_document)[:5]}")
    return converge_document


@pytest.fixture
def lab_lock() -> Iterator[None]:
    """Held while a test changes the shared lab; pytest_collection_modifyitems runs the tests that ask for it last."""
    with hold_lab_lock():
        yield


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order of the lab tests: first those that do not need the converged lab (test_lab_hosts takes the lab down
    and up again, an empty emulator, which must happen before the session's converge, not between it and the tests
    that read it); then test_site's assertions on that converge (they read the lab as the converge left it); then
    the other readers; then the tests that change the lab under the lab lock (test_audit's introduced findings,
    test_killed_agent_restart registers a host anew, test_secrets' failed run renews the activation and adds a launch
    template version); last test_dr_pilot_light, whose failover and failback register the hosts anew (its fixture takes
    the lab lock itself)."""

    def order(item: pytest.Item) -> tuple[bool, bool, bool, bool]:
        fixtures = getattr(item, "fixturenames", ())
        moves_hosts = item.path.name == "test_dr_pilot_light.py"
        return "converge_document" in fixtures, "lab_lock" in fixtures or moves_hosts, item.path.name != "test_site.py", moves_hosts

    items.sort(key=order)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The NFS host's VM image (lab/qemu/build-image.sh: minutes on a fresh machine, nothing once cached) is built in
    the background from the start, beside the session's converge, when test_lab_vm is to run; its fixture waits for
    the build (build-image.sh holds a lock while it builds)."""
    if any(item.path.name == "test_lab_vm.py" for item in session.items):
        log = REPO / ".build" / "test-logs" / "vm-image.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "w") as output:
            subprocess.Popen(["bash", str(REPO / "lab/qemu/build-image.sh")], cwd=REPO, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
