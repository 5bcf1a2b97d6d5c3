"""Runs the controller configuration's job templates (controller/) the way AWX runs a job, without an AWX server.

AWX hands a job to ansible-runner as a private data directory; `Job` builds one from the job template's definition
alone: project/ a copy of the repository's tracked files (no .venv, no .collections link: what a project checkout
has), inventory/ the inventory chosen at launch (a copy, as an SCM inventory source imports it), env/extravars the
survey's defaults and the extra vars of the template's credentials, env/envvars the environment of its credentials
and the collections path AWX sets. Credentials are rendered as AWX renders injectors (every string a Jinja template
in a sandbox, the credential's inputs as its context); AWX's own "Amazon Web Services" type injects the keys as
environment variables only. The collection comes from the built tarball, installed into the job's
requirements_collections, as a project update installs a project's collections; amazon.aws and community.aws come
from the pinned `ansible` package on sys.path, as in an execution environment that carries them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ansible_runner
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# AWX's built-in credential types that these jobs use, with what they inject (awx/main/models/credential: aws).
BUILTIN_ENVIRONMENT = {"Amazon Web Services": {"AWS_ACCESS_KEY_ID": "{{ username }}", "AWS_SECRET_ACCESS_KEY": "{{ password }}"}}


class _Loader(yaml.SafeLoader):
    """Reads !unsafe (AWX injector templates kept from Ansible's templating) as plain text."""


_Loader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def controller_config() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in sorted((ROOT / "controller").glob("*.yml")):
        merged.update(yaml.load(path.read_text(), Loader=_Loader))
    return merged


def render(node: Any, inputs: dict[str, Any]) -> Any:
    """What AWX makes of an injector: every string rendered in a Jinja sandbox, dicts and lists kept as they are."""
    if isinstance(node, dict):
        return {render(key, inputs): render(value, inputs) for key, value in node.items()}
    if isinstance(node, list):
        return [render(item, inputs) for item in node]
    return ImmutableSandboxedEnvironment().from_string(node).render(**inputs)


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
    """The repository's tracked files, as a project checkout has them."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@dataclass
class JobResult:
    status: str
    rc: int
    stats: dict[str, dict[str, int]]
    stdout: str

    @property
    def changed(self) -> int:
        return sum(self.stats.get("changed", {}).values())

    @property
    def failed(self) -> int:
        return sum(self.stats.get("failures", {}).values()) + sum(self.stats.get("dark", {}).values())


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
    ) -> None:
        (self.template,) = [item for item in config["controller_templates"] if item["name"] == template_name]
        self.config = config
        # One directory per launch, as AWX makes one per job.
        self.directory = Path(tempfile.mkdtemp(prefix=template_name.replace(" ", "-") + "-", dir=base))
        shutil.copytree(project, self.directory / "project", symlinks=True)
        shutil.copytree(inventory, self.directory / "inventory")
        (self.directory / "env").mkdir(parents=True)
        extravars, envvars = self._credentials(list(self.template.get("credentials", [])) + list(extra_credentials), credential_inputs)
        for question in (self.template.get("survey_spec") or {}).get("spec", []) if self.template.get("survey_enabled") else []:
            extravars[question["variable"]] = question.get("default", "")
        envvars.update(ANSIBLE_COLLECTIONS_PATH=f"{collections}", ANSIBLE_NOCOLOR="1", PATH=f"{BIN}:/usr/bin:/bin")
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
        )
        stats = runner.stats or {}
        return JobResult(status=runner.status, rc=runner.rc, stats=stats, stdout=runner.stdout.read())
