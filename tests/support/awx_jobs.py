"""Runs the controller configuration's job templates (controller/) the way AWX runs a job, without an AWX server.

AWX hands a job to ansible-runner as a private data directory; `Job` builds one from the job template's definition
alone: project/ a copy of the repository's tracked files (no .venv, no .collections link: what a project checkout
has), inventory/ the inventory chosen at launch (a copy, as an SCM inventory source imports it), env/extravars the
survey's defaults and the extra vars of the template's credentials, env/envvars the environment of its credentials
and the collections path AWX sets. Credentials are rendered as AWX renders injectors (every string a Jinja template
in a sandbox, the credential's inputs as its context); AWX's own "Amazon Web Services" type injects the keys as
environment variables only, its Machine type hands the key to ansible-runner (env/ssh_key, loaded into an ssh-agent)
and the user and become method to the command line. The collection comes from the built tarball, installed into the
job's requirements_collections, as a project update installs a project's collections; amazon.aws and community.aws
come from the pinned `ansible` package on sys.path, as in an execution environment that carries them. A launch may
answer the survey, ask for check mode or a limit, and attach or detach credentials, where the template allows it.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ansible_runner
import yaml
from support.awx_injectors import render

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# AWX's built-in credential types that these jobs use, with what they inject (awx/main/models/credential: aws).
BUILTIN_ENVIRONMENT = {"Amazon Web Services": {"AWS_ACCESS_KEY_ID": "{{ username }}", "AWS_SECRET_ACCESS_KEY": "{{ password }}"}}
# AWX's Machine credential: the key goes to ansible-runner (env/ssh_key), the rest onto the command line.
MACHINE = "Machine"


class _Loader(yaml.SafeLoader):
    """Reads !unsafe (AWX injector templates kept from Ansible's templating) as plain text."""


_Loader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def controller_config() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in sorted((ROOT / "controller").glob("*.yml")):
        merged.update(yaml.load(path.read_text(), Loader=_Loader))
    return merged


def source_credential_type(config: dict[str, Any], source: dict[str, Any]) -> str:
    """The credential type of an inventory source's credential (its name in controller/credentials.yml)."""
    (credential,) = [item for item in config["controller_credentials"] if item["name"] == source["credential"]]
    return credential["credential_type"]


def install_collection(base: Path) -> Path:
    """Builds the collection's tarball and installs it offline into base/collections; returns that path."""
    dist, collections = base / "dist", base / "collections"
    # Outside the checkout and without its ansible.cfg, which would find hybridcloud.aws already installed (.collections).
    environment = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    for command in (
        ["collection", "build", str(ROOT), "--output-path", str(dist)],
        ["collection", "install", "--offline", "-p", str(collections), str(dist / "*.tar.gz")],
    ):
        if "install" in command:
            command[-1] = str(next(dist.glob("hybridcloud-aws-*.tar.gz")))
        subprocess.run([str(BIN / "ansible-galaxy"), *command], cwd=base, env=environment, check=True, capture_output=True)
    assert (collections / "ansible_collections" / "hybridcloud" / "aws" / "MANIFEST.json").is_file()
    return collections


def project_copy(target: Path) -> Path:
    """The repository's tracked files, as a project checkout has them (symlinks as symlinks)."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_symlink() or source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            (target / name).symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


@dataclass
class JobResult:
    status: str
    rc: int
    stats: dict[str, dict[str, int]]
    stdout: str
    events: list[dict[str, Any]]

    @property
    def changed(self) -> int:
        return sum(self.stats.get("changed", {}).values())

    @property
    def failed(self) -> int:
        return sum(self.stats.get("failures", {}).values()) + sum(self.stats.get("dark", {}).values())

    def document(self) -> dict[str, Any]:
        """The job's events in the layout of the ansible.posix.json callback (plays, their tasks, each task's result
        per host, stats per host), which the lab tests read (tests/support/lab_site.py)."""
        return events_document(self.events, self.rc, self.stdout)


# ansible-runner's event names and what the json callback's result of that host says of them.
_RESULT_EVENTS = {
    "runner_on_ok": {},
    "runner_on_failed": {"failed": True},
    "runner_on_skipped": {"skipped": True},
    "runner_on_unreachable": {"unreachable": True},
}
# runner's stats keys -> the json callback's (per host).
_STATS = {"ok": "ok", "changed": "changed", "failures": "failures", "dark": "unreachable", "skipped": "skipped", "rescued": "rescued", "ignored": "ignored"}


def events_document(events: list[dict[str, Any]], rc: int, stdout: str) -> dict[str, Any]:
    plays: list[dict[str, Any]] = []
    tasks: dict[str, dict[str, Any]] = {}
    stats: dict[str, dict[str, int]] = {}
    for event in events:
        data = event.get("event_data", {})
        kind = event.get("event")
        if kind == "playbook_on_play_start":
            plays.append({"play": {"name": data.get("play", ""), "id": data.get("play_uuid")}, "tasks": []})
        elif kind in ("playbook_on_task_start", "playbook_on_handler_task_start") and plays:
            task = {"task": {"name": data.get("task", ""), "id": data.get("task_uuid"), "path": data.get("task_path")}, "hosts": {}}
            tasks[data.get("task_uuid")] = task
            plays[-1]["tasks"].append(task)
        elif kind in _RESULT_EVENTS and data.get("task_uuid") in tasks:
            result = {**(data.get("res") or {}), **_RESULT_EVENTS[kind]}
            if data.get("ignore_errors"):
                result["ignore_errors"] = True
            tasks[data["task_uuid"]]["hosts"][data.get("host")] = result
        elif kind == "playbook_on_stats":
            for runner_key, key in _STATS.items():
                for host, count in (data.get(runner_key) or {}).items():
                    stats.setdefault(host, dict.fromkeys(_STATS.values(), 0))[key] = count
    return {"plays": plays, "stats": stats, "rc": rc, "stderr": stdout[-4000:]}


class Job:
    """One launch of a job template: Job(config, name, ...).run(ident) -> JobResult."""

    def __init__(
        self,
        config: dict[str, Any],
        template_name: str,
        *,
        base: Path,
        project: Path,
        collections: Path,
        inventory: Path,
        credential_inputs: dict[str, dict[str, Any]],
        extra_credentials: tuple[str, ...] = (),
        detached_credentials: tuple[str, ...] = (),
        answers: dict[str, Any] | None = None,
        check: bool = False,
        limit: str | None = None,
    ) -> None:
        (self.template,) = [item for item in config["controller_templates"] if item["name"] == template_name]
        self.config = config
        # One directory per launch, as AWX makes one per job.
        self.directory = Path(tempfile.mkdtemp(prefix=template_name.replace(" ", "-") + "-", dir=base))
        shutil.copytree(project, self.directory / "project", symlinks=True)
        shutil.copytree(inventory, self.directory / "inventory")
        (self.directory / "env").mkdir(parents=True)
        self.cmdline: list[str] = []
        # The credentials the launch gives the job (ask_credential_on_launch): the template's, less those detached,
        # plus the extra ones.
        assert not (extra_credentials or detached_credentials) or self.template.get("ask_credential_on_launch"), template_name
        names = [name for name in self.template.get("credentials", []) if name not in detached_credentials] + list(extra_credentials)
        extravars, envvars = self._credentials(names, credential_inputs)
        for question in (self.template.get("survey_spec") or {}).get("spec", []) if self.template.get("survey_enabled") else []:
            extravars[question["variable"]] = (answers or {}).get(question["variable"], question.get("default", ""))
        # What the launch asks for where the template allows it: job type check, a limit.
        if check:
            assert self.template.get("ask_job_type_on_launch"), template_name
            self.cmdline.append("--check")
        if limit:
            assert self.template.get("ask_limit_on_launch") or self.template.get("limit"), template_name
            self.cmdline += ["--limit", limit]
        # The job works in its project directory, as AWX's does (PWD too: playbooks/audit.yml writes beside it).
        envvars.update(ANSIBLE_COLLECTIONS_PATH=f"{collections}", ANSIBLE_NOCOLOR="1", PATH=f"{BIN}:/usr/bin:/bin", PWD=str(self.directory / "project"))
        (self.directory / "env" / "extravars").write_text(json.dumps(extravars))
        (self.directory / "env" / "envvars").write_text(json.dumps(envvars))
        self.extravars, self.envvars = extravars, envvars

    def _credentials(self, names: list[str], credential_inputs: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], dict[str, str]]:
        credentials = {item["name"]: item for item in self.config["controller_credentials"]}
        types = {item["name"]: item for item in self.config["controller_credential_types"]}
        extravars: dict[str, Any] = {}
        envvars: dict[str, str] = {}
        for name in names:
            kind = credentials[name]["credential_type"] if name in credentials else name
            inputs = credential_inputs[kind]
            if kind in BUILTIN_ENVIRONMENT:
                envvars.update(render(BUILTIN_ENVIRONMENT[kind], inputs))
                continue
            if kind == MACHINE:
                key = self.directory / "env" / "ssh_key"
                key.write_text(inputs["ssh_key_data"])
                key.chmod(0o600)
                self.cmdline += ["-u", inputs["username"]]
                if inputs.get("become_method"):
                    self.cmdline += ["--become-method", inputs["become_method"]]
                continue
            injectors = types[kind]["injectors"]
            extravars.update(render(injectors.get("extra_vars", {}), inputs))
            envvars.update(render(injectors.get("env", {}), inputs))
        return extravars, envvars

    def run(self, ident: str) -> JobResult:
        runner = ansible_runner.run(
            private_data_dir=str(self.directory),
            playbook=self.template["playbook"],
            ident=ident,
            quiet=True,
            json_mode=False,
            cmdline=shlex.join(self.cmdline) or None,
        )
        stats = runner.stats or {}
        return JobResult(status=runner.status, rc=runner.rc, stats=stats, stdout=runner.stdout.read(), events=list(runner.events))
