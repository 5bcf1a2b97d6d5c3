"""The AWX / Automation Platform configuration as code (controller/, infra.aap_configuration's variable format) against
what the collection really has: without a controller, everything a controller would only find out at launch.

(a) every job template's playbook exists and ships in the collection, every shipped playbook has a job template, and
    every survey question matches the variable it feeds: a role option (name, type, choices, required, default) or
    a play variable its playbook reads; (b) every credential type's injectors produce exactly variables the roles
    declare (keys and sub-keys against meta/argument_specs.yml, secret inputs only into no_log options) and
    environment variables boto3 reads; and the references between the objects resolve.
"""

from __future__ import annotations

import base64
import fnmatch
import inspect
import re
from pathlib import Path
from typing import Any

import boto3
import botocore.configprovider
import pytest
import yaml
from dateutil.rrule import rrulestr
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from support.awx_injectors import render

from ansible_collections.hybridcloud.aws.plugins.filter.known_hosts_entries import known_hosts_entries

ROOT = Path(__file__).resolve().parents[2]
CONTROLLER = ROOT / "controller"
# Credential types AWX ships (referenced by name, not defined here).
BUILTIN_CREDENTIAL_TYPES = {"Amazon Web Services", "Machine", "Source Control"}
# Survey types and the argument-spec type each produces.
SURVEY_TYPES = {"text": "str", "textarea": "str", "password": "str", "integer": "int", "float": "float", "multiplechoice": "str", "multiselect": "list"}
# Playbooks that are no job template on purpose, with the reason.
NOT_TEMPLATES = {
    "playbooks/report.yml": "writes its report files on the controller; in an execution environment they vanish with the job",
}


class Loader(yaml.SafeLoader):
    """Reads !unsafe (AWX injector templates kept from Ansible's templating) as plain text."""


Loader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def load(name: str) -> dict[str, Any]:
    return yaml.load((CONTROLLER / name).read_text(), Loader=Loader)


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in sorted(CONTROLLER.glob("*.yml")):
        merged.update(load(path.name))
    return merged


def role_options() -> dict[str, dict[str, Any]]:
    """Every option of every entry point of every role: name -> its argument spec."""
    options: dict[str, dict[str, Any]] = {}
    for spec_file in sorted(ROOT.glob("roles/*/meta/argument_specs.yml")):
        for entry in yaml.safe_load(spec_file.read_text())["argument_specs"].values():
            options.update(entry.get("options", {}))
    return options


OPTIONS = role_options()


def shipped(path: Path) -> bool:
    """Whether galaxy.yml's build_ignore keeps the file in the tarball."""
    relative = path.relative_to(ROOT).as_posix()
    ignored = yaml.safe_load((ROOT / "galaxy.yml").read_text()).get("build_ignore", [])
    return not any(fnmatch.fnmatch(relative, pattern) or relative.startswith(pattern.rstrip("/") + "/") for pattern in ignored)


def collection_playbooks() -> set[str]:
    playbooks = ROOT / "playbooks"
    return {path.relative_to(ROOT).as_posix() for path in playbooks.rglob("*.yml") if "templates" not in path.parts and shipped(path)}


# --- (a) job templates and surveys --------------------------------------------------------------------------------


def test_every_template_playbook_exists_and_ships_in_the_collection(config: dict[str, Any]) -> None:
    for template in config["controller_templates"]:
        path = ROOT / template["playbook"]
        assert path.is_file(), f"{template['name']}: {template['playbook']} does not exist"
        assert shipped(path), f"{template['name']}: {template['playbook']} is left out of the tarball"


def test_every_playbook_of_the_collection_has_a_template(config: dict[str, Any]) -> None:
    templated = {template["playbook"] for template in config["controller_templates"]}
    missing = collection_playbooks() - templated - set(NOT_TEMPLATES)
    assert not missing, f"playbooks without a job template: {sorted(missing)}"


def _survey_questions(config: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (template["name"], template["playbook"], question)
        for template in config["controller_templates"]
        if template.get("survey_enabled")
        for question in template["survey_spec"]["spec"]
    ]


def test_there_is_a_survey_to_check(config: dict[str, Any]) -> None:
    assert {entry[2]["variable"] for entry in _survey_questions(config)} >= {"hybridcloud_onprem_hosts", "file_gateway_mount_state"}


def test_survey_questions_match_the_role_options_they_feed(config: dict[str, Any]) -> None:
    for name, playbook, question in _survey_questions(config):
        variable, kind = question["variable"], question["type"]
        assert kind in SURVEY_TYPES, f"{name}: {variable} has the unknown survey type {kind}"
        choices = (
            [choice for choice in question.get("choices", "").split("\n") if choice] if isinstance(question.get("choices", ""), str) else question["choices"]
        )
        if variable not in OPTIONS:
            # A play variable: the template's playbook must read it.
            assert re.search(rf"\b{variable}\b", (ROOT / playbook).read_text()), f"{name}: {variable} is no role option and {playbook} does not read it"
            continue
        spec = OPTIONS[variable]
        assert SURVEY_TYPES[kind] == spec.get("type", "str"), f"{name}: {variable} is {spec.get('type', 'str')} in the role, the survey gives {kind}"
        assert bool(question.get("required")) == bool(spec.get("required")), f"{name}: {variable} required differs from the role"
        if "choices" in spec or choices:
            assert choices == spec.get("choices"), f"{name}: {variable} choices {choices} differ from the role's {spec.get('choices')}"
        if question.get("default") not in ("", None):
            assert question["default"] in choices if choices else True, f"{name}: {variable} default is no choice"
            if "default" in spec:
                assert question["default"] == spec["default"], f"{name}: {variable} default differs from the role's"


def test_the_hosts_question_feeds_the_on_prem_play() -> None:
    """hybridcloud_onprem_hosts is a play variable: the on-prem play reads it to leave the other hosts out."""
    play = next(play for play in yaml.safe_load((ROOT / "playbooks" / "onprem.yml").read_text()) if play.get("hosts") == "onprem")
    assert "hybridcloud_onprem_hosts" in play["vars"]["onprem_requested_hosts"]
    assert any(task.get("ansible.builtin.meta") == "end_host" for task in play["pre_tasks"])


# --- (b) credential types -------------------------------------------------------------------------------------------


def _fields(template: str) -> set[str]:
    return set(re.findall(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}", template))


def _check_injected(value: Any, spec: dict[str, Any], where: str, inputs: dict[str, dict[str, Any]], used: set[str]) -> None:
    """The injected value has the shape the option declares; secret inputs only reach no_log options."""
    kind = spec.get("type", "str")
    if isinstance(value, str):
        assert kind in ("str", "raw"), f"{where}: injects text into a {kind} option"
        for field in _fields(value):
            assert field in inputs, f"{where}: {{{{ {field} }}}} is no input field"
            used.add(field)
            if inputs[field].get("secret"):
                assert spec.get("no_log"), f"{where}: the secret input {field} feeds an option without no_log"
    elif isinstance(value, dict):
        assert kind == "dict", f"{where}: injects a dict into a {kind} option"
        for key, item in value.items():
            assert key in spec.get("options", {}), f"{where}: {key} is no sub-option"
            _check_injected(item, spec["options"][key], f"{where}.{key}", inputs, used)
    elif isinstance(value, list):
        assert kind == "list", f"{where}: injects a list into a {kind} option"
        element = {"type": spec.get("elements", "str"), "options": spec.get("options", {})}
        for index, item in enumerate(value):
            _check_injected(item, element, f"{where}[{index}]", inputs, used)
    else:
        pytest.fail(f"{where}: injects {type(value).__name__}")


def boto3_environment() -> set[str]:
    names: set[str] = set()
    for variable in botocore.configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES.values():
        names.update([variable[1]] if isinstance(variable[1], str) else variable[1] or [])
    names |= set(re.findall(r"name='(AWS_[A-Z_]+)'", inspect.getsource(botocore.configprovider)))
    return names


def test_credential_types_inject_exactly_what_the_roles_read(config: dict[str, Any]) -> None:
    environment = boto3_environment()
    assert "AWS_ENDPOINT_URL" in environment  # botocore's own name, found in its source
    for credential_type in config["controller_credential_types"]:
        name = credential_type["name"]
        inputs = {field["id"]: field for field in credential_type["inputs"]["fields"]}
        assert set(credential_type["inputs"].get("required", [])) <= set(inputs), f"{name}: required names unknown fields"
        injectors = credential_type["injectors"]
        assert set(injectors) <= {"extra_vars", "env", "file"}, name
        used: set[str] = set()
        for variable, value in injectors.get("extra_vars", {}).items():
            assert variable in OPTIONS, f"{name}: injects {variable}, which no role declares"
            _check_injected(value, OPTIONS[variable], f"{name}: {variable}", inputs, used)
        for variable, value in injectors.get("env", {}).items():
            assert variable in environment, f"{name}: injects {variable}, which boto3 does not read"
            used |= _fields(value)
            assert _fields(value) <= set(inputs), f"{name}: {variable} uses unknown fields"
        assert used == set(inputs), f"{name}: inputs {sorted(set(inputs) - used)} reach nothing"


def _sample(field: dict[str, Any]) -> str:
    if field["id"] == "known_hosts":
        blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + bytes(32)
        return f"app01.dc1.example.internal ssh-ed25519 {base64.b64encode(blob).decode()}\napp02 ssh-ed25519 {base64.b64encode(blob).decode()}"
    if field["id"] == "endpoint_url":
        return "https://aws.example.internal:4566"
    return f"Sample_{field['id']}_1"


def test_injected_extra_vars_pass_the_roles_argument_validation(config: dict[str, Any]) -> None:
    """The extra vars a credential produces, as AWX renders them, validated as Ansible validates the roles' input;
    every secret input ends up among the values Ansible masks (no_log)."""
    for credential_type in config["controller_credential_types"]:
        fields = credential_type["inputs"]["fields"]
        inputs = {field["id"]: _sample(field) for field in fields}
        extra_vars = render(credential_type["injectors"].get("extra_vars", {}), inputs)
        if not extra_vars:
            continue
        result = ArgumentSpecValidator({name: OPTIONS[name] for name in extra_vars}).validate(extra_vars)
        assert not result.error_messages, f"{credential_type['name']}: {result.error_messages}"
        for field in fields:
            if field.get("secret"):
                assert inputs[field["id"]] in result._no_log_values, f"{credential_type['name']}: {field['id']} would not be masked"


def test_the_known_hosts_credential_passes_the_role_filter(config: dict[str, Any]) -> None:
    (known_hosts,) = [item for item in config["controller_credential_types"] if item["name"] == "hybridcloud.aws SSH known hosts"]
    text = _sample({"id": "known_hosts"})
    injected = render(known_hosts["injectors"]["extra_vars"], {"known_hosts": text})
    assert known_hosts_entries(injected["ssh_known_hosts_entries"], "ssh_known_hosts_entries") == text.splitlines()


def test_injected_environment_reaches_boto3(config: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    for credential_type in config["controller_credential_types"]:
        environment = render(credential_type["injectors"].get("env", {}), {field["id"]: _sample(field) for field in credential_type["inputs"]["fields"]})
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
            if name == "AWS_ENDPOINT_URL":
                client = boto3.session.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name="eu-central-1").client("ssm")
                assert client.meta.endpoint_url == value


def test_the_known_hosts_credential_feeds_the_role_that_validates_it(config: dict[str, Any]) -> None:
    (known_hosts,) = [item for item in config["controller_credential_types"] if item["name"] == "hybridcloud.aws SSH known hosts"]
    assert known_hosts["injectors"]["extra_vars"] == {"ssh_known_hosts_entries": "{{ known_hosts }}"}
    assert OPTIONS["ssh_known_hosts_entries"]["type"] == "raw"
    # The connection settings name the file the role writes.
    for stage in ("production", "staging"):
        connection = yaml.safe_load((ROOT / "inventories" / stage / "group_vars" / "onprem" / "connection.yml").read_text())
        assert "{{ ssh_known_hosts_file }}" in connection["ansible_ssh_common_args"]
        assert "StrictHostKeyChecking=yes" in connection["ansible_ssh_common_args"]


# --- references between the objects ---------------------------------------------------------------------------------


def test_references_resolve(config: dict[str, Any]) -> None:
    projects = {item["name"] for item in config["controller_projects"]}
    inventories = {item["name"] for item in config["controller_inventories"]}
    credentials = {item["name"]: item for item in config["controller_credentials"]}
    credential_types = {item["name"] for item in config["controller_credential_types"]} | BUILTIN_CREDENTIAL_TYPES
    environments = {item["name"] for item in config["controller_execution_environments"]}
    notifications = {item["name"] for item in config["controller_notifications"]}
    templates = {item["name"] for item in config["controller_templates"]}

    for credential in credentials.values():
        assert credential["credential_type"] in credential_types, credential["name"]
    for project in config["controller_projects"]:
        assert project["default_environment"] in environments
    for source in config["controller_inventory_sources"]:
        assert source["inventory"] in inventories and source["source_project"] in projects, source["name"]
        assert source.get("credential", next(iter(credentials))) in credentials, source["name"]
        assert (ROOT / source["source_path"]).exists(), f"{source['name']}: {source['source_path']} does not exist"
    for template in config["controller_templates"]:
        assert template["project"] in projects and template["inventory"] in inventories, template["name"]
        assert template["execution_environment"] in environments, template["name"]
        assert set(template["credentials"]) <= set(credentials), template["name"]
    every = [*config["controller_projects"], *config["controller_inventory_sources"], *config["controller_templates"], *config["controller_workflows"]]
    for item in every:
        assert item.get("notification_templates_error"), f"{item['name']}: no notification on failure"
        assert set(item["notification_templates_error"]) <= notifications, item["name"]
    for schedule in config["controller_schedules"]:
        assert schedule["unified_job_template"] in templates, schedule["name"]
    for workflow in config["controller_workflows"]:
        identifiers = {node["identifier"] for node in workflow["simplified_workflow_nodes"]}
        for node in workflow["simplified_workflow_nodes"]:
            assert node["unified_job_template"] in templates, node["identifier"]
            assert set(node["success_nodes"] + node["failure_nodes"] + node["always_nodes"]) <= identifiers, node["identifier"]


def test_schedules_recur_from_a_utc_start(config: dict[str, Any]) -> None:
    """AWX's rrule: "DTSTART:<UTC time> RRULE:<rule>" (RFC 5545, one space between), recurring without end."""
    for schedule in config["controller_schedules"]:
        start, rule = schedule["rrule"].split(" ")
        assert re.fullmatch(r"DTSTART:\d{8}T\d{6}Z", start) and rule.startswith("RRULE:"), schedule["name"]
        first, second = rrulestr(f"{start}\n{rule}")[:2]
        assert first.tzinfo is not None and second > first, schedule["name"]


def test_the_workflow_runs_the_layers_in_site_order(config: dict[str, Any]) -> None:
    """Following the success links from the root visits the playbooks playbooks/site.yml imports, in its order."""
    site = [(ROOT / "playbooks" / item["ansible.builtin.import_playbook"]).resolve() for item in yaml.safe_load((ROOT / "playbooks" / "site.yml").read_text())]
    playbook_of = {item["name"]: (ROOT / item["playbook"]).resolve() for item in config["controller_templates"]}
    (workflow,) = config["controller_workflows"]
    nodes = {node["identifier"]: node for node in workflow["simplified_workflow_nodes"]}
    targets = {target for node in nodes.values() for target in node["success_nodes"]}
    (root,) = set(nodes) - targets
    order, current = [], root
    while current:
        order.append(playbook_of[nodes[current]["unified_job_template"]])
        following = nodes[current]["success_nodes"]
        assert len(following) <= 1, f"{current}: the chain forks"
        current = following[0] if following else None
    assert order == site


def test_set_stats_hand_on_only_what_the_on_prem_roles_read() -> None:
    """The artifacts the layers hand to later workflow nodes: known names, never a secret."""
    handed = {}
    for path in (ROOT / "playbooks").rglob("*.yml"):
        for match in re.finditer(r"ansible\.builtin\.set_stats:\s*\n\s*data:\s*\n((?:\s{10,}\S.*\n)+)", path.read_text()):
            for line in match.group(1).splitlines():
                handed[line.split(":")[0].strip()] = path.name
    assert handed == {"file_gateway_address": "data.yml", "ecs_cluster_name": "cluster.yml"}
    read = (ROOT / "roles" / "ecs_anywhere" / "defaults" / "main.yml").read_text() + (
        ROOT / "inventories" / "production" / "group_vars" / "all" / "onprem.yml"
    ).read_text()
    for name in handed:
        assert f"hostvars['localhost'].{name}" in read
        assert not OPTIONS.get(name, {}).get("no_log")


def test_the_dynamic_inventory_source_uses_only_options_of_the_plugin() -> None:
    plugin = ROOT / "plugins" / "inventory" / "ssm_managed_instances.py"
    source = yaml.safe_load((CONTROLLER / "inventory_sources" / "production.ssm_managed_instances.yml").read_text())
    assert source["plugin"] == "hybridcloud.aws.ssm_managed_instances"
    if not plugin.exists():
        pytest.skip("the inventory plugin hybridcloud.aws.ssm_managed_instances is not in the collection yet")
    # ansible-doc resolves amazon.aws's doc fragments; this process cannot (ansible_collections is a plain package here)
    import json
    import os
    import subprocess
    import sys

    command = [str(Path(sys.executable).with_name("ansible-doc")), "-t", "inventory", "--json", source["plugin"]]
    answer = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg")))
    documentation = json.loads(answer.stdout)[source["plugin"]]["doc"]
    assert set(source) - {"plugin"} <= set(documentation["options"]), (
        f"options the plugin lacks: {sorted(set(source) - {'plugin'} - set(documentation['options']))}"
    )


# The suites that launch job templates as AWX runs them (ansible-runner, tests/support/awx_jobs.py), each launch
# asserting a green job that changes nothing on its second run or on the converged lab.
LAUNCHING_SUITES = ("tests/integration/test_controller_jobs.py", "tests/lab/*.py")


def test_every_job_template_is_launched_by_a_suite(config: dict[str, Any]) -> None:
    """Every job template of controller/ is named in a suite that launches it; a name is a string literal there."""
    literals: set[str] = set()
    for pattern in LAUNCHING_SUITES:
        for path in ROOT.glob(pattern):
            literals |= set(re.findall(r'"(hybridcloud [a-z_ -]+)"', path.read_text()))
    templates = {template["name"] for template in config["controller_templates"]}
    assert sorted(templates - literals) == []
