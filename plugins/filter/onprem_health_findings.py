# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible.errors import AnsibleFilterError

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: onprem_health_findings
short_description: What is wrong with an on-prem host's agents and NFS mounts, from what was read on the host
version_added: 0.1.0
description:
  - Decides, from the facts the playbook C(hybridcloud.aws.onprem_health) reads on one on-prem host, every finding of
    its day-2 health check, as one sentence each, in a fixed order. An empty list is a healthy host. It calls nothing.
  - Services - each unit of C(services) must be running and enabled (C(ansible.builtin.service_facts)), the systemd
    unit C(NAME.service), else the service C(NAME) of another init system.
  - SSM agent - the registration file (JSON with C(ManagedInstanceID)) must exist and name a C(mi-) instance; when the
    inventory says which instance the host is (C(instance_id), as P(hybridcloud.aws.ssm_managed_instances#inventory) gives it)
    the two must be the same, and the inventory's C(ping_status), when given, must be V(Online).
  - ECS agent - its introspection API must answer with a container instance ARN and a cluster, the cluster
    C(ecs_cluster) when that is given.
  - NFS - every C(nfs)/C(nfs4) line of C(/etc/fstab) without C(noauto) must be mounted over NFS at its mount point
    (C(/proc/self/mountinfo)); a line with C(x-systemd.automount) may instead have its automount point armed
    (C(autofs)). Skipped when O(_input.check_mounts) is false.
options:
  _input:
    description: What was read on the host.
    type: dict
    required: true
    suboptions:
      services:
        description: The units that must be running and enabled.
        type: list
        elements: str
        required: true
      service_facts:
        description: C(ansible_facts.services) as C(ansible.builtin.service_facts) returns it.
        type: dict
        required: true
      registration:
        description: The text of the SSM agent's registration file; empty when the file is missing.
        type: str
        default: ""
      instance_id:
        description: The managed instance id the inventory gives the host; empty when it gives none.
        type: str
        default: ""
      ping_status:
        description: The agent's ping status the inventory gives the host; empty when it gives none.
        type: str
        default: ""
      ecs_metadata:
        description: The ECS agent's introspection answer (C(/v1/metadata)); empty when it did not answer.
        type: dict
        default: {}
      ecs_cluster:
        description: The cluster the agent must have joined; empty accepts any.
        type: str
        default: ""
      check_mounts:
        description: Judge the NFS lines of C(fstab) against C(mountinfo).
        type: bool
        default: true
      fstab:
        description: The text of C(/etc/fstab).
        type: str
        default: ""
      mountinfo:
        description: The text of C(/proc/self/mountinfo).
        type: str
        default: ""
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide what is wrong with the host
  ansible.builtin.set_fact:
    my_findings: >-
      {{ {'services': ['docker', 'amazon-ssm-agent', 'ecs'], 'service_facts': ansible_facts.services,
          'registration': my_registration.content | default('') | b64decode,
          'fstab': my_fstab.content | b64decode, 'mountinfo': my_mountinfo.content | b64decode}
         | hybridcloud.aws.onprem_health_findings }}
"""

RETURN = r"""
_value:
  description: One sentence per finding; empty when the host is healthy.
  type: list
  elements: str
  sample:
    - "ecs: not running (stopped)"
    - "SSM agent: registered as mi-0123456789abcdef0, but Systems Manager lists this host as mi-0fedcba9876543210"
    - "NFS /mnt/backups (gateway:/backups): not mounted"
"""

NFS_TYPES = ("nfs", "nfs4")


def _service_findings(names, facts):
    findings = []
    for name in names:
        # The systemd unit first: a package may also ship a SysV script, which service_facts lists under the bare
        # name without an enabled status (docker-ce's /etc/init.d/docker).
        unit = facts.get(name + ".service") or facts.get(name)
        if unit is None:
            findings.append(f"{name}: not installed (no such unit)")
            continue
        if unit.get("state") != "running":
            findings.append(f"{name}: not running ({unit.get('state')})")
        if unit.get("status") not in ("enabled", "static", "alias"):
            findings.append(f"{name}: not enabled at boot ({unit.get('status')})")
    return findings


def _ssm_findings(registration, instance_id, ping_status):
    if not registration.strip():
        return ["SSM agent: not registered (no registration file)"]
    try:
        registered = json.loads(registration).get("ManagedInstanceID") or ""
    except (ValueError, AttributeError):
        return ["SSM agent: the registration file is not the agent's JSON"]
    findings = []
    if not registered.startswith("mi-"):
        findings.append(f"SSM agent: the registration names no managed instance ({registered or 'empty'})")
    elif instance_id and registered != instance_id:
        findings.append(f"SSM agent: registered as {registered}, but Systems Manager lists this host as {instance_id}")
    if ping_status and ping_status != "Online":
        findings.append(f"SSM agent: Systems Manager reports ping status {ping_status}")
    return findings


def _ecs_findings(metadata, cluster):
    if not metadata:
        return ["ECS agent: the introspection API does not answer"]
    if not metadata.get("ContainerInstanceArn"):
        return ["ECS agent: not registered with ECS (no container instance)"]
    joined = metadata.get("Cluster") or ""
    if cluster and joined not in (cluster, cluster.rsplit("/", 1)[-1]):
        return [f"ECS agent: joined cluster {joined or 'none'}, not {cluster}"]
    return []


def _fstab_nfs_lines(text):
    """(device, mount point, options) of the NFS lines of fstab(5) text."""
    for line in text.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#") or len(fields) < 3 or fields[2] not in NFS_TYPES:
            continue
        yield fields[0], fields[1], (fields[3] if len(fields) > 3 else "defaults").split(",")


def _mount_findings(fstab, mountinfo):
    from ansible_collections.hybridcloud.aws.plugins.filter.mountinfo_filesystems import mountinfo_filesystems

    mounted = mountinfo_filesystems(mountinfo)
    findings = []
    for device, path, options in _fstab_nfs_lines(fstab):
        types = mounted.get(path, [])
        if any(kind in NFS_TYPES for kind in types):
            continue
        if "x-systemd.automount" in options:
            if "autofs" not in types:
                findings.append(f"NFS {path} ({device}): neither mounted nor its automount armed")
        elif "noauto" not in options:
            findings.append(f"NFS {path} ({device}): not mounted")
    return findings


def onprem_health_findings(observed):
    """The findings of one on-prem host's health check, as documented above."""
    if not isinstance(observed, dict) or "services" not in observed or "service_facts" not in observed:
        raise AnsibleFilterError("onprem_health_findings: the input must be a dict with services and service_facts")
    findings = _service_findings(observed["services"], observed["service_facts"] or {})
    findings += _ssm_findings(observed.get("registration") or "", observed.get("instance_id") or "", observed.get("ping_status") or "")
    findings += _ecs_findings(observed.get("ecs_metadata") or {}, observed.get("ecs_cluster") or "")
    if observed.get("check_mounts", True):
        findings += _mount_findings(observed.get("fstab") or "", observed.get("mountinfo") or "")
    return findings


class FilterModule:
    def filters(self):
        return {"onprem_health_findings": onprem_health_findings}
