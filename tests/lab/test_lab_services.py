"""The lab's services: the LAB STAND-IN agent packages, the signed package mirror and the file gateway appliance.

Runs against the running lab (brought up, and down again at the end, when it is not running). A throwaway lab host
(the lab host image and flags, at 10.254.0.253) plays the on-prem machine, so the lab's own hosts stay untouched.
Every resource made in the emulator has a unique name and is deleted afterwards; the emulator is never reset.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from support import appliance_share
from support.appliance_share import unique

pytestmark = pytest.mark.lab

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "lab"
ENV = {**os.environ, "DOCKER_HOST": "unix:///run/hybridlab-docker.sock"}
REGION = "us-east-1"
EMULATOR = f"http://127.0.0.1:{os.environ.get('LAB_EMULATOR_PORT', '4566')}"
# The emulator as lab hosts reach it (the lab network's gateway is this machine).
EMULATOR_FOR_HOSTS = f"http://10.254.0.193:{os.environ.get('LAB_EMULATOR_PORT', '4566')}"
MIRROR = "http://10.254.0.200"
FGW_ADDRESS, FGW_CONTAINER = "10.254.0.201", "hybridlab-fgw"
CHECK_HOST, CHECK_ADDRESS = "hybridlab-services-check", "10.254.0.253"
WAIT_SECONDS = 30
APT_SOURCES = "/etc/apt/sources.list.d/hybridlab-check.list"
APT_ONLY_LAB = f"-o Dir::Etc::sourcelist={APT_SOURCES} -o Dir::Etc::sourceparts=-"


def run(*args: str | Path, timeout: float = 180, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(arg) for arg in args], env=ENV, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} exited {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def in_host(script: str, check: bool = True, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return run("docker", "exec", CHECK_HOST, "bash", "-c", script, check=check, timeout=timeout)


def nfs_client(network: str, script: str, stdin: bytes = b"") -> str:
    """Runs the appliance image's NFS client tools (showmount, nfs-cp) in NETWORK's namespace: a lab host's
    (container:NAME) or this machine's (host). Returns stdout and stderr together."""
    image = run("docker", "inspect", "-f", "{{.Config.Image}}", FGW_CONTAINER).stdout.strip()
    command = ["docker", "run", "--rm", "-i", "--network", network, "--entrypoint", "bash", image, "-c", script]
    result = subprocess.run(command, env=ENV, input=stdin, capture_output=True, timeout=60, check=False)
    return (result.stdout + result.stderr).decode(errors="replace")


def wait_for(what: str, probe: Callable[[], Any], timeout: float = WAIT_SECONDS) -> tuple[Any, float]:
    """Polls PROBE until it returns something truthy; returns it and the seconds it took."""
    started = time.monotonic()
    while True:
        value = probe()
        if value:
            return value, time.monotonic() - started
        if time.monotonic() - started > timeout:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(0.3)


def fetch(path: str) -> bytes:
    with urllib.request.urlopen(MIRROR + path, timeout=10) as answer:
        return answer.read()


@pytest.fixture(scope="module")
def lab() -> Iterator[None]:
    """Reuses a running lab; a lab this module brought up is taken down at the end."""
    was_up = run("bash", LAB / "lab.sh", "status", check=False).returncode == 0
    if not was_up:
        run("bash", LAB / "lab.sh", "up", timeout=900)
    yield
    if not was_up:
        run("bash", LAB / "lab.sh", "down", timeout=300)


@pytest.fixture(scope="module")
def aws(lab: None) -> Callable[[str], Any]:
    def client(service: str) -> Any:
        return boto3.client(service, endpoint_url=EMULATOR, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")

    return client


@pytest.fixture(scope="module")
def check_host(lab: None) -> Iterator[str]:
    started = time.monotonic()
    run("bash", LAB / "onprem" / "host.sh", "start", CHECK_HOST, CHECK_ADDRESS, "services-check")
    print(f"check host up in {time.monotonic() - started:.1f} s")
    yield CHECK_HOST
    run("bash", LAB / "onprem" / "host.sh", "stop", CHECK_HOST)


def use_repository(path: str) -> None:
    """Points the check host's apt at one repository of the mirror only, verified with the lab key."""
    in_host(
        "set -e; install -d /etc/apt/keyrings; curl -fsS -o /etc/apt/keyrings/hybridlab.asc "
        f"{MIRROR}/keys/lab.asc; echo 'deb [signed-by=/etc/apt/keyrings/hybridlab.asc] {MIRROR}{path} stable main' >{APT_SOURCES}"
    )


@pytest.fixture(scope="module")
def agents_installed(check_host: str) -> dict[str, Any]:
    use_repository("/apt")
    started = time.monotonic()
    in_host(f"set -e; apt-get {APT_ONLY_LAB} update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq amazon-ssm-agent amazon-ecs-init >/dev/null")
    seconds = time.monotonic() - started
    print(f"apt update + install of both agents from the mirror: {seconds:.1f} s")
    status = in_host("dpkg-query -W -f '${Package} ${Version} ${Status}\\n' amazon-ssm-agent amazon-ecs-init").stdout
    policy = in_host("apt-cache policy amazon-ssm-agent").stdout
    return {"status": status, "policy": policy, "seconds": seconds}


@pytest.fixture(scope="module")
def registered(aws: Callable[[str], Any], agents_installed: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The check host registered with a new activation, its SSM agent sending heartbeats every 2 s."""
    iam, ssm = aws("iam"), aws("ssm")
    role = unique("lab-services-ssm")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))
    activation = ssm.create_activation(IamRole=role, RegistrationLimit=2, DefaultInstanceName="services-check")
    config = {"Agent": {"Region": REGION}, "Ssm": {"Endpoint": EMULATOR_FOR_HOSTS}}
    in_host(
        f"set -e; echo '{json.dumps(config)}' >/etc/amazon/ssm/amazon-ssm-agent.json;"
        " echo LAB_SSM_HEARTBEAT_SECONDS=2 >/etc/default/amazon-ssm-agent-lab; systemctl stop amazon-ssm-agent"
    )
    register = f"amazon-ssm-agent -register -code {activation['ActivationCode']} -id {activation['ActivationId']} -region {REGION}"
    started = time.monotonic()
    first = in_host(register, check=False)
    in_host("systemctl start amazon-ssm-agent")
    registration = json.loads(in_host("cat /var/lib/amazon/ssm/registration").stdout)
    yield {"activation": activation, "register": register, "first": first, "registration": registration, "started": started}
    in_host("systemctl stop ecs amazon-ssm-agent; amazon-ssm-agent -register -clear", check=False)
    if registration.get("ManagedInstanceID"):
        ssm.deregister_managed_instance(InstanceId=registration["ManagedInstanceID"])
    ssm.delete_activation(ActivationId=activation["ActivationId"])
    iam.delete_role(RoleName=role)


# --- the stand-in packages ------------------------------------------------------------------------------------------


def test_agent_packages_build_reproducibly_and_say_they_are_stand_ins(tmp_path: Path) -> None:
    started = time.monotonic()
    built = run("bash", LAB / "agents" / "build.sh").stdout.split()
    seconds = time.monotonic() - started
    # A second checkout: new file times and the default umask's modes must not change a byte.
    copy = tmp_path / "lab"
    shutil.copytree(LAB / "agents", copy / "agents", copy_function=shutil.copy)
    (copy / "onprem").mkdir()
    shutil.copy(LAB / "onprem" / "common.sh", copy / "onprem" / "common.sh")
    shutil.copy(LAB / "fds.sh", copy / "fds.sh")
    rebuilt = run("bash", copy / "agents" / "build.sh").stdout.split()
    print(f"both agent packages built in {seconds:.2f} s")
    assert (
        [Path(deb).name for deb in built]
        == [Path(deb).name for deb in rebuilt]
        == ["amazon-ssm-agent_3.3.0.0+lab1_all.deb", "amazon-ecs-init_1.89.0-1+lab1_all.deb"]
    )
    for deb, again in zip(built, rebuilt):
        assert hashlib.sha256(Path(deb).read_bytes()).hexdigest() == hashlib.sha256(Path(again).read_bytes()).hexdigest(), deb
        fields = {name: run("dpkg-deb", "-f", deb, name).stdout.strip() for name in ("Architecture", "Depends", "Description")}
        assert fields["Architecture"] == "all"
        assert fields["Depends"].startswith("python3")
        assert "LAB STAND-IN" in fields["Description"]


# --- the mirror -----------------------------------------------------------------------------------------------------


def gpg_verify(keyring: Path, signature: bytes, content: bytes, scratch: Path) -> bool:
    (scratch / "signature").write_bytes(signature)
    (scratch / "content").write_bytes(content)
    return run("gpgv", "--keyring", keyring, scratch / "signature", scratch / "content", check=False).returncode == 0


def test_plain_files_match_sha256sums_and_signatures(lab: None, tmp_path: Path) -> None:
    keyring = tmp_path / "lab.gpg"
    subprocess.run(["gpg", "--batch", "--homedir", str(tmp_path), "--dearmor", "-o", str(keyring), "--yes"], input=fetch("/keys/lab.asc"), check=True)
    sums = dict(reversed(line.split()) for line in fetch("/SHA256SUMS").decode().splitlines())
    assert "amazon-ssm-agent/latest/debian_amd64/amazon-ssm-agent.deb" in sums
    assert "ecs/amazon-ecs-init-latest.amd64.deb" in sums
    assert gpg_verify(keyring, fetch("/SHA256SUMS.sig"), fetch("/SHA256SUMS"), tmp_path)
    for path, digest in sums.items():
        content = fetch("/" + path)
        signature = fetch(f"/{path}.sig" if path.startswith("amazon-ssm-agent/") else f"/{path}.asc")
        assert hashlib.sha256(content).hexdigest() == digest, path
        assert gpg_verify(keyring, signature, content, tmp_path), path
        # The corrupted copy: same names, same published sums and signatures, altered content.
        corrupt = fetch("/corrupt/" + path)
        assert len(corrupt) == len(content)
        assert hashlib.sha256(corrupt).hexdigest() != digest, path
        assert not gpg_verify(keyring, signature, corrupt, tmp_path), path
    assert fetch("/amazon-ssm-agent/latest/debian_amd64/amazon-ssm-agent.deb.sig")[:1] != b"-"  # binary, like AWS's .sig
    assert fetch("/ecs/amazon-ecs-init-latest.amd64.deb.asc").startswith(b"-----BEGIN PGP SIGNATURE-----")


def test_apt_installs_the_agents_from_the_signed_mirror(agents_installed: dict[str, Any]) -> None:
    assert sorted(agents_installed["status"].splitlines()) == [
        "amazon-ecs-init 1.89.0-1+lab1 install ok installed",
        "amazon-ssm-agent 3.3.0.0+lab1 install ok installed",
    ]
    assert f"{MIRROR}/apt stable/main" in agents_installed["policy"]
    assert in_host("systemctl is-enabled amazon-ssm-agent; amazon-ssm-agent -version").stdout.split("\n")[:2] == ["enabled", "SSM Agent version: 3.3.0.0"]


def test_apt_refuses_the_corrupted_repositories(check_host: str, agents_installed: dict[str, Any]) -> None:
    use_repository("/corrupt/apt")
    bad_signature = in_host(f"apt-get {APT_ONLY_LAB} update 2>&1", check=False)
    assert bad_signature.returncode != 0
    assert "BADSIG" in bad_signature.stdout
    assert "is not signed" in bad_signature.stdout

    use_repository("/corrupt/apt-hash")
    in_host(f"apt-get {APT_ONLY_LAB} update -qq")
    bad_hash = in_host(f"cd /tmp && rm -f amazon-ssm-agent_*.deb && apt-get {APT_ONLY_LAB} download amazon-ssm-agent 2>&1", check=False)
    assert bad_hash.returncode != 0
    assert "Hash Sum mismatch" in bad_hash.stdout
    assert in_host("ls /tmp/amazon-ssm-agent_*.deb 2>/dev/null", check=False).stdout == ""
    use_repository("/apt")


# --- the stand-in agents against the emulator -----------------------------------------------------------------------


def test_ssm_agent_registers_and_the_host_shows_online(aws: Callable[[str], Any], registered: dict[str, Any]) -> None:
    assert registered["first"].returncode == 0, registered["first"].stdout + registered["first"].stderr
    instance_id = registered["registration"]["ManagedInstanceID"]
    assert instance_id.startswith("mi-")
    assert registered["registration"] == {"ManagedInstanceID": instance_id, "Region": REGION}
    modes = in_host("stat -c '%n %a' /var/lib/amazon/ssm/Vault /var/lib/amazon/ssm/Vault/Store /var/lib/amazon/ssm/Vault/Store/RegistrationKey").stdout
    assert [line.split()[1] for line in modes.splitlines()] == ["700", "700", "600"]
    vault = json.loads(in_host("cat /var/lib/amazon/ssm/Vault/Store/RegistrationKey").stdout)
    assert vault["instanceID"] == instance_id
    assert vault["privateKey"].startswith("-----BEGIN PRIVATE KEY-----")

    ssm = aws("ssm")

    def online() -> dict[str, Any] | None:
        found = ssm.describe_instance_information(Filters=[{"Key": "InstanceIds", "Values": [instance_id]}])["InstanceInformationList"]
        return found[0] if found and found[0]["PingStatus"] == "Online" and found[0].get("ComputerName") else None

    info, _ = wait_for("the managed instance reporting Online", online)
    print(f"registration to Online with heartbeat data: {time.monotonic() - registered['started']:.1f} s")
    # These fields come only from the agent's UpdateInstanceInformation heartbeats.
    assert (info["ComputerName"], info["IPAddress"], info["AgentVersion"], info["PlatformType"]) == (CHECK_HOST, CHECK_ADDRESS, "3.3.0.0", "Linux")
    assert info["ActivationId"] == registered["activation"]["ActivationId"]

    # Already registered: without -y the agent refuses (no answer on stdin) and keeps the registration.
    again = in_host(registered["register"] + " </dev/null", check=False)
    assert again.returncode == 1
    assert "Instance already registered" in again.stdout
    assert json.loads(in_host("cat /var/lib/amazon/ssm/registration").stdout)["ManagedInstanceID"] == instance_id


def test_ecs_agent_registers_the_managed_instance_in_the_cluster(aws: Callable[[str], Any], registered: dict[str, Any]) -> None:
    ecs = aws("ecs")
    cluster, other = unique("lab-services"), unique("lab-services-other")
    ecs.create_cluster(clusterName=cluster)
    try:
        in_host("rm -f /etc/ecs/ecs.config /var/lib/ecs/ecs.config; systemctl reset-failed ecs; systemctl start ecs", check=False)
        state = wait_for("ecs failing without ECS_CLUSTER", lambda: in_host("systemctl is-failed ecs", check=False).stdout.strip() == "failed", 15)
        assert state[0]

        attributes = json.dumps({"location": "onprem", "rack": "r7"})
        in_host(
            f"set -e; echo ECS_CLUSTER={cluster} >/etc/ecs/ecs.config; printf '%s\\n' AWS_DEFAULT_REGION={REGION} ECS_EXTERNAL=true"
            f" ECS_BACKEND_HOST={EMULATOR_FOR_HOSTS} 'ECS_INSTANCE_ATTRIBUTES={attributes}' >/var/lib/ecs/ecs.config;"
            " systemctl reset-failed ecs; systemctl start ecs"
        )

        def metadata() -> dict[str, Any] | None:
            answer = in_host("curl -fs http://localhost:51678/v1/metadata", check=False).stdout
            return json.loads(answer) if answer and json.loads(answer).get("ContainerInstanceArn") else None

        found, seconds = wait_for("ContainerInstanceArn in the agent's metadata", metadata)
        print(f"ecs start to ContainerInstanceArn: {seconds:.1f} s")
        assert found["Cluster"] == cluster
        assert found["Version"].startswith("Amazon ECS Agent - v1.89.0")
        described = ecs.describe_container_instances(cluster=cluster, containerInstances=[found["ContainerInstanceArn"]])["containerInstances"]
        assert described[0]["ec2InstanceId"] == registered["registration"]["ManagedInstanceID"]
        names = {attribute["name"]: attribute.get("value") for attribute in described[0]["attributes"]}
        assert (names["location"], names["rack"], names["ecs.os-type"]) == ("onprem", "r7", "linux")
        assert "ecs.capability.external" in names

        # As the real agent: another cluster configured over the saved state is a terminal error ("Data mismatch")
        # until the state is removed (what ecs_anywhere's move does).
        ecs.create_cluster(clusterName=other)
        in_host(f"set -e; systemctl stop ecs; echo ECS_CLUSTER={other} >/etc/ecs/ecs.config; systemctl start ecs", check=False)
        failed = wait_for("ecs failing with a saved cluster", lambda: in_host("systemctl is-failed ecs", check=False).stdout.strip() == "failed", 15)
        assert failed[0]
        assert f"saved cluster '{cluster}' does not match configured cluster '{other}'" in in_host("journalctl -u ecs --no-pager -n 20").stdout
        # In one region a managed instance belongs to one cluster at a time: the old container instance is
        # deregistered first (ecs_anywhere's move does so when the old region answers), then the state removed.
        ecs.deregister_container_instance(cluster=cluster, containerInstance=found["ContainerInstanceArn"], force=True)
        in_host("set -e; rm -rf /var/lib/ecs/data; systemctl reset-failed ecs; systemctl start ecs")
        moved, _ = wait_for("ContainerInstanceArn in the other cluster", lambda: (m := metadata()) and m["Cluster"] == other and m)
        assert moved["ContainerInstanceArn"] != found["ContainerInstanceArn"]
    finally:
        in_host("systemctl stop ecs", check=False)
        for name in (cluster, other):
            for arn in ecs.list_container_instances(cluster=name)["containerInstanceArns"]:
                ecs.deregister_container_instance(cluster=name, containerInstance=arn, force=True)
            ecs.delete_cluster(cluster=name)


# --- the file gateway appliance -------------------------------------------------------------------------------------


@pytest.fixture
def file_share(aws: Callable[[str], Any], check_host: str) -> Iterator[dict[str, str]]:
    """An activated gateway on the appliance with one NFS share that only the check host may mount."""
    made = appliance_share.create(aws, REGION, "lab-services", "incoming", f"{CHECK_ADDRESS}/32", DefaultStorageClass="S3_STANDARD_IA")
    yield made
    appliance_share.delete(aws, made)


def test_a_file_written_into_the_share_appears_in_s3(aws: Callable[[str], Any], file_share: dict[str, str]) -> None:
    name, bucket = file_share["name"], file_share["bucket"]
    from_host = f"container:{CHECK_HOST}"
    _, seconds = wait_for("the export in showmount", lambda: f"/{name} {CHECK_ADDRESS}/32" in nfs_client(from_host, f"showmount -e --no-headers {FGW_ADDRESS}"))
    print(f"file share created to NFS export listed: {seconds:.1f} s")

    content = os.urandom(64 * 1024)
    copied = nfs_client(from_host, f"cat >/tmp/report.bin && nfs-cp /tmp/report.bin nfs://{FGW_ADDRESS}/{name}/report.bin && echo copied-ok", stdin=content)
    assert "copied-ok" in copied, copied
    written = time.monotonic()

    s3 = aws("s3")

    def uploaded() -> list[dict[str, Any]]:
        return s3.list_objects_v2(Bucket=bucket, Prefix="incoming/").get("Contents", [])

    objects, seconds = wait_for("the file as an S3 object", uploaded)
    print(f"nfs-cp finished to object in S3 (write-back latency): {seconds:.2f} s")
    assert [item["Key"] for item in objects] == ["incoming/report.bin"]
    body = s3.get_object(Bucket=bucket, Key="incoming/report.bin")
    assert body["Body"].read() == content
    assert body["StorageClass"] == "STANDARD_IA"
    assert body["Metadata"]["file-owner"] == "65534"  # root on the client, squashed
    assert time.monotonic() - written < WAIT_SECONDS


def test_clients_outside_the_client_list_are_refused(file_share: dict[str, str]) -> None:
    name = file_share["name"]
    wait_for("the export", lambda: f"/{name} " in nfs_client(f"container:{CHECK_HOST}", f"showmount -e --no-headers {FGW_ADDRESS}"))
    # This machine (10.254.0.193 on the lab network) is not in the share's ClientList: no mount, no write, not listed.
    refused = nfs_client("host", f"echo x >/tmp/x; nfs-cp /tmp/x nfs://{FGW_ADDRESS}/{name}/x.txt; echo rc=$?; showmount -e --no-headers {FGW_ADDRESS}")
    assert "MNT3ERR_ACCES" in refused
    assert "rc=0" not in refused
    assert f"/{name} " not in refused
