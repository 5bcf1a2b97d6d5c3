#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ssm_agent_registration
version_added: 0.1.0
short_description: Register the local AWS Systems Manager agent with a hybrid activation
description:
  - Runs on an on-premises machine and registers its AWS Systems Manager (SSM) agent with a hybrid activation
    (see M(hybridcloud.aws.ssm_activation)), which makes the machine a managed instance (C(mi-) id).
  - 'Reads the agent''s registration state from O(registration_file) (C({"ManagedInstanceID": ..., "Region": ...}))
    and registers only when the machine is not registered, when it is registered in another region, when
    O(force=true), or when O(reregister_on_activation_change=true) and the machine was registered with another
    activation than O(activation_id).'
  - To know the activation, the module keeps the activation id it registered with in a marker file,
    C(.hybridcloud-activation) next to O(registration_file), readable by root only.
  - Registering runs C(amazon-ssm-agent -register -y -code CODE -id ID -region REGION) with the agent's service
    stopped, then starts the service. O(state=absent) stops the service, runs C(amazon-ssm-agent -register -clear),
    removes the registration and marker files and leaves the service stopped.
  - Re-registering or clearing leaves the old managed instance registered in AWS; the module returns its id as
    RV(previous_managed_instance_id) so the play can deregister it.
  - The agent accepts the activation code only on its command line, so while C(amazon-ssm-agent -register) runs
    (a few seconds) the code is visible in the machine's process list (C(ps)) unless C(/proc) is mounted with
    C(hidepid). The module passes it as an argument list (no shell) and the option is C(no_log), so Ansible masks
    it in the command it logs and in any output or error it returns.
  - amazon.aws and community.aws have no module that registers the SSM agent of a machine, hence this module.
    It uses no AWS SDK; the agent itself talks to AWS.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  state:
    description:
      - Whether the machine should be registered.
    choices: [present, absent]
    default: present
    type: str
  activation_id:
    description:
      - Id of the hybrid activation. Required with O(state=present).
    type: str
  activation_code:
    description:
      - Code of the hybrid activation (a secret). Required with O(state=present).
    type: str
  region:
    description:
      - AWS region of the activation. Required with O(state=present).
    type: str
  force:
    description:
      - Register again even when the machine is already registered as wanted. Not idempotent.
    type: bool
    default: false
  reregister_on_activation_change:
    description:
      - Register again when the machine was registered with another activation than O(activation_id), or when
        the module did not register it (no marker file).
      - Off by default because M(hybridcloud.aws.ssm_activation) renews activations (for example when their
        registration limit is reached); registering every machine again on each renewal would give each one a
        new managed instance id, leave the old ones behind, and use up the new activation's registrations.
    type: bool
    default: false
  service_name:
    description:
      - Name of the agent's service, stopped before and started after registering.
    type: str
    default: amazon-ssm-agent
  manage_service:
    description:
      - Whether to stop and start O(service_name) around registering (with C(systemctl), or C(service) where
        systemd is missing).
    type: bool
    default: true
  agent_path:
    description:
      - Path of the C(amazon-ssm-agent) executable; looked up in the PATH, C(/usr/bin) and the snap's directory
        when not set.
    type: path
  registration_file:
    description:
      - The agent's registration file.
    type: path
    default: /var/lib/amazon/ssm/registration
notes:
  - Supports C(check_mode) and C(diff). Check mode runs neither the agent nor the service manager.
  - In check mode an empty O(activation_id) or O(activation_code) only warns, because an activation that
    M(hybridcloud.aws.ssm_activation) would create in the same check run has neither yet.
  - Needs root on the machine (C(become=true)).
attributes:
  check_mode:
    support: full
    details:
      - Runs neither the agent nor the service manager.
      - An activation that M(hybridcloud.aws.ssm_activation) would create in the same check run has no id or code yet;
        the module then warns and predicts a registration.
  diff_mode:
    support: full
  platform:
    platforms: linux
    details:
      - Runs the SSM agent's C(amazon-ssm-agent -register) and C(systemctl) (or C(service)) on the managed host; needs
        no AWS SDK. Tested on Debian 12 (bookworm) hosts only.
extends_documentation_fragment:
  - hybridcloud.aws.attributes
"""

EXAMPLES = r"""
- name: Register the SSM agent of each on-premises host
  hybridcloud.aws.ssm_agent_registration:
    activation_id: "{{ ssm_activation_id }}"
    activation_code: "{{ ssm_activation_code }}"
    region: eu-central-1
  become: true
  register: ssm_registration

- name: Take a host out of Systems Manager
  hybridcloud.aws.ssm_agent_registration:
    state: absent
  become: true
  register: ssm_unregistration

- name: Deregister the old managed instance in AWS (on the controller)
  ansible.builtin.debug:
    msg: "deregister {{ ssm_unregistration.previous_managed_instance_id }}"
  when: ssm_unregistration.previous_managed_instance_id
"""

RETURN = r"""
managed_instance_id:
  description: Managed instance id of the machine after the run; null when it is not registered (or in check mode before a registration).
  returned: always
  type: str
  sample: mi-0123456789abcdef0
region:
  description: Region the machine is registered in; null when it is not registered.
  returned: always
  type: str
  sample: eu-central-1
activation_id:
  description: Activation the module registered the machine with (from its marker file); null when unknown.
  returned: always
  type: str
  sample: 4d5b9c7e-8f3a-4e2b-9a61-2f3c4d5e6f70
previous_managed_instance_id:
  description: Managed instance id the machine had before it was registered again or cleared by this run, else null.
  returned: always
  type: str
  sample: mi-0fedcba9876543210
previous_region:
  description:
    - Region of RV(previous_managed_instance_id), where that managed instance is deregistered; null when there is none.
    - It differs from RV(region) when the machine moved to another region (a disaster recovery failover).
  returned: always
  type: str
  sample: us-east-1
registration_reasons:
  description: Why the machine was (or would be) registered, or its registration removed.
  returned: always
  type: list
  elements: str
  sample: ["registered in us-east-1, wanted in eu-central-1"]
"""

import json
import os
import tempfile

from ansible.module_utils.basic import AnsibleModule

MARKER_NAME = ".hybridcloud-activation"
AGENT_NAME = "amazon-ssm-agent"
AGENT_DIRS = ["/usr/bin", "/usr/local/bin", "/snap/amazon-ssm-agent/current"]


def read_registration(module, path):
    """{"managed_instance_id", "region"} from the agent's registration file; empty values when not registered."""
    try:
        with open(path) as handle:
            content = json.load(handle)
    except FileNotFoundError:
        content = {}
    except PermissionError as error:
        module.fail_json(msg=f"cannot read {path}: {error} (run the task with become=true)")
    except (OSError, ValueError) as error:
        module.warn(f"ignoring unreadable registration file {path}: {error}")
        content = {}
    if not isinstance(content, dict):
        content = {}
    return {"managed_instance_id": content.get("ManagedInstanceID") or None, "region": content.get("Region") or None}


def read_marker(path):
    try:
        with open(path) as handle:
            return handle.read().strip() or None
    except FileNotFoundError:
        return None


def write_marker(path, activation_id):
    """Writes the marker atomically, mode 0600 from the start."""
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=MARKER_NAME + ".")
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(activation_id + "\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def remove_file(path):
    try:
        os.remove(path)
        return True
    except FileNotFoundError:
        return False


def registration_reasons(params, current, marker):
    reasons = []
    if not current["managed_instance_id"]:
        return ["not registered"]
    if current["region"] != params["region"]:
        reasons.append(f"registered in {current['region']}, wanted in {params['region']}")
    if params["reregister_on_activation_change"] and marker != params["activation_id"]:
        reasons.append(f"registered with activation {marker or 'unknown'}, wanted {params['activation_id']}")
    if params["force"]:
        reasons.append("force")
    return reasons


class Agent:
    """The agent's executable and its service, run through module.run_command (argument lists, no shell)."""

    def __init__(self, module):
        self.module = module
        params = module.params
        self.path = params["agent_path"] or module.get_bin_path(AGENT_NAME, opt_dirs=AGENT_DIRS)
        self.service = params["service_name"] if params["manage_service"] else None

    def require(self):
        if not self.path or not os.access(self.path, os.X_OK):
            self.module.fail_json(msg=f"cannot find the executable {self.path or AGENT_NAME}: install the SSM agent first or set agent_path")

    def run(self, arguments, what):
        rc, stdout, stderr = self.module.run_command([self.path, *arguments])
        if rc != 0:
            self.service_action("start", best_effort=True)
            self.module.fail_json(msg=f"amazon-ssm-agent failed to {what} (exit code {rc})", rc=rc, stdout=stdout, stderr=stderr)

    def register(self, activation_id, activation_code, region):
        self.run(["-register", "-y", "-code", activation_code, "-id", activation_id, "-region", region], "register")

    def clear(self):
        self.run(["-register", "-clear"], "clear its registration")

    def service_action(self, action, best_effort=False):
        if not self.service:
            return
        systemctl = self.module.get_bin_path("systemctl")
        if systemctl:
            command = [systemctl, action, self.service]
        else:
            service = self.module.get_bin_path("service")
            if not service:
                if best_effort:
                    return
                self.module.fail_json(msg="neither systemctl nor service is available: set manage_service=false to leave the agent's service alone")
            command = [service, self.service, action]
        rc, stdout, stderr = self.module.run_command(command)
        if rc != 0 and not best_effort:
            self.module.fail_json(msg=f"cannot {action} the service {self.service}", rc=rc, stdout=stdout, stderr=stderr)


def ensure_present(module, agent, current, marker_path):
    params = module.params
    marker = read_marker(marker_path)
    reasons = registration_reasons(params, current, marker)
    after = dict(current, activation_id=marker)
    previous = {"managed_instance_id": None, "region": None}
    if reasons:
        previous = current
        after = {"managed_instance_id": None, "region": params["region"], "activation_id": params["activation_id"]}
        if not module.check_mode:
            agent.require()
            agent.service_action("stop")
            agent.register(params["activation_id"], params["activation_code"], params["region"])
            registered = read_registration(module, params["registration_file"])
            if not registered["managed_instance_id"]:
                agent.service_action("start", best_effort=True)
                module.fail_json(msg=f"amazon-ssm-agent reported success but {params['registration_file']} holds no managed instance id")
            write_marker(marker_path, params["activation_id"])
            agent.service_action("start")
            after = dict(registered, activation_id=params["activation_id"])
    return after, previous, reasons


def ensure_absent(module, agent, current, marker_path):
    marker = read_marker(marker_path)
    registered = bool(current["managed_instance_id"])
    leftovers = registered or marker is not None or os.path.exists(module.params["registration_file"])
    if leftovers and not module.check_mode:
        agent.service_action("stop")
        if registered and agent.path:
            agent.require()
            agent.clear()
        remove_file(module.params["registration_file"])
        remove_file(marker_path)
    after = {"managed_instance_id": None, "region": None, "activation_id": None}
    return after, current, ["remove registration"] if leftovers else []


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type="str", default="present", choices=["present", "absent"]),
            activation_id=dict(type="str"),
            activation_code=dict(type="str", no_log=True),
            region=dict(type="str"),
            force=dict(type="bool", default=False),
            reregister_on_activation_change=dict(type="bool", default=False),
            service_name=dict(type="str", default="amazon-ssm-agent"),
            manage_service=dict(type="bool", default=True),
            agent_path=dict(type="path"),
            registration_file=dict(type="path", default="/var/lib/amazon/ssm/registration"),
        ),
        required_if=[("state", "present", ["activation_id", "activation_code", "region"])],
        supports_check_mode=True,
    )
    params = module.params
    if params["state"] == "present":
        missing = [name for name in ("activation_id", "activation_code", "region") if not params[name]]
        # In check mode an activation that ssm_activation would create has no id or code yet.
        if missing and not (module.check_mode and "region" not in missing):
            module.fail_json(msg=f"state=present needs a value for: {', '.join(missing)}")
        if missing:
            module.warn(f"check mode without {' and '.join(missing)}: the prediction assumes the activation does not change")

    marker_path = os.path.join(os.path.dirname(params["registration_file"]), MARKER_NAME)
    current = read_registration(module, params["registration_file"])
    before = dict(current, activation_id=read_marker(marker_path))
    agent = Agent(module)
    if params["state"] == "present":
        after, previous, reasons = ensure_present(module, agent, current, marker_path)
    else:
        after, previous, reasons = ensure_absent(module, agent, current, marker_path)

    module.exit_json(
        changed=bool(reasons),
        managed_instance_id=after["managed_instance_id"],
        region=after["region"],
        activation_id=after["activation_id"],
        previous_managed_instance_id=previous["managed_instance_id"],
        previous_region=previous["region"],
        registration_reasons=reasons,
        diff={"before": before, "after": after},
    )


if __name__ == "__main__":
    main()
