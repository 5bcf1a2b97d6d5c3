"""No secret leaks (issue 15, item 7), on the shared converged lab.

The secrets are read from where they live: the activation code (its SecureString parameter, decrypted), the database's
master password (the RDS-managed secret in Secrets Manager, when there is one), the Direct Connect BGP key and any VPN
pre-shared key (the lab inventory's values, and the tunnels' keys as the emulator holds them), and the registry token
(ECR's GetAuthorizationToken, the lab using ECR). Then the places a run leaves text are searched for each of them:

- the output of a run at -vvv with pipelining off (so that every module travels as a file to the hosts' remote temp
  directories): the systems_manager layer and the on-prem ssm_agent role, the two that handle the activation code,
  on the converged lab (a no-op);
- the output of a run whose secret-handling call fails: after the activation was deleted, so that the run makes a new
  code, storing it is refused as AWS refuses a principal that may not use the parameter's KMS key
  (AccessDeniedException); the run fails at once, showing AWS's message (the role's no_log hides the task's result,
  its rescue reports the module's message, from which the module masks the code);
- the lab hosts' remote temp directories (~/.ansible/tmp, /tmp/ansible*) and journals (journalctl inside the host
  containers, through the lab's Docker socket);
- the emulator's request log and every file under lab/.state/.

Any hit fails the test, naming the secret and where it was found. The lab is modified under the lab lock; the failed
run is followed by a clean one that renews the unusable activation, so the lab ends with one activation and its code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.lab_site import lab_aws, lab_send

pytestmark = pytest.mark.lab

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EMULATOR = f"http://127.0.0.1:{os.environ.get('LAB_EMULATOR_PORT', '4566')}"
REGION = "us-east-1"
PREFIX = "hybridcloud-lab"
CODE_PARAMETER = "/hybridcloud-lab/ssm/activation"
HOSTS = ["onprem-app-1", "onprem-app-2"]
DOCKER = {**os.environ, "DOCKER_HOST": os.environ.get("LAB_DOCKER_HOST", "unix:///run/hybridlab-docker.sock")}
# Files under lab/.state larger than this are disk images and the like, not logs.
MAX_STATE_FILE = 64 * 1024 * 1024


def aws(service: str) -> Any:
    return lab_aws(service, REGION)


def lab_call(method: str, path: str, payload: Any = None) -> Any:
    return lab_send(EMULATOR, method, path, payload)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_PIPELINING": "False",
        "AWS_ENDPOINT_URL": EMULATOR,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }
    command = [str(BIN / "ansible-playbook"), "-i", str(REPO / "inventories/lab"), str(REPO / "site.yml"), "-vvv", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=900, check=False)


def secrets() -> dict[str, str]:
    """name -> value of every secret the lab holds (values shorter than 8 characters would match by chance)."""
    found: dict[str, str] = {}
    found["activation code"] = aws("ssm").get_parameter(Name=CODE_PARAMETER, WithDecryption=True)["Parameter"]["Value"]
    [db] = aws("rds").describe_db_instances(DBInstanceIdentifier=f"{PREFIX}-postgres")["DBInstances"]
    if db.get("MasterUserSecret", {}).get("SecretArn"):
        secret = aws("secretsmanager").get_secret_value(SecretId=db["MasterUserSecret"]["SecretArn"])["SecretString"]
        found["database password"] = json.loads(secret)["password"]
    vault = yaml.safe_load((REPO / "inventories/lab/group_vars/all/vault.yml").read_text()) or {}
    for name, value in vault.items():
        if isinstance(value, str):
            found[f"inventory {name}"] = value
    for connection in aws("ec2").describe_vpn_connections()["VpnConnections"]:
        for index, tunnel in enumerate(connection.get("Options", {}).get("TunnelOptions", [])):
            if tunnel.get("PreSharedKey"):
                found[f"VPN {connection['VpnConnectionId']} tunnel {index + 1} pre-shared key"] = tunnel["PreSharedKey"]
    for data in aws("ecr").get_authorization_token()["authorizationData"]:
        found["registry token"] = data["authorizationToken"]
    return {name: value for name, value in found.items() if len(value) >= 8}


def hits(text: str, where: str, values: dict[str, str]) -> list[str]:
    return [f"{name} in {where}" for name, value in values.items() if value in text]


def host_text(host: str) -> dict[str, str]:
    """The host's remote temp files and its journal, as text."""
    files = subprocess.run(
        ["docker", "exec", host, "sh", "-c", "find /root/.ansible/tmp /home/*/.ansible/tmp /tmp -path '*ansible*' -type f -exec cat {} + 2>/dev/null; true"],
        capture_output=True,
        env=DOCKER,
        timeout=120,
        check=False,
    )
    journal = subprocess.run(["docker", "exec", host, "journalctl", "--no-pager", "-o", "cat"], capture_output=True, env=DOCKER, timeout=120, check=False)
    assert journal.returncode == 0, f"cannot read the journal of {host}: {journal.stderr[-500:]!r}"
    return {
        f"{host}'s remote temp files": files.stdout.decode(errors="replace"),
        f"{host}'s journal": journal.stdout.decode(errors="replace"),
    }


def lab_text() -> dict[str, str]:
    found = {"the emulator's request log": json.dumps(lab_call("GET", "/_lab/requests"))}
    for path in sorted((REPO / "lab/.state").rglob("*")):
        if path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_STATE_FILE:
            found[str(path.relative_to(REPO))] = path.read_bytes().decode(errors="replace")
    return found


def test_no_secret_in_a_verbose_run_on_the_hosts_or_in_lab_state(converged_lab: dict[str, Any], lab_lock: None) -> None:
    values = secrets()
    assert {"activation code", "registry token"} <= set(values), sorted(values)
    completed = run("--tags", "systems_manager,ssm_agent")
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert "PUT " in completed.stdout or "put " in completed.stdout.lower(), "pipelining was not off: no module file was sent"
    found = hits(completed.stdout + completed.stderr, "the -vvv output", values)
    texts = {**lab_text()}
    for host in HOSTS:
        texts.update(host_text(host))
    for where, text in texts.items():
        found += hits(text, where, values)
    assert found == []


def test_no_secret_when_storing_the_code_fails(converged_lab: dict[str, Any], lab_lock: None) -> None:
    ssm = aws("ssm")
    [activation] = ssm.describe_activations(Filters=[{"FilterKey": "DefaultInstanceName", "FilterValues": [f"{PREFIX}-onprem"]}])["ActivationList"]
    ssm.delete_activation(ActivationId=activation["ActivationId"])
    faulted = time.time()
    denied = "User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: kms:Encrypt on this resource"
    rule = {"service": "ssm", "operation": "PutParameter", "error": "AccessDeniedException", "status": 400, "message": denied, "times": 50}
    lab_call("POST", "/_lab/faults", {"rules": [rule]})
    try:
        failed = run("--tags", "systems_manager")
    finally:
        lab_call("DELETE", "/_lab/faults")
    answered = [c["status"] for c in lab_call("GET", "/_lab/requests")["requests"] if c["time"] >= faulted and c["operation"] == "PutParameter"]
    assert answered and set(answered) == {400}, f"the fault was not hit as planned: {answered}"
    # Not retried (only IAM's propagation delay is), and AWS's own message reaches the user despite the task's no_log.
    assert failed.returncode != 0, failed.stdout[-3000:]
    assert "AccessDeniedException" in failed.stdout and denied in failed.stdout, failed.stdout[-3000:]
    assert "FAILED - RETRYING" not in failed.stdout
    # Every secret the lab holds (the failed run's new code was never stored: the module masks it in its failure).
    values = secrets()
    found = hits(failed.stdout + failed.stderr, "the output of the failed run", values)
    for where, text in lab_text().items():
        found += hits(text, where, values)

    # The clean rerun leaves one activation and a stored code that names it.
    started = time.time()
    rerun = run("--tags", "systems_manager")
    assert rerun.returncode == 0, rerun.stdout[-3000:]
    found += hits(rerun.stdout + rerun.stderr, "the output of the rerun", secrets())
    assert found == []
    assert len(ssm.describe_activations(Filters=[{"FilterKey": "DefaultInstanceName", "FilterValues": [f"{PREFIX}-onprem"]}])["ActivationList"]) == 1
    assert time.time() - started < 300
