"""Bad input to the on-prem roles fails before the host is contacted.

Each case is one inventory host whose variables hold one bad value; the hosts of a role run in ONE ansible-playbook
(gather_facts: false, the role as the play's only role), so a role costs one process start, not one per case. Every
case host points at its own listening TCP port on 127.0.0.1 that never answers: a role that tried to reach the host
would leave a connection in that port's accept queue and end UNREACHABLE after ansible_timeout (2 s). A control host
per role with good input points at a closed port and must end UNREACHABLE, which proves that the inventory really
cannot be reached and that the good input passes the validation.

Per case: the run exits non-zero, the host's failure message names the variable and the value (a secret never
appears), the host has no UNREACHABLE result and no change, its port saw no connection, and the emulator (the play's
module_defaults point every AWS group at it) received no API call at all during the runs."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml


ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
AWS_GROUPS = ("group/amazon.aws.aws", "group/community.aws.aws", "group/hybridcloud.aws.aws")

FINGERPRINT = "0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567"
ACTIVATION_CODE = "activation-code-SECRET-4711"
PROXY_PASSWORD = "pr0xy-SECRET-pw"
AUTH_SECRET = "registry-token-SECRET-0815"

# Good input per role: what each case starts from before it changes one variable.
GOOD: dict[str, dict[str, Any]] = {
    "docker_engine": {},
    "ssm_agent": {
        "ssm_agent_region": "us-east-1",
        "ssm_agent_package_base_url": "https://mirror.dc1.example.internal/amazon-ssm-agent",
        "ssm_agent_sha256sums_url": "https://mirror.dc1.example.internal/SHA256SUMS",
        "ssm_agent_gpg_key_url": "https://mirror.dc1.example.internal/keys/mirror.asc",
        "ssm_agent_gpg_fingerprint": FINGERPRINT,
        "ssm_agent_activation_id": "6c7b2a1e-0000-4000-8000-000000000001",
        "ssm_agent_activation_code": ACTIVATION_CODE,
        "ssm_agent_https_proxy": "http://proxy.dc1.example.internal:3128",
        "ssm_agent_no_proxy": "169.254.169.254,.dc1.example.internal,10.0.0.0/8",
    },
    "ecs_anywhere": {
        "ecs_anywhere_cluster": "hybridcloud",
        "ecs_anywhere_region": "us-east-1",
        "ecs_anywhere_package_base_url": "https://mirror.dc1.example.internal/ecs",
        "ecs_anywhere_sha256sums_url": "https://mirror.dc1.example.internal/SHA256SUMS",
        "ecs_anywhere_gpg_key_url": "https://mirror.dc1.example.internal/keys/mirror.asc",
        "ecs_anywhere_gpg_fingerprint": FINGERPRINT,
        "ecs_anywhere_agent_settings": {"ECS_RESERVED_MEMORY": 256},
    },
    "file_gateway_mount": {
        "file_gateway_mount_gateway_address": "10.254.0.201",
        "file_gateway_mount_shares": [{"name": "shared", "path": "/mnt/shared"}],
    },
    "verified_package": {
        "verified_package_name": "amazon-ssm-agent",
        "verified_package_url": "https://mirror.dc1.example.internal/amazon-ssm-agent/latest/debian_amd64/amazon-ssm-agent.deb",
        "verified_package_sha256sums_url": "https://mirror.dc1.example.internal/SHA256SUMS",
        "verified_package_gpg_key_url": "https://mirror.dc1.example.internal/keys/mirror.asc",
        "verified_package_gpg_fingerprint": FINGERPRINT,
    },
}


@dataclass(frozen=True)
class Case:
    name: str
    role: str
    variables: dict[str, Any]
    expected: tuple[str, ...]  # fragments the failure message must hold: the variable and the (shown) value
    secret: str = ""  # a value that must appear nowhere in the run's output


MOUNT = "file_gateway_mount_shares"
CASES = [
    # docker_engine: daemon.json registries, signing keys, apt source lines.
    Case("docker-insecure-any", "docker_engine", {"docker_engine_insecure_registries": ["0.0.0.0/0"]}, ("docker_engine_insecure_registries", "0.0.0.0/0")),
    Case(
        "docker-insecure-two-halves",
        "docker_engine",
        {"docker_engine_insecure_registries": ["0.0.0.0/1", "128.0.0.0/1"]},
        ("docker_engine_insecure_registries: 0.0.0.0/1 is broader than /24", "128.0.0.0/1 is broader than /24"),
    ),
    Case("docker-insecure-wide", "docker_engine", {"docker_engine_insecure_registries": ["10.0.0.0/8"]}, ("docker_engine_insecure_registries", "10.0.0.0/8")),
    Case(
        "docker-insecure-via-options",
        "docker_engine",
        {"docker_engine_daemon_options": {"insecure-registries": ["::/0"]}},
        ("docker_engine_daemon_options['insecure-registries']", "::/0"),
    ),
    Case(
        "docker-mirror-http",
        "docker_engine",
        {"docker_engine_registry_mirrors": ["http://mirror.example:5000"]},
        ("docker_engine_registry_mirrors", "http://mirror.example:5000"),
    ),
    Case(
        "docker-fingerprint-missing",
        "docker_engine",
        {"docker_engine_docker_repo_key_fingerprint": ""},
        ("docker_engine_docker_repo_key_fingerprint: is required",),
    ),
    Case(
        "docker-mirror-key-http",
        "docker_engine",
        {
            "docker_engine_install_source": "mirror",
            "docker_engine_mirror_repo_url": "http://10.254.0.200/docker",
            "docker_engine_mirror_key_url": "http://10.254.0.200/docker/gpg",
            "docker_engine_mirror_key_fingerprint": FINGERPRINT,
        },
        ("docker_engine_mirror_key_url: is plain http", "http://10.254.0.200/docker/gpg", "docker_engine_allow_http_key_url"),
    ),
    Case(
        "docker-suite-injection",
        "docker_engine",
        {"docker_engine_docker_repo_channel": "stable\ndeb [trusted=yes] http://evil.example/ x main"},
        ("docker_engine_docker_repo_channel", "trusted=yes"),
    ),
    Case(
        "docker-hosts-option",
        "docker_engine",
        {"docker_engine_daemon_options": {"hosts": ["tcp://0.0.0.0:2375"]}},
        ("docker_engine_daemon_options: may not set hosts", "tcp://0.0.0.0:2375"),
    ),
    # ssm_agent: the proxy drop-in, endpoints, the signing key.
    Case(
        "ssm-proxy-newline",
        "ssm_agent",
        {"ssm_agent_http_proxy": "http://proxy:3128\nExecStartPre=/bin/touch /tmp/pwned"},
        ("ssm_agent_http_proxy: must be one line", "ExecStartPre=/bin/touch /tmp/pwned"),
    ),
    Case(
        "ssm-proxy-quote",
        "ssm_agent",
        {"ssm_agent_https_proxy": 'http://proxy:3128" "LD_PRELOAD=/tmp/x.so'},
        ("ssm_agent_https_proxy: must be one line", "LD_PRELOAD=/tmp/x.so"),
    ),
    Case(
        "ssm-proxy-port-password-masked",
        "ssm_agent",
        {"ssm_agent_https_proxy": f"http://svc:{PROXY_PASSWORD}@proxy.example:99999"},
        ("ssm_agent_https_proxy: has a port outside 1-65535", "http://svc:********@proxy.example:99999"),
        secret=PROXY_PASSWORD,
    ),
    Case("ssm-no-proxy-entry", "ssm_agent", {"ssm_agent_no_proxy": "localhost,bad host,10.0.0.0/8"}, ("ssm_agent_no_proxy", "bad host")),
    Case(
        "ssm-key-url-http",
        "ssm_agent",
        {"ssm_agent_gpg_key_url": "http://10.254.0.200/keys/lab.asc"},
        ("ssm_agent_gpg_key_url: is plain http", "http://10.254.0.200/keys/lab.asc", "ssm_agent_allow_http_key_url"),
    ),
    Case(
        "ssm-fingerprint-not-hex",
        "ssm_agent",
        {"ssm_agent_gpg_fingerprint": "Z123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567"},
        ("ssm_agent_gpg_fingerprint: must be 40 hexadecimal digits", "Z123 4567"),
    ),
    Case(
        "ssm-endpoint-port",
        "ssm_agent",
        {"ssm_agent_endpoint": "https://vpce.example:70000"},
        ("ssm_agent_endpoint: has a port outside 1-65535", "https://vpce.example:70000"),
    ),
    # ecs_anywhere: ecs.config (KEY=value lines), the signing key.
    Case(
        "ecs-setting-newline",
        "ecs_anywhere",
        {"ecs_anywhere_agent_settings": {"ECS_RESERVED_MEMORY": "256\nECS_CLUSTER=attacker"}},
        ("ecs_anywhere_agent_settings.ECS_RESERVED_MEMORY: must be one line", "ECS_CLUSTER=attacker"),
    ),
    Case(
        "ecs-setting-proxy",
        "ecs_anywhere",
        {"ecs_anywhere_agent_settings": {"HTTP_PROXY": "proxy.example:3128"}},
        ("ecs_anywhere_agent_settings.HTTP_PROXY", "proxy.example:3128"),
    ),
    Case(
        "ecs-secret-setting-masked",
        "ecs_anywhere",
        {"ecs_anywhere_agent_settings": {"ECS_ENGINE_AUTH_DATA": f'{{"registry": "{AUTH_SECRET}\nX=1"}}'}},
        ("ecs_anywhere_agent_settings.ECS_ENGINE_AUTH_DATA: must be one line", "********"),
        secret=AUTH_SECRET,
    ),
    Case(
        "ecs-backend-host",
        "ecs_anywhere",
        {"ecs_anywhere_backend_host": "https://ecs.example /x"},
        ("ecs_anywhere_backend_host: must be one line", "https://ecs.example /x"),
    ),
    Case(
        "ecs-key-url-http",
        "ecs_anywhere",
        {"ecs_anywhere_gpg_key_url": "http://10.254.0.200/keys/lab.asc"},
        ("ecs_anywhere_gpg_key_url: is plain http", "ecs_anywhere_allow_http_key_url"),
    ),
    Case(
        "ecs-cluster-arn-injection",
        "ecs_anywhere",
        {"ecs_anywhere_cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/hybridcloud\nECS_CLUSTER=attacker"},
        ("ecs_anywhere_cluster: must be a cluster name", "ECS_CLUSTER=attacker"),
    ),
    # file_gateway_mount: mount points, mount options, the gateway.
    Case(
        "mount-on-etc",
        "file_gateway_mount",
        {MOUNT: [{"name": "shared", "path": "/etc"}]},
        ("file_gateway_mount_shares[0].path: is the system path /etc", '"/etc"'),
    ),
    Case(
        "mount-under-usr",
        "file_gateway_mount",
        {MOUNT: [{"name": "shared", "path": "/usr/local/share"}]},
        ("file_gateway_mount_shares[0].path: is under /usr", "/usr/local/share"),
    ),
    Case(
        "mount-on-home",
        "file_gateway_mount",
        {MOUNT: [{"name": "shared", "path": "/home"}]},
        ("file_gateway_mount_shares[0].path", "file_gateway_mount_denied_exact_paths", '"/home"'),
    ),
    Case(
        "mount-dot-dot",
        "file_gateway_mount",
        {MOUNT: [{"name": "shared", "path": "/mnt/a/../../etc"}]},
        ("file_gateway_mount_shares[0].path: must be normalised", "/mnt/a/../../etc"),
    ),
    Case(
        "mount-suid",
        "file_gateway_mount",
        {MOUNT: [{"name": "shared", "path": "/mnt/shared", "options": ["suid"]}]},
        ("file_gateway_mount_shares[0].options: suid undoes nosuid",),
    ),
    Case(
        "mount-option-injection",
        "file_gateway_mount",
        {"file_gateway_mount_extra_options": ["rw\n10.0.0.1:/x / nfs rw 0 0"]},
        ("file_gateway_mount_extra_options: entries are single mount options", "10.0.0.1:/x / nfs"),
    ),
    Case(
        "mount-gateway",
        "file_gateway_mount",
        {"file_gateway_mount_gateway_address": "gw.example /etc nfs"},
        ("file_gateway_mount_gateway_address", "gw.example /etc nfs"),
    ),
    # verified_package: the download environment, the signing key, the repository lines.
    Case(
        "package-proxy-injection",
        "verified_package",
        {"verified_package_environment": {"https_proxy": f"http://svc:{PROXY_PASSWORD}@proxy:3128\nBASH_ENV=/tmp/x"}},
        ("verified_package_environment.https_proxy: must be one line", "svc:********@proxy:3128"),
        secret=PROXY_PASSWORD,
    ),
    Case(
        "package-key-url-http",
        "verified_package",
        {"verified_package_gpg_key_url": "http://keys.example/k.asc"},
        ("verified_package_gpg_key_url: is plain http",),
    ),
    Case(
        "ssm-region",
        "ssm_agent",
        {"ssm_agent_region": "eu-west"},
        ("ssm_agent_region: must be an AWS region", "eu-west"),
    ),
    Case(
        "ecs-package-without-checksum",
        "ecs_anywhere",
        {"ecs_anywhere_sha256sums_url": ""},
        ("ecs_anywhere_package_sha256: is required to verify a package file",),
    ),
    Case(
        "package-without-checksum",
        "verified_package",
        {"verified_package_sha256sums_url": "", "verified_package_sha256": ""},
        ("verified_package_sha256: is required to verify a package file",),
    ),
    Case(
        "package-sha256-format",
        "verified_package",
        {"verified_package_sha256": "d41d8cd98f00b204e9800998ecf8427e"},
        ("verified_package_sha256: must be 64 hexadecimal digits", "d41d8cd98f00b204e9800998ecf8427e"),
    ),
    Case(
        "package-repository-suite",
        "verified_package",
        {
            "verified_package_source": "repository",
            "verified_package_repository_url": "https://repo.example/apt",
            "verified_package_repository_name": "agents",
            "verified_package_repository_keyring": "/etc/apt/keyrings/agents.asc",
            "verified_package_repository_suite": "stable\nTrusted: yes",
        },
        ("verified_package_repository_suite", "Trusted: yes"),
    ),
]
ROLES = sorted({case.role for case in CASES})


@dataclass
class RoleRun:
    rc: int
    output: str
    stats: dict[str, Any]
    results: dict[str, list[dict[str, Any]]]  # host -> its task results
    connections: dict[str, int]  # case host -> connections its port received


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def queued_connections(listener: socket.socket) -> int:
    listener.setblocking(False)
    count = 0
    while True:
        try:
            connection, _ = listener.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


@pytest.fixture(autouse=True)
def reset_emulator() -> None:
    """The emulator is not reset per case: the runs happen once per module and their calls are counted there."""


@pytest.fixture(scope="module")
def role_runs(
    tmp_path_factory: pytest.TempPathFactory, emulator_endpoint: str, lab_api: Callable[..., tuple[int, Any]]
) -> Iterator[tuple[dict[str, RoleRun], list[Any]]]:
    base = tmp_path_factory.mktemp("bad-input")
    aws_defaults = {"endpoint_url": emulator_endpoint, "access_key": "testing", "secret_key": "testing", "region": "us-east-1"}
    status, answer = lab_api("GET", "/_lab/requests")
    assert status == 200, answer
    calls_before = len(answer["requests"])
    runs: dict[str, RoleRun] = {}
    listeners: dict[str, socket.socket] = {}
    try:
        for role in ROLES:
            hosts: dict[str, dict[str, Any]] = {}
            for case in (case for case in CASES if case.role == role):
                listener = socket.socket()
                listener.bind(("127.0.0.1", 0))
                listener.listen(8)
                listeners[case.name] = listener
                hosts[case.name] = {"ansible_port": listener.getsockname()[1], **GOOD[role], **case.variables}
            hosts[f"control-{role}"] = {"ansible_port": closed_port(), **GOOD[role]}
            inventory = {"all": {"vars": {"ansible_host": "127.0.0.1", "ansible_user": "root", "ansible_timeout": 2}, "hosts": hosts}}
            play = {
                "name": f"bad input: {role}",
                "hosts": "all",
                "gather_facts": False,
                "module_defaults": dict.fromkeys(AWS_GROUPS, aws_defaults),
                "roles": [f"hybridcloud.aws.{role}"],
            }
            (base / f"{role}.inventory.json").write_text(json.dumps(inventory))
            (base / f"{role}.yml").write_text(yaml.safe_dump([play], sort_keys=False))
            env = dict(
                os.environ,
                PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}",
                ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
                ANSIBLE_STDOUT_CALLBACK="ansible.posix.json",
                ANSIBLE_SSH_ARGS="-o ControlMaster=no",  # nothing may outlive the run
                ANSIBLE_NOCOLOR="1",
            )
            completed = subprocess.run(
                [str(BIN / "ansible-playbook"), "-i", str(base / f"{role}.inventory.json"), str(base / f"{role}.yml")],
                capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,
            )  # fmt: skip
            document = json.loads(completed.stdout[completed.stdout.find("{") :])
            results: dict[str, list[dict[str, Any]]] = {}
            for play_result in document["plays"]:
                for task in play_result["tasks"]:
                    for host, result in task["hosts"].items():
                        results.setdefault(host, []).append({"task": task["task"]["name"], **result})
            connections = {case.name: queued_connections(listeners[case.name]) for case in CASES if case.role == role}
            runs[role] = RoleRun(completed.returncode, completed.stdout + completed.stderr, document["stats"], results, connections)
        status, answer = lab_api("GET", "/_lab/requests")
        yield runs, answer["requests"][calls_before:]
    finally:
        for listener in listeners.values():
            listener.close()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_bad_input_fails_before_the_host_is_contacted(case: Case, role_runs: tuple[dict[str, RoleRun], list[Any]]) -> None:
    runs, api_calls = role_runs
    run = runs[case.role]
    results = run.results.get(case.name, [])
    failed = [result for result in results if result.get("failed")]
    host_text = json.dumps(results)

    assert run.rc != 0
    assert run.stats[case.name]["failures"] == 1, results
    assert run.stats[case.name]["unreachable"] == 0 and "UNREACHABLE" not in host_text and not any(r.get("unreachable") for r in results), results
    assert run.connections[case.name] == 0, f"{case.name}'s port was contacted"
    assert run.stats[case.name]["changed"] == 0 and not any(result.get("changed") for result in results)
    message = failed[0]["msg"]
    for fragment in case.expected:
        assert fragment in message, message
    if case.secret:
        assert case.secret not in run.output
    assert ACTIVATION_CODE not in run.output
    assert api_calls == []


@pytest.mark.parametrize("role", ROLES)
def test_good_input_passes_validation_and_then_meets_the_unreachable_host(role: str, role_runs: tuple[dict[str, RoleRun], list[Any]]) -> None:
    """The control: good input gets past the validation; the first task that needs the host finds it unreachable."""
    run = role_runs[0][role]
    assert run.stats[f"control-{role}"]["unreachable"] == 1, run.results.get(f"control-{role}")
    assert run.stats[f"control-{role}"]["failures"] == 0
