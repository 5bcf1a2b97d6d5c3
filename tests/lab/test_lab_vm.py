"""The lab's optional VM (lab/qemu/vm.sh): a Debian VM under QEMU full emulation whose kernel mounts NFS, which the lab's
container hosts cannot. It boots, root logs in over SSH on the forwarded port, a share of the lab's file gateway appliance
mounts with `mount -t nfs` (NFSv3 and NFSv4.1), a file written through the mount becomes an object in the share's S3
bucket, and stopping the VM leaves no process behind.

Runs against the running lab (brought up, and down again at the end, when it is not running); `lab.sh up` does not start
the VM, this module does. The VM's traffic leaves through this machine (QEMU user networking), so the appliance sees it as
10.254.0.193 and the share is exported to that address. Every resource made in the emulator is deleted afterwards.
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

pytestmark = pytest.mark.lab

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "lab"
STATE = LAB / ".state"
VM_SCRIPT = LAB / "qemu" / "vm.sh"
ENV = {**os.environ, "DOCKER_HOST": "unix:///run/hybridlab-docker.sock"}
REGION = "us-east-1"
EMULATOR = f"http://127.0.0.1:{os.environ.get('LAB_EMULATOR_PORT', '4566')}"
FGW_ADDRESS = "10.254.0.201"
# The machine on the lab network: the address the appliance sees the VM's NAT-ed traffic come from.
VM_SEEN_AS = "10.254.0.193"
VM_NAME = "hybridlab-vm-check"
WAIT_SECONDS = 30


def run(*args: str | Path, timeout: float = 180, check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(arg) for arg in args], env=ENV, cwd=REPO, input=stdin, capture_output=True, text=True, timeout=timeout, check=False)
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
    """The QEMU processes of the check VM, found by its -name argument (not by the pid file)."""
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
def lab() -> Iterator[None]:
    """Reuses a running lab; a lab this module brought up is taken down at the end."""
    was_up = run("bash", LAB / "lab.sh", "status", check=False).returncode == 0
    if not was_up:
        run("bash", LAB / "lab.sh", "up", timeout=900)
    yield
    if not was_up:
        run("bash", LAB / "lab.sh", "down", timeout=300)


@pytest.fixture(scope="module")
def vm(lab: None) -> Iterator[dict[str, Any]]:
    """The check VM, booted; yields its SSH port and the seconds from start to a working root login."""
    run("bash", LAB / "qemu" / "build-image.sh", timeout=900)  # a first build is not boot time
    started = time.monotonic()
    port = int(run("bash", VM_SCRIPT, "start", VM_NAME, timeout=400).stdout.split()[-1])
    seconds = time.monotonic() - started
    print(f"VM start to SSH login: {seconds:.1f} s (load {os.getloadavg()[0]:.1f})")
    yield {"port": port, "seconds": seconds}
    run("bash", VM_SCRIPT, "stop", VM_NAME, check=False)


def in_vm(vm: dict[str, Any], script: str, check: bool = True, timeout: float = 120, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    ssh = ["ssh", "-p", str(vm["port"]), "-i", STATE / "ssh" / "id_ed25519", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"]
    ssh += ["-o", f"UserKnownHostsFile={STATE / 'ssh' / 'known_hosts'}", "root@127.0.0.1", script]
    return run(*ssh, check=check, timeout=timeout, stdin=stdin)


@pytest.fixture(scope="module")
def aws(lab: None) -> Callable[[str], Any]:
    def client(service: str) -> Any:
        return boto3.client(service, endpoint_url=EMULATOR, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")

    return client


@pytest.fixture(scope="module")
def file_share(aws: Callable[[str], Any], vm: dict[str, Any]) -> Iterator[dict[str, str]]:
    """An activated gateway on the appliance with one NFS share exported to the VM (as the appliance sees it) only."""
    made = appliance_share.create(aws, REGION, "lab-vm", "from-vm", f"{VM_SEEN_AS}/32")
    name = made["name"]
    exports = f"showmount --exports --no-headers {FGW_ADDRESS}"
    _, seconds = wait_for("the export, listed from the VM", lambda: f"/{name} {VM_SEEN_AS}/32" in in_vm(vm, exports, check=False).stdout)
    print(f"file share created to NFS export listed from the VM: {seconds:.1f} s")
    yield made
    in_vm(vm, "umount -a -t nfs,nfs4", check=False)
    appliance_share.delete(aws, made)


def test_vm_boots_and_root_logs_in_over_ssh(vm: dict[str, Any]) -> None:
    assert vm["seconds"] < 300
    facts = in_vm(vm, "systemd-detect-virt; uname -r; hostname; ip -4 -o address show scope global | awk '{print $4}'").stdout.split()
    assert facts[0] == "qemu"
    assert facts[1].endswith("-amd64")
    assert facts[2] == VM_NAME
    assert facts[3] == "10.0.2.15/24"  # QEMU user networking
    status = run("bash", VM_SCRIPT, "status", VM_NAME).stdout
    assert f"ssh 127.0.0.1:{vm['port']}" in status
    assert qemu_pids(), "no QEMU process runs the VM"


@pytest.mark.parametrize("version", ["3", "4.1"])
def test_kernel_nfs_mount_writes_through_to_s3(aws: Callable[[str], Any], vm: dict[str, Any], file_share: dict[str, str], version: str) -> None:
    name, bucket = file_share["name"], file_share["bucket"]
    mount_point, file_name = f"/mnt/v{version}", f"written-over-nfs-v{version}.txt"
    started = time.monotonic()
    in_vm(vm, f"mkdir -p {mount_point} && mount -t nfs -o nfsvers={version},nolock,hard {FGW_ADDRESS}:/{name} {mount_point}")
    print(f"mount -t nfs (NFSv{version}) in the VM: {time.monotonic() - started:.1f} s")
    mounted = json.loads(in_vm(vm, f"findmnt --json --mountpoint {mount_point} --output SOURCE,FSTYPE,OPTIONS").stdout)["filesystems"]
    assert [(entry["source"], entry["fstype"]) for entry in mounted] == [(f"{FGW_ADDRESS}:/{name}", "nfs4" if version == "4.1" else "nfs")]
    assert f"vers={version}" in mounted[0]["options"].split(",")
    # The kernel's NFS client, not a userspace one: its server list names the appliance.
    assert FGW_ADDRESS in in_vm(vm, "cat /proc/fs/nfsfs/servers").stdout

    content = f"{uuid.uuid4()} written by the kernel NFS client (NFSv{version})\n"
    in_vm(vm, f"cat >{mount_point}/{file_name}", stdin=content)
    written = time.monotonic()
    s3 = aws("s3")

    def uploaded() -> bytes | None:
        try:
            return s3.get_object(Bucket=bucket, Key=f"from-vm/{file_name}")["Body"].read()
        except s3.exceptions.NoSuchKey:
            return None

    body, seconds = wait_for("the file as an S3 object", uploaded)
    print(f"write through the kernel mount (NFSv{version}) to object in S3: {seconds:.1f} s")
    assert body.decode() == content
    assert s3.head_object(Bucket=bucket, Key=f"from-vm/{file_name}")["Metadata"]["file-owner"] == "65534"  # root on the VM, squashed
    assert time.monotonic() - written < WAIT_SECONDS
    in_vm(vm, f"umount {mount_point}")


def test_stop_leaves_no_process_behind(vm: dict[str, Any]) -> None:
    pid = int((STATE / f"qemu-{VM_NAME}.pid").read_text())
    assert qemu_pids() == [pid]
    run("bash", VM_SCRIPT, "stop", VM_NAME)
    assert qemu_pids() == []
    assert not Path(f"/proc/{pid}").exists()
    assert not (STATE / f"qemu-{VM_NAME}.pid").exists()
    assert run("bash", VM_SCRIPT, "status", VM_NAME, check=False).returncode == 3
    assert f"[127.0.0.1]:{vm['port']}" not in (STATE / "ssh" / "known_hosts").read_text()
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", vm["port"], timeout=2).connect()
