"""The lab's NFS host (lab/qemu/nfs-host.sh, which `make lab` runs after site.yml): a Debian VM under QEMU full
emulation whose kernel mounts NFS, which the lab's container hosts cannot, joins the on-prem group for the
file_gateway_mount role only.

On the session's converged lab (tests/lab/conftest.py) the module brings the NFS host up as `make lab` does (a no-op
boot after `make lab`): the VM boots and root logs in over SSH; the shipped on-prem playbook mounted the lab's file
share with the kernel's NFS client (NFSv3, nosuid, nodev, an automount from fstab) and a second run changes nothing;
a file written through the mount becomes an Intelligent-Tiering object in the share's bucket; the mount is back after
a reboot with the gateway up, and with the gateway not answering the boot does not wait and an access fails instead
of hanging; `mount -t nfs` by hand works with NFSv3 and NFSv4.1; stopping the VM leaves no process behind.

The VM's traffic leaves through this machine (QEMU user networking), so the appliance sees it as 10.254.0.193, inside
the lab's on-prem range the share is exported to.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from support import appliance_share
from support.lab_site import EMULATOR, REGION, changes, failures, lab_lock, playbook

pytestmark = pytest.mark.lab

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "lab"
STATE = LAB / ".state"
NFS_HOST_SCRIPT = LAB / "qemu" / "nfs-host.sh"
VM_SCRIPT = LAB / "qemu" / "vm.sh"
INVENTORY = STATE / "inventory-nfs-host.yml"
ENV = {**os.environ, "DOCKER_HOST": "unix:///run/hybridlab-docker.sock"}
VM_NAME = "onprem-nfs-1"
FGW_ADDRESS = "10.254.0.201"
APPLIANCE_CONTAINER = "hybridlab-fgw"
# The machine on the lab network: the address the appliance sees the VM's NAT-ed traffic come from.
VM_SEEN_AS = "10.254.0.193"
# The lab inventory's share (inventories/lab: file_gateway_nfs_shares, file_gateway_mount_shares).
SHARE, MOUNT_POINT, BUCKET, PREFIX = "shared", "/mnt/shared", "hybridcloud-lab-file-share", "shared/"
WAIT_SECONDS = 30
EMULATOR_TLS = f"https://127.0.0.1:{os.environ.get('LAB_EMULATOR_TLS_PORT', '4567')}"


def run(*args: str | Path, timeout: float = 180, check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    # ssh sets O_NONBLOCK on the standard input it inherits and clears it only when it exits on its own: one killed at
    # its timeout would leave the session's shared standard input non-blocking, and every later ansible run refuses
    # to start ("Ansible requires blocking IO"). So ssh never inherits it.
    given = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
    result = subprocess.run([str(arg) for arg in args], env=ENV, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False, **given)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} exited {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def wait_for(what: str, probe: Callable[[], Any], timeout: float = WAIT_SECONDS) -> tuple[Any, float]:
    """Polls PROBE until it returns something truthy; returns it and the seconds it took."""
    started = time.monotonic()
    while True:
        value = probe()
        if value:
            return value, time.monotonic() - started
        if time.monotonic() - started > timeout:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(0.5)


def qemu_pids() -> list[int]:
    """The QEMU processes of the NFS host, found by its -name argument (not by the pid file)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if args[0].endswith(b"qemu-system-x86_64") and VM_NAME.encode() in args:
            found.append(int(cmdline.parent.name))
    return found


@pytest.fixture(scope="module")
def vm(converge_document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The NFS host, brought up on the converged lab as `make lab` does; its SSH port and the seconds it took."""
    if converge_document["rc"] != 0:
        pytest.fail(f"the lab's converge failed: {failures(converge_document)[:5]}")
    run("bash", LAB / "qemu" / "build-image.sh", timeout=900)  # a first build is not the NFS host's time
    started = time.monotonic()
    output = run("bash", NFS_HOST_SCRIPT, "up", timeout=900).stdout
    seconds = time.monotonic() - started
    print(f"nfs-host.sh up: {seconds:.1f} s (load {os.getloadavg()[0]:.1f})\n{output}")
    port = int(run("bash", VM_SCRIPT, "status", VM_NAME).stdout.rsplit(":", 1)[-1])
    yield {"port": port, "seconds": seconds, "output": output}
    run("bash", NFS_HOST_SCRIPT, "down", check=False)


def ssh_command(vm: dict[str, Any], script: str) -> list[str | Path]:
    # Keepalives: QEMU's user networking keeps this machine's side of a connection open across the guest's reboot.
    ssh: list[str | Path] = ["ssh", "-p", str(vm["port"]), "-i", STATE / "ssh" / "id_ed25519", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"]
    ssh += ["-o", f"UserKnownHostsFile={STATE / 'ssh' / 'known_hosts'}", "-o", "ConnectTimeout=10"]
    return [*ssh, "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3", "root@127.0.0.1", script]


def in_vm(vm: dict[str, Any], script: str, check: bool = True, timeout: float = 120, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run(*ssh_command(vm, script), check=check, timeout=timeout, stdin=stdin)


def boot_id(vm: dict[str, Any]) -> str | None:
    try:
        command = ssh_command(vm, "cat /proc/sys/kernel/random/boot_id")
        result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def reboot(vm: dict[str, Any]) -> float:
    """Reboots the VM cleanly (the image has no logind: systemd is asked for the reboot target); returns the seconds to a
    login into the new boot."""
    before = boot_id(vm)
    assert before
    in_vm(vm, "systemctl start --no-block reboot.target", check=False, timeout=30)
    _, seconds = wait_for("a login into the new boot", lambda: (boot_id(vm) or before) != before, timeout=600)
    return seconds


def aws(service: str, endpoint: str = EMULATOR, **options: Any) -> Any:
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing", **options)


@pytest.fixture(scope="module")
def s3(vm: dict[str, Any]) -> Any:
    """S3 over the emulator's TLS listener: the share's bucket policy (file_gateway role) denies requests without TLS."""
    return aws("s3", EMULATOR_TLS, verify=str(STATE / "tls/ca.pem"))


def uploaded(s3: Any, key: str) -> Callable[[], dict[str, Any] | None]:
    def probe() -> dict[str, Any] | None:
        try:
            return s3.get_object(Bucket=BUCKET, Key=key)
        except s3.exceptions.NoSuchKey:
            return None

    return probe


@pytest.fixture(scope="module")
def probe_file(vm: dict[str, Any], s3: Any) -> dict[str, Any]:
    """A file written through the role's mount, and the object it became."""
    name = f"probe-{uuid.uuid4().hex[:8]}.txt"
    content = f"{name} written through the kernel NFS client of {VM_NAME}\n"
    in_vm(vm, f"cat >{MOUNT_POINT}/{name}", stdin=content)
    found, seconds = wait_for("the probe as an S3 object", uploaded(s3, PREFIX + name))
    print(f"write through the role's mount to object in S3: {seconds:.1f} s")
    return {"name": name, "content": content, "object": found, "body": found["Body"].read().decode()}


def test_vm_boots_and_root_logs_in_over_ssh(vm: dict[str, Any]) -> None:
    facts = in_vm(vm, "systemd-detect-virt; uname -r; hostname; ip -4 -o address show scope global | awk '{print $4}'").stdout.split()
    assert facts[0] == "qemu"
    assert facts[1].endswith("-amd64")
    assert facts[2] == VM_NAME
    assert facts[3] == "10.0.2.15/24"  # QEMU user networking
    assert qemu_pids(), "no QEMU process runs the VM"
    assert f"ansible_port: {vm['port']}" in INVENTORY.read_text()


def test_make_lab_mounted_the_share_with_the_kernel_client(vm: dict[str, Any]) -> None:
    mounts = json.loads(in_vm(vm, "findmnt --json --types nfs --output SOURCE,TARGET,FSTYPE,OPTIONS").stdout)["filesystems"]
    assert [(m["source"], m["target"], m["fstype"]) for m in mounts] == [(f"{FGW_ADDRESS}:/{SHARE}", MOUNT_POINT, "nfs")]
    assert {"rw", "nosuid", "nodev", "vers=3", "hard", f"addr={FGW_ADDRESS}"} <= set(mounts[0]["options"].split(","))
    # The kernel's NFS client, not a userspace one: its server list names the appliance.
    assert FGW_ADDRESS in in_vm(vm, "cat /proc/fs/nfsfs/servers").stdout
    fstab = [line for line in in_vm(vm, "cat /etc/fstab").stdout.splitlines() if line.startswith(f"{FGW_ADDRESS}:/{SHARE} ")]
    assert len(fstab) == 1 and fstab[0].split()[1:3] == [MOUNT_POINT, "nfs"]
    assert {"_netdev", "nosuid", "nodev", "x-systemd.automount"} <= set(fstab[0].split()[3].split(","))
    unit = in_vm(vm, f"systemd-escape --path --suffix=automount {MOUNT_POINT}").stdout.strip()
    states = in_vm(vm, f"systemctl show --property=ActiveState,SourcePath {unit} {unit.removesuffix('.automount')}.mount").stdout.split()
    assert states == ["ActiveState=active", "SourcePath=/etc/fstab"] * 2
    # nfs-host.sh up wrote through the mount and waited for the object (lab/qemu/nfs-write.yml).
    assert f"s3://{BUCKET}/{PREFIX}written-by-{VM_NAME}.txt (INTELLIGENT_TIERING)" in vm["output"]


def test_a_file_written_through_the_mount_is_an_intelligent_tiering_object(s3: Any, probe_file: dict[str, Any]) -> None:
    assert probe_file["body"] == probe_file["content"]
    head = s3.head_object(Bucket=BUCKET, Key=PREFIX + probe_file["name"])
    assert head["StorageClass"] == "INTELLIGENT_TIERING"
    # The bucket's policy holds: the same read without TLS is refused.
    plain = aws("s3")
    with pytest.raises(plain.exceptions.ClientError, match="403"):
        plain.head_object(Bucket=BUCKET, Key=PREFIX + probe_file["name"])
    assert head["Metadata"]["file-owner"] == "65534"  # root on the VM, squashed by the share


def test_a_second_run_of_the_role_changes_nothing(vm: dict[str, Any]) -> None:
    document = playbook(EMULATOR, "playbooks/onprem.yml", "-i", str(INVENTORY), "--limit", VM_NAME, "--tags", "file_gateway_mount")
    assert document["rc"] == 0, failures(document)
    assert changes(document) == []
    assert document["stats"][VM_NAME]["ok"] > 10


def test_the_mount_is_back_after_a_reboot_with_the_gateway_up(vm: dict[str, Any], probe_file: dict[str, Any]) -> None:
    seconds = reboot(vm)
    print(f"reboot to login: {seconds:.1f} s")
    # Nothing mounted yet: systemd armed the automount from fstab, and this first access mounts the share.
    assert in_vm(vm, f"cat {MOUNT_POINT}/{probe_file['name']}").stdout == probe_file["content"]
    assert MOUNT_POINT in in_vm(vm, "findmnt --noheadings --types nfs --output TARGET").stdout.split()


def test_the_boot_does_not_wait_for_a_gateway_that_does_not_answer(vm: dict[str, Any], probe_file: dict[str, Any]) -> None:
    # The lab lock is taken here, not by the lab_lock fixture, which would move the test after the others: the
    # appliance is frozen for the test only and answers again before it ends.
    # Unmounted first: this tests the boot, not a shutdown waiting on a hung server. The automount stays armed.
    in_vm(vm, f"umount {MOUNT_POINT} || true")
    # Frozen, not stopped: connections open and no NFS answer, as a hung gateway behaves.
    with lab_lock():
        run("docker", "pause", APPLIANCE_CONTAINER)
        try:
            seconds = reboot(vm)
            state = in_vm(vm, "systemctl is-system-running --wait", check=False, timeout=300).stdout.strip()
            failed_units = in_vm(vm, "systemctl list-units --failed --plain --no-legend").stdout.split()
            started = time.monotonic()
            access = in_vm(vm, f"timeout 120 stat {MOUNT_POINT}/{probe_file['name']}", check=False, timeout=180)
            access_seconds = time.monotonic() - started
        finally:
            run("docker", "unpause", APPLIANCE_CONTAINER)
    print(f"booted in {seconds:.1f} s with the gateway down (state {state}); the access failed after {access_seconds:.1f} s: {access.stderr}")
    assert state == "running"
    assert failed_units == []
    assert access.returncode not in (0, 124), "the access hung until timeout(1) ended it, or succeeded"
    assert access_seconds < 120
    # The gateway answers again: the share is back without a reboot.
    wait_for(
        "the probe through the share once the gateway answers",
        lambda: in_vm(vm, f"cat {MOUNT_POINT}/{probe_file['name']}", check=False).stdout == probe_file["content"],
        timeout=90,
    )


@pytest.fixture
def own_share(vm: dict[str, Any]) -> Iterator[dict[str, str]]:
    """A share of its own on another gateway of the appliance, exported to the VM (as the appliance sees it) only."""
    made = appliance_share.create(aws, REGION, "lab-vm", "from-vm", f"{VM_SEEN_AS}/32")
    exports = f"showmount --exports --no-headers {FGW_ADDRESS}"
    wait_for("the export, listed from the VM", lambda: f"/{made['name']} {VM_SEEN_AS}/32" in in_vm(vm, exports, check=False).stdout)
    yield made
    appliance_share.delete(aws, made)


def test_mount_by_hand_with_nfs_v3_and_v4_1(s3: Any, vm: dict[str, Any], own_share: dict[str, str]) -> None:
    name, bucket = own_share["name"], own_share["bucket"]
    for version in ("3", "4.1"):
        mount_point, file_name = f"/mnt/v{version}", f"written-over-nfs-v{version}.txt"
        in_vm(vm, f"mkdir -p {mount_point} && mount -t nfs -o nfsvers={version},nolock,hard {FGW_ADDRESS}:/{name} {mount_point}")
        try:
            mounted = json.loads(in_vm(vm, f"findmnt --json --mountpoint {mount_point} --output SOURCE,FSTYPE,OPTIONS").stdout)["filesystems"]
            assert [(m["source"], m["fstype"]) for m in mounted] == [(f"{FGW_ADDRESS}:/{name}", "nfs4" if version == "4.1" else "nfs")]
            assert f"vers={version}" in mounted[0]["options"].split(",")
            content = f"{uuid.uuid4()} written by the kernel NFS client (NFSv{version})\n"
            in_vm(vm, f"cat >{mount_point}/{file_name}", stdin=content)

            def object_body(key: str = f"from-vm/{file_name}") -> bytes | None:
                try:
                    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()
                except s3.exceptions.NoSuchKey:
                    return None

            body, seconds = wait_for(f"the NFSv{version} file as an S3 object", object_body)
            print(f"write through the kernel mount (NFSv{version}) to object in S3: {seconds:.1f} s")
            assert body.decode() == content
        finally:
            in_vm(vm, f"umount {mount_point}", check=False)


def test_down_leaves_no_process_behind(vm: dict[str, Any]) -> None:
    pid = int((STATE / f"qemu-{VM_NAME}.pid").read_text())
    assert qemu_pids() == [pid]
    run("bash", NFS_HOST_SCRIPT, "down")
    assert qemu_pids() == []
    assert not Path(f"/proc/{pid}").exists()
    assert not (STATE / f"qemu-{VM_NAME}.pid").exists()
    assert not INVENTORY.exists()
    assert run("bash", NFS_HOST_SCRIPT, "status", check=False).returncode == 3
    assert f"[127.0.0.1]:{vm['port']}" not in (STATE / "ssh" / "known_hosts").read_text()
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", vm["port"], timeout=2).connect()
