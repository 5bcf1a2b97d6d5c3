"""The controller configuration's job templates launched against the shared lab, as AWX launches them (tests/lab).

`LabController` holds what an AWX administrator sets up once: the project (a copy of the tracked files), the
collection installed from the built tarball, the lab inventory as an SCM inventory source would import it, and the
credentials of controller/credentials.yml with the lab's values as inputs. `launch` runs one job template through
tests/support/awx_jobs.py (ansible-runner from a private data directory) and returns its events in the layout of the
ansible.posix.json callback, so that the lab tests read a job as they read a playbook run.

The lab inventory as a team would keep it for AWX differs from inventories/lab in the two places where the checkout's
paths leak into it (group_vars/onprem/connection.yml and lab_root, both found relative to inventory_dir, which is
the job's own directory in AWX): the hosts' user and key come from the Machine credential, their host keys from the
"SSH known hosts" credential written by the ssh_known_hosts role (StrictHostKeyChecking stays yes), and lab_root is
the lab's checkout. Every other variable is the lab inventory's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from support.awx_jobs import Job, JobResult, controller_config, install_collection, project_copy, source_credential_type
from support.lab_site import BIN, EMULATOR, REPO

SSH_DIR = REPO / "lab/.state/ssh"
# The credential that points a job at the lab's emulator (AWS_ENDPOINT_URL), attached to every launch as a team
# attaches an extra credential at launch (ask_credential_on_launch).
ENDPOINT = "hybridcloud.aws AWS endpoint"


def _connection(known_hosts_file: Path) -> dict[str, Any]:
    """group_vars/onprem/connection.yml of the lab inventory as kept for AWX (user and key: the Machine credential)."""
    return {
        "ansible_port": 22,
        "ansible_python_interpreter": "/usr/bin/python3",
        "ssh_known_hosts_file": str(known_hosts_file),
        "ansible_ssh_common_args": f"-o UserKnownHostsFile={known_hosts_file} -o StrictHostKeyChecking=yes",
    }


class LabController:
    """The AWX side of the lab: set up once per test session (about 10 s: the tarball is built and installed)."""

    def __init__(self, base: Path, endpoint: str = EMULATOR) -> None:
        self.base = base
        self.config = controller_config()
        self.collections = install_collection(base)
        self.project = project_copy(base / "project")
        self.inventory = base / "inventory"
        shutil.copytree(REPO / "inventories/lab", self.inventory)
        connection = self.inventory / "group_vars/onprem/connection.yml"
        connection.write_text("---\n" + yaml.safe_dump(_connection(base / "known_hosts"), sort_keys=False))
        (self.inventory / "group_vars/all/lab_root.yml").write_text("---\n" + yaml.safe_dump({"lab_root": str(REPO)}))
        lab_vault = yaml.safe_load((REPO / "inventories/lab/group_vars/all/vault.yml").read_text())
        self.inputs: dict[str, dict[str, Any]] = {
            "Amazon Web Services": {"username": "testing", "password": "testing"},
            "Machine": {"username": "root", "ssh_key_data": (SSH_DIR / "id_ed25519").read_text(), "become_method": "sudo"},
            "hybridcloud.aws SSH known hosts": {"known_hosts": (SSH_DIR / "known_hosts").read_text()},
            "hybridcloud.aws Direct Connect BGP key": {"bgp_auth_key": lab_vault["vault_hybrid_connectivity_dx_auth_key"]},
            ENDPOINT: {"endpoint_url": endpoint},
        }

    def import_source(self, name: str, region: str, group_vars: dict[str, dict[str, Any]]) -> Path:
        """The inventory AWX imports from the SCM inventory source NAME (controller/inventories.yml): the project's
        plugin configuration with the lab's region, beside the group_vars the team keeps for the lab (GROUP_VARS:
        group -> variables), read by `ansible-inventory --list --export` as an inventory update runs it, with the
        source's AWS credential and the lab's endpoint in the environment. Returns the directory holding it as a YAML
        inventory, for launch(inventory=)."""
        (source,) = [item for item in self.config["controller_inventory_sources"] if item["name"] == name]
        directory = Path(tempfile.mkdtemp(prefix="source-", dir=self.base))
        plugin_file = self.project / source["source_path"]
        plugin_config = yaml.safe_load(plugin_file.read_text())
        (directory / f"lab.{plugin_config['plugin'].rsplit('.', 1)[-1]}.yml").write_text(yaml.safe_dump({**plugin_config, "regions": [region]}))
        for group, variables in group_vars.items():
            (directory / "group_vars" / group).mkdir(parents=True)
            (directory / "group_vars" / group / "lab.yml").write_text("---\n" + yaml.safe_dump(variables))
        credential = self.inputs[source_credential_type(self.config, source)]
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "AWS_"))}
        environment.update(
            ANSIBLE_COLLECTIONS_PATH=str(self.collections),
            ANSIBLE_INVENTORY_UNPARSED_FAILED="true",
            AWS_ACCESS_KEY_ID=credential["username"],
            AWS_SECRET_ACCESS_KEY=credential["password"],
            AWS_ENDPOINT_URL=self.inputs[ENDPOINT]["endpoint_url"],
        )
        # Beside the source, not in it (ansible-inventory would read it as part of the source).
        imported = Path(tempfile.mkdtemp(prefix="imported-", dir=self.base))
        command = [str(BIN / "ansible-inventory"), "-i", str(directory), "--list", "--export", "--yaml", "--output", str(imported / "hosts.yml")]
        answer = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=self.project, timeout=120, check=False)
        assert answer.returncode == 0 and "WARNING" not in answer.stderr, answer.stderr[-2000:]
        return imported

    def job(self, template: str, inventory_vars: dict[str, Any] | None = None, inventory: Path | None = None, **launch: Any) -> Job:
        """The job of one launch. INVENTORY_VARS: variables the team set in its inventory for this run (the DR
        strategy, say), written into the job's copy of the inventory, since the templates take no extra vars.
        INVENTORY: another inventory than the lab's (import_source's), as a launch may choose."""
        # The lab's VPN tunnels keep the pre-shared keys AWS generated (the lab inventory sets none): the VPN
        # credential is detached, as controller/credentials.yml tells a team to do then.
        job = Job(
            self.config,
            template,
            base=self.base,
            project=self.project,
            collections=self.collections,
            inventory=inventory or self.inventory,
            credential_inputs=self.inputs,
            extra_credentials=(ENDPOINT,),
            detached_credentials=("hybridcloud production VPN pre-shared keys",),
            **launch,
        )
        if inventory_vars:
            (job.directory / "inventory/group_vars/all/launch.yml").write_text("---\n" + yaml.safe_dump(inventory_vars))
        return job

    def launch(self, template: str, ident: str = "job", **launch: Any) -> dict[str, Any]:
        """Runs TEMPLATE (launch: inventory_vars=, inventory=, answers=, check=, limit=); returns the json-callback document with rc, status,
        stderr (the job's stdout tail) and started (when the job began, for the emulator's request log)."""
        started = time.time()
        result: JobResult = self.job(template, **launch).run(ident)
        document = result.document()
        document.update(status=result.status, started=started, template=template)
        return document
