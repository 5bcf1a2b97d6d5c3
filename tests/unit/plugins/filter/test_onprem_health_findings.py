"""onprem_health_findings: the day-2 health check's verdict on one on-prem host (playbooks/onprem_health.yml)."""

import json

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hybridcloud.aws.plugins.filter.onprem_health_findings import FilterModule

onprem_health_findings = FilterModule().filters()["onprem_health_findings"]

SERVICES = ["docker", "amazon-ssm-agent", "ecs"]
RUNNING = {f"{name}.service": {"name": f"{name}.service", "state": "running", "status": "enabled", "source": "systemd"} for name in SERVICES}
REGISTRATION = json.dumps({"ManagedInstanceID": "mi-0123456789abcdef0", "Region": "eu-central-1"})
CONTAINER_INSTANCE = "arn:aws:ecs:eu-central-1:123456789012:container-instance/hybridcloud/0f1e"
METADATA = {"Cluster": "hybridcloud", "ContainerInstanceArn": CONTAINER_INSTANCE, "Version": "Amazon ECS Agent - v1.89.0"}
# /etc/fstab as the file_gateway_mount role writes it (an automount share, a nofail share), beside the system's lines.
FSTAB = """# /etc/fstab: static file system information.
UUID=2f7c3e2a-0d1b-4d0e-9d3c-6a1d2b3c4d5e / ext4 errors=remount-ro 0 1
10.0.3.17:/backups /mnt/backups nfs nfsvers=3,hard,timeo=600,retrans=2,nosuid,nodev,x-systemd.automount,x-systemd.mount-timeout=30 0 0
10.0.3.17:/media /srv/media nfs nfsvers=3,hard,ro,nosuid,nodev,_netdev,nofail 0 0
10.0.3.17:/archive /mnt/archive nfs4 noauto,nosuid,nodev 0 0
"""
ROOT_MOUNT = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro"
AUTOFS = "40 22 0:35 / /mnt/backups rw,relatime shared:20 - autofs systemd-1 rw,fd=49,pgrp=1,timeout=0,minproto=5,maxproto=5,direct"
NFS_BACKUPS = "41 40 0:36 / /mnt/backups rw,nosuid,nodev,relatime shared:21 - nfs 10.0.3.17:/backups rw,vers=3,hard,proto=tcp,timeo=600,retrans=2"
NFS_MEDIA = "42 22 0:37 / /srv/media ro,nosuid,nodev,relatime shared:22 - nfs 10.0.3.17:/media ro,vers=3,hard,proto=tcp,timeo=600,retrans=2"


def healthy(**changes):
    observed = {
        "services": SERVICES,
        "service_facts": RUNNING,
        "registration": REGISTRATION,
        "instance_id": "mi-0123456789abcdef0",
        "ping_status": "Online",
        "ecs_metadata": METADATA,
        "ecs_cluster": "hybridcloud",
        "fstab": FSTAB,
        "mountinfo": "\n".join([ROOT_MOUNT, AUTOFS, NFS_BACKUPS, NFS_MEDIA]),
    }
    observed.update(changes)
    return observed


def test_a_healthy_host_has_no_finding():
    assert onprem_health_findings(healthy()) == []


def test_an_armed_automount_not_yet_mounted_is_healthy_and_the_project_inventory_gives_no_instance():
    observed = healthy(instance_id="", ping_status="", ecs_cluster="", mountinfo="\n".join([ROOT_MOUNT, AUTOFS, NFS_MEDIA]))
    assert onprem_health_findings(observed) == []


def test_the_systemd_unit_counts_not_a_sysv_script_of_the_same_name():
    # service_facts on Debian with docker-ce: the unit and, from `service --status-all`, its SysV script.
    facts = {**RUNNING, "docker": {"name": "docker", "state": "running", "source": "sysv"}}
    assert onprem_health_findings(healthy(service_facts=facts)) == []


def test_services_stopped_disabled_or_missing_are_named():
    facts = dict(RUNNING)
    facts["ecs.service"] = {**facts["ecs.service"], "state": "stopped"}
    facts["docker.service"] = {**facts["docker.service"], "status": "disabled"}
    del facts["amazon-ssm-agent.service"]
    assert onprem_health_findings(healthy(service_facts=facts)) == [
        "docker: not enabled at boot (disabled)",
        "amazon-ssm-agent: not installed (no such unit)",
        "ecs: not running (stopped)",
    ]


@pytest.mark.parametrize(
    ("registration", "instance_id", "ping_status", "finding"),
    [
        ("", "mi-0123456789abcdef0", "Online", "SSM agent: not registered (no registration file)"),
        ("not json", "", "", "SSM agent: the registration file is not the agent's JSON"),
        (json.dumps({"ManagedInstanceID": ""}), "", "", "SSM agent: the registration names no managed instance (empty)"),
        (
            REGISTRATION,
            "mi-0fedcba9876543210",
            "Online",
            "SSM agent: registered as mi-0123456789abcdef0, but Systems Manager lists this host as mi-0fedcba9876543210",
        ),
        (REGISTRATION, "mi-0123456789abcdef0", "ConnectionLost", "SSM agent: Systems Manager reports ping status ConnectionLost"),
    ],
)
def test_the_ssm_registration_is_judged_against_the_inventory(registration, instance_id, ping_status, finding):
    assert onprem_health_findings(healthy(registration=registration, instance_id=instance_id, ping_status=ping_status)) == [finding]


@pytest.mark.parametrize(
    ("metadata", "cluster", "finding"),
    [
        ({}, "hybridcloud", "ECS agent: the introspection API does not answer"),
        ({"Cluster": "hybridcloud", "Version": "v1"}, "hybridcloud", "ECS agent: not registered with ECS (no container instance)"),
        (METADATA, "production", "ECS agent: joined cluster hybridcloud, not production"),
    ],
)
def test_the_ecs_agent_is_judged_by_its_introspection_answer(metadata, cluster, finding):
    assert onprem_health_findings(healthy(ecs_metadata=metadata, ecs_cluster=cluster)) == [finding]


def test_the_cluster_may_be_given_as_an_arn():
    assert onprem_health_findings(healthy(ecs_cluster="arn:aws:ecs:eu-central-1:123456789012:cluster/hybridcloud")) == []


def test_nfs_lines_not_mounted_are_named_and_noauto_lines_are_not_expected():
    assert onprem_health_findings(healthy(mountinfo=ROOT_MOUNT)) == [
        "NFS /mnt/backups (10.0.3.17:/backups): neither mounted nor its automount armed",
        "NFS /srv/media (10.0.3.17:/media): not mounted",
    ]


def test_mounts_are_not_judged_when_the_check_is_off():
    assert onprem_health_findings(healthy(mountinfo=ROOT_MOUNT, check_mounts=False)) == []


def test_input_without_services_fails():
    with pytest.raises(AnsibleFilterError, match="services and service_facts"):
        onprem_health_findings({"registration": REGISTRATION})
