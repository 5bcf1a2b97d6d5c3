#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: service_config_freshness
version_added: 0.1.0
short_description: Tell whether a running service started before its configuration files last changed
description:
  - Runs on a host and compares the start time of a systemd service's main process with the modification times of
    files the service reads when it starts (its configuration, its unit drop-ins).
  - A run that changed such a file and stopped before its handler restarted the service (a cancelled job, a lost
    controller, a reboot between the two) leaves the service running with the old configuration, and nothing
    notifies the restart again, since the next run finds the file as it wants it. This module finds that state, so
    that a task can notify the restart (C(changed_when) on RV(stale)).
  - Only reads, with C(systemctl show) for the main process, C(/proc) for its start time and C(stat) for the files.
options:
  name:
    description:
      - Name of the systemd unit.
    type: str
    required: true
  paths:
    description:
      - Files the service reads when it starts. A missing file is left out (a file the run removes, such as a drop-in
        no longer wanted, is the run's own change to notify).
    type: list
    elements: path
    required: true
  tolerance:
    description:
      - Seconds by which a file may be newer than the process before it counts. The process's start time is known to
        the kernel's clock tick (10 ms on most systems), and a package that writes a file and starts the service in
        one step would otherwise look stale.
    type: float
    default: 1.0
notes:
  - Supports C(check_mode); it never changes anything, so it reports RV(stale) in check mode too.
  - A service that is not running is not stale, since it reads its files when it starts.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: linux
    details:
      - Needs systemd's C(systemctl) and the Linux C(/proc) file system.
extends_documentation_fragment:
  - hybridcloud.aws.attributes
author:
  - hybridcloud.aws maintainers (@hybridcloud)
"""

EXAMPLES = r"""
- name: Write the agent's configuration
  ansible.builtin.copy:
    src: agent.json
    dest: /etc/amazon/ssm/amazon-ssm-agent.json
    mode: "0644"
  notify: Restart the SSM agent

# An earlier run may have written the file and stopped before its handler ran.
- name: Restart the agent if it started before its configuration last changed
  hybridcloud.aws.service_config_freshness:
    name: amazon-ssm-agent
    paths:
      - /etc/amazon/ssm/amazon-ssm-agent.json
      - /etc/systemd/system/amazon-ssm-agent.service.d/proxy.conf
  register: agent_freshness
  changed_when: agent_freshness.stale
  notify: Restart the SSM agent
"""

RETURN = r"""
running:
  description: Whether the service has a main process.
  returned: always
  type: bool
  sample: true
started:
  description: When the main process started, in seconds since the epoch; null when it does not run.
  returned: always
  type: float
  sample: 1796706000.52
stale:
  description: Whether a file of O(paths) changed after the main process started (by more than O(tolerance)).
  returned: always
  type: bool
  sample: false
newer_paths:
  description: The files of O(paths) that changed after the main process started.
  returned: always
  type: list
  elements: str
  sample: ["/etc/amazon/ssm/amazon-ssm-agent.json"]
"""

import os

from ansible.module_utils.basic import AnsibleModule


def boot_time(proc="/proc"):
    """The boot time in seconds since the epoch (the btime line of /proc/stat)."""
    with open(os.path.join(proc, "stat")) as handle:
        for line in handle:
            if line.startswith("btime "):
                return float(line.split()[1])
    raise ValueError("no btime in /proc/stat")


def process_start(pid, proc="/proc"):
    """When process pid started, in seconds since the epoch: field 22 of /proc/<pid>/stat counts clock ticks since boot.
    The command name (field 2) may hold spaces and parentheses, so the fields are counted after its last ')'."""
    with open(os.path.join(proc, str(pid), "stat")) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return boot_time(proc) + int(fields[19]) / os.sysconf("SC_CLK_TCK")


def newer_than(paths, started, tolerance):
    """The paths that exist and were modified more than tolerance seconds after started."""
    newer = []
    for path in paths:
        try:
            modified = os.stat(path).st_mtime
        except FileNotFoundError:
            continue
        if modified > started + tolerance:
            newer.append(path)
    return newer


def main_pid(module, name):
    systemctl = module.get_bin_path("systemctl", required=True)
    rc, stdout, stderr = module.run_command([systemctl, "show", "--property=MainPID", name])
    if rc != 0:
        module.fail_json(msg=f"systemctl show {name} failed (exit code {rc})", rc=rc, stdout=stdout, stderr=stderr)
    value = stdout.strip().partition("=")[2]
    return int(value) if value.isdigit() else 0


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            paths=dict(type="list", elements="path", required=True),
            tolerance=dict(type="float", default=1.0),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if params["tolerance"] < 0:
        module.fail_json(msg=f"tolerance must not be negative, got {params['tolerance']}")
    pid = main_pid(module, params["name"])
    started = None
    if pid:
        try:
            started = process_start(pid)
        except (OSError, ValueError, IndexError):  # the process ended between the two reads: not running
            started = None
    newer = newer_than(params["paths"], started, params["tolerance"]) if started is not None else []
    module.exit_json(changed=False, running=started is not None, started=started, stale=bool(newer), newer_paths=newer)


if __name__ == "__main__":
    main()
