"""Job templates of controller/ run with ansible-runner, AWX's own engine, from a private data directory built as AWX
builds it (tests/support/awx_jobs.py): the project without .venv or the .collections link, the collection
installed from the built tarball, the production inventory chosen at launch, extra vars from the survey defaults,
credentials injected as their types define, the AWS credential as environment variables only, and the project's
"AWS endpoint" credential pointing the job at this suite's emulator. Each job runs twice: the first green with its
resources read back by describe calls, the second green without a change and without a mutating AWS call.

Run here: the disaster recovery plan, network, registry and Systems Manager templates. The registry job runs after
the team replaced the production inventory's placeholder KMS key ARN with a key of the account, as the getting
started guide says; the other layers' templates need more of the account prepared (certificate, Direct Connect
connection, the gateway appliance) and the on-prem ones need hosts: they are not run here.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.awx_jobs import Job, JobResult, controller_config, install_collection, project_copy
from integration.conftest import recorded_calls


ROOT = Path(__file__).resolve().parents[2]
REGION = yaml.safe_load((ROOT / "inventories/production/group_vars/all/aws.yml").read_text())["aws_region"]
NETWORK_NAME = yaml.safe_load((ROOT / "inventories/production/group_vars/all/network.yml").read_text())["network_name"]
SSM = yaml.safe_load((ROOT / "inventories/production/group_vars/all/systems_manager.yml").read_text())
REGISTRY = yaml.safe_load((ROOT / "inventories/production/group_vars/all/registry.yml").read_text())


@pytest.fixture(autouse=True)
def reset_emulator() -> None:
    """Overrides the suite's reset before each test: the jobs build on one another's state (reset once, below)."""


@pytest.fixture(scope="module")
def awx(tmp_path_factory: pytest.TempPathFactory, emulator_endpoint: str, lab_api: Callable[..., tuple[int, Any]]) -> Iterator[dict[str, Any]]:
    status, answer = lab_api("POST", "/_lab/reset")
    assert status == 200, answer
    lab_api("DELETE", "/_lab/faults")
    base = tmp_path_factory.mktemp("awx")
    collections = install_collection(base)
    project = project_copy(base / "project")
    inventory = base / "inventory"
    shutil.copytree(ROOT / "inventories" / "production", inventory)
    yield {
        "base": base,
        "collections": collections,
        "project": project,
        "inventory": inventory,
        "config": controller_config(),
        "inputs": {
            "Amazon Web Services": {"username": "testing", "password": "testing"},
            "hybridcloud.aws AWS endpoint": {"endpoint_url": emulator_endpoint},
        },
    }
    shutil.rmtree(base, ignore_errors=True)


def launch(awx: dict[str, Any], template: str) -> Job:
    return Job(
        awx["config"],
        template,
        base=awx["base"],
        project=awx["project"],
        collections=awx["collections"],
        inventory=awx["inventory"],
        credential_inputs=awx["inputs"],
        extra_credentials=("hybridcloud.aws AWS endpoint",),
    )


def run(job: Job, ident: str, lab_api: Callable[..., tuple[int, Any]]) -> tuple[JobResult, list[dict[str, Any]]]:
    before = len(recorded_calls(lab_api))
    result = job.run(ident)
    calls = recorded_calls(lab_api)[before:]
    assert result.status == "successful" and result.rc == 0 and not result.failed, result.stdout[-4000:]
    return result, calls


def twice(job: Job, lab_api: Callable[..., tuple[int, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Runs the job, then again; the second run changes nothing. Returns both runs' AWS calls."""
    _, first = run(job, "first", lab_api)
    second_result, second = run(job, "second", lab_api)
    assert second_result.changed == 0, second_result.stdout[-4000:]
    assert [call["operation"] for call in second if call["mutating"]] == []
    return first, second


def test_the_job_is_laid_out_as_awx_lays_it_out(awx: dict[str, Any]) -> None:
    job = launch(awx, "hybridcloud aws network")
    project = job.directory / "project"
    assert (project / "playbooks" / "aws" / "network.yml").is_file()
    assert not (project / ".venv").exists() and not (project / ".collections").exists()
    # The keys reach the job as environment variables only, never as variables of the play.
    assert job.envvars["AWS_ACCESS_KEY_ID"] == "testing" and "AWS_ENDPOINT_URL" in job.envvars
    assert "testing" not in json.dumps(job.extravars)
    assert "testing" not in "".join(path.read_text() for path in (job.directory / "inventory").rglob("*.yml"))


def test_the_dr_plan_job_makes_no_aws_call(awx: dict[str, Any], lab_api: Callable[..., tuple[int, Any]]) -> None:
    first, second = twice(launch(awx, "hybridcloud aws dr plan"), lab_api)
    assert first == [] and second == []


def test_the_network_job_builds_the_vpc_then_changes_nothing(awx: dict[str, Any], lab_api: Callable[..., tuple[int, Any]], aws: Callable[..., Any]) -> None:
    first, _ = twice(launch(awx, "hybridcloud aws network"), lab_api)
    assert any(call["operation"] == "CreateVpc" for call in first)
    ec2 = aws("ec2", region=REGION)
    (vpc,) = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [NETWORK_NAME]}])["Vpcs"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
    assert len(subnets) >= 4  # public and private, in two zones at least
    nat_gateways = ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["NatGateways"]
    assert len({gateway["SubnetId"] for gateway in nat_gateways if gateway["State"] == "available"}) >= 2


def test_the_systems_manager_job_stores_an_encrypted_activation(awx: dict[str, Any], lab_api: Callable[..., tuple[int, Any]], aws: Callable[..., Any]) -> None:
    twice(launch(awx, "hybridcloud aws systems_manager"), lab_api)
    ssm = aws("ssm", region=REGION)
    (activation,) = [item for item in ssm.describe_activations()["ActivationList"] if item["DefaultInstanceName"] == SSM["systems_manager_activation_name"]]
    assert activation["IamRole"] == SSM["systems_manager_service_role_name"]
    prefix = {"Key": "Path", "Option": "Recursive", "Values": [SSM["systems_manager_parameter_prefix"]]}
    parameters = ssm.describe_parameters(ParameterFilters=[prefix])["Parameters"]
    assert any(parameter["Type"] == "SecureString" and parameter.get("KeyId", "").startswith("arn:aws:kms:") for parameter in parameters), parameters


def test_the_registry_job_runs_with_the_accounts_own_kms_key(awx: dict[str, Any], lab_api: Callable[..., tuple[int, Any]], aws: Callable[..., Any]) -> None:
    # What a team does before its first run: the inventory's placeholder ARN replaced by a key of its account.
    key_arn = aws("kms", region=REGION).create_key(Description="hybridcloud registry")["KeyMetadata"]["Arn"]
    registry = awx["inventory"] / "group_vars" / "all" / "registry.yml"
    text = registry.read_text()
    assert REGISTRY["container_registry_kms_key_arn"] in text
    registry.write_text(text.replace(REGISTRY["container_registry_kms_key_arn"], key_arn))
    first, _ = twice(launch(awx, "hybridcloud aws registry"), lab_api)
    assert any(call["operation"] == "CreateRepository" for call in first)
    repositories = aws("ecr", region=REGION).describe_repositories()["repositories"]
    wanted = {item["name"] for item in REGISTRY["container_registry_repositories"]}
    found = {repository["repositoryName"]: repository for repository in repositories}
    assert wanted <= set(found)
    for name in wanted:
        assert found[name]["encryptionConfiguration"] == {"encryptionType": "KMS", "kmsKey": key_arn}
        assert found[name]["imageTagMutability"] == "IMMUTABLE"
    assert re.fullmatch(r"arn:aws:kms:[a-z0-9-]+:\d{12}:key/[0-9a-f-]{36}", key_arn)
