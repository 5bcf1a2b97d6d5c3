"""site.yml end to end in the lab: check mode on an empty account makes no mutating AWS call (ansible-playbook from
the checkout); a converge against the lab (emulator + the lab's onprem-app hosts; the job template "hybridcloud site"
as AWX runs it, tests/lab/conftest.py) fails nothing and builds what the describe calls below read back; a second
launch changes nothing; each layer's job template alone on the converged site changes nothing.

The shared emulator (127.0.0.1:4566) is never reset: the converge finds its resources by the lab inventory's names
(hybridcloud-lab-*), and the check-mode run goes to a private emulator of its own, which is empty by construction.
"""

from __future__ import annotations

import html
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from support.iam_actions import deployer_policy, missing_actions
from support.lab_jobs import LabController
from support.lab_site import BIN, EMULATOR, REGION, REPO, changes, controller_calls, failures, lab_get, ran, site, totals

pytestmark = pytest.mark.lab

PREFIX = "hybridcloud-lab"
AZ_COUNT = 2
ONPREM_HOSTS = ["onprem-app-1", "onprem-app-2"]
EC2_SERVICES, EXTERNAL_SERVICES = ["web", "worker"], ["onprem-web"]


@pytest.fixture(scope="module")
def private_emulator() -> Iterator[str]:
    """An empty emulator of this test's own (the shared one is never reset)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(REPO / "lab")}
    process = subprocess.Popen([sys.executable, "-m", "awsemu", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if lab_get(endpoint, "/_lab/health") == {"status": "ok"}:
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "the private emulator did not start"
            time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def first_converge(converge_document: dict[str, Any]) -> dict[str, Any]:
    """The session's converge of the shared lab (tests/lab/conftest.py), which this module's tests assert on."""
    return converge_document


@pytest.fixture(scope="module")
def aws() -> Any:
    return lambda service: boto3.client(service, endpoint_url=EMULATOR, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


def test_check_mode_on_an_empty_account_makes_no_mutating_call(lab_up: None, private_emulator: str) -> None:
    document = site(private_emulator, "--check")
    calls = lab_get(private_emulator, "/_lab/requests")["requests"]
    assert totals(document, "failures") + totals(document, "unreachable") == 0, failures(document)
    assert len(calls) > 20, "the check run read nothing: it did not reach the private emulator"
    assert [f"{call['service']}:{call['operation']}" for call in calls if call["mutating"]] == []


def test_converge_builds_the_hybrid_cloud(first_converge: dict[str, Any], aws: Any) -> None:
    assert first_converge["rc"] == 0 and totals(first_converge, "failures") + totals(first_converge, "unreachable") == 0, failures(first_converge)

    ec2 = aws("ec2")
    [vpc] = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [PREFIX]}])["Vpcs"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
    tier = {s["SubnetId"]: {t["Key"]: t["Value"] for t in s.get("Tags", [])}.get("Tier") for s in subnets}
    zones = {s["AvailabilityZone"] for s in subnets}
    assert len(zones) == AZ_COUNT
    for zone in zones:
        assert sorted(tier[s["SubnetId"]] for s in subnets if s["AvailabilityZone"] == zone) == ["private", "public"], zone
    nat_filters = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}, {"Name": "state", "Values": ["available"]}]
    nat_subnets = [n["SubnetId"] for n in ec2.describe_nat_gateways(Filters=nat_filters)["NatGateways"]]
    assert sorted(s["AvailabilityZone"] for s in subnets if s["SubnetId"] in nat_subnets and tier[s["SubnetId"]] == "public") == sorted(zones)

    [db] = aws("rds").describe_db_instances(DBInstanceIdentifier=f"{PREFIX}-postgres")["DBInstances"]
    assert db["MultiAZ"] is True and db["MaxAllocatedStorage"] > db["AllocatedStorage"]

    s3 = aws("s3")
    encryption = s3.get_bucket_encryption(Bucket=f"{PREFIX}-file-share")["ServerSideEncryptionConfiguration"]["Rules"]
    assert encryption[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms")
    assert all(s3.get_public_access_block(Bucket=f"{PREFIX}-file-share")["PublicAccessBlockConfiguration"].values())

    ecs = aws("ecs")
    [provider] = ecs.describe_capacity_providers(capacityProviders=[f"{PREFIX}-ec2"])["capacityProviders"]
    assert provider["autoScalingGroupProvider"]["managedScaling"]["status"] == "ENABLED"
    services = {s["serviceName"]: s for s in ecs.describe_services(cluster=PREFIX, services=EC2_SERVICES + EXTERNAL_SERVICES)["services"]}
    for name in EC2_SERVICES:
        assert [p["capacityProvider"] for p in services[name]["capacityProviderStrategy"]] == [f"{PREFIX}-ec2"], name
    for name in EXTERNAL_SERVICES:
        assert services[name]["launchType"] == "EXTERNAL", name

    ssm = aws("ssm")
    activation_filter = [{"FilterKey": "DefaultInstanceName", "FilterValues": [f"{PREFIX}-onprem"]}]
    activations = {a["ActivationId"] for a in ssm.describe_activations(Filters=activation_filter)["ActivationList"]}
    registered = {i["ComputerName"]: i for i in ssm.describe_instance_information()["InstanceInformationList"] if i.get("ActivationId") in activations}
    assert sorted(registered) == ONPREM_HOSTS
    assert {i["PingStatus"] for i in registered.values()} == {"Online"}
    arns = ecs.list_container_instances(cluster=PREFIX)["containerInstanceArns"]
    joined = {c["ec2InstanceId"]: c["status"] for c in ecs.describe_container_instances(cluster=PREFIX, containerInstances=arns)["containerInstances"]}
    assert {host: joined.get(i["InstanceId"]) for host, i in registered.items()} == dict.fromkeys(ONPREM_HOSTS, "ACTIVE")

    sgw = aws("storagegateway")
    [gateway] = [g for g in sgw.list_gateways()["Gateways"] if g.get("GatewayName") == f"{PREFIX}-gateway"]
    shares = [s["FileShareARN"] for s in sgw.list_file_shares(GatewayARN=gateway["GatewayARN"])["FileShareInfoList"]]
    [share] = sgw.describe_nfs_file_shares(FileShareARNList=shares)["NFSFileShareInfoList"]
    assert (share["FileShareName"], share["LocationARN"]) == ("shared", f"arn:aws:s3:::{PREFIX}-file-share/shared/")

    verified = [t for play in first_converge["plays"] for t in play["tasks"] if t["task"]["name"] == "Every check passed"]
    assert verified and all(not r.get("failed") and not r.get("skipped") for r in verified[0]["hosts"].values())
    # The lab orders its Direct Connect port: the private virtual interface rides on it and carries the traffic.
    [connection] = [c for c in aws("directconnect").describe_connections()["connections"] if c["connectionName"] == f"{PREFIX}-dx"]
    [vif] = aws("directconnect").describe_virtual_interfaces(connectionId=connection["connectionId"])["virtualInterfaces"]
    assert (vif["virtualInterfaceName"], vif["virtualInterfaceState"]) == (f"{PREFIX}-private-vif", "available")
    assert ["Active path to on-premises: direct_connect." in r.get("msg", "") for r in verified[0]["hosts"].values()] == [True]


def report(endpoint: str, directory: Path) -> subprocess.CompletedProcess[str]:
    """playbooks/report.yml against the lab inventory, writing into DIRECTORY."""
    env = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "AWS_ENDPOINT_URL": endpoint,
    }
    command = [str(BIN / "ansible-playbook"), "-i", str(REPO / "inventories/lab"), str(REPO / "playbooks/report.yml"), "-e", f"report_dir={directory}"]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=600, check=False)


def check_report(directory: Path, aws: Any, started: float) -> None:
    """The report lists what is deployed, the diagram has a node for every resource the report lists, and the active
    path (Direct Connect while its interface is up) is the one marked; the report made no mutating AWS call."""
    markdown = (directory / "architecture.md").read_text()
    listed = re.findall(r"^\| `([^`]+)` \|", markdown, flags=re.MULTILINE)
    svg = (directory / "architecture.svg").read_text()
    nodes = {html.unescape(t) for t in re.findall(r'<g id="node\d+" class="node[^"]*">\s*<title>([^<]*)</title>', svg)}
    assert set(listed) <= nodes, f"resources listed but not drawn: {sorted(set(listed) - nodes)}"
    assert (directory / "architecture.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    ec2 = aws("ec2")
    [vpc] = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [PREFIX]}])["Vpcs"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
    [vif] = [
        v
        for v in aws("directconnect").describe_virtual_interfaces()["virtualInterfaces"]
        if v["virtualInterfaceName"] == f"{PREFIX}-private-vif" and v["virtualInterfaceState"] != "deleted"
    ]
    [vpn] = [
        v for v in ec2.describe_vpn_connections(Filters=[{"Name": "tag:Name", "Values": [f"{PREFIX}-vpn"]}])["VpnConnections"] if v["State"] == "available"
    ]
    deployed = {vpc["VpcId"], vif["virtualInterfaceId"], vif["connectionId"], vpn["VpnConnectionId"], *(s["SubnetId"] for s in subnets)}
    deployed |= {f"ecs-service:{name}" for name in EC2_SERVICES + EXTERNAL_SERVICES} | {f"rds:{PREFIX}-postgres", f"alb:{PREFIX}-internal"}
    assert deployed <= set(listed), f"deployed but not listed: {sorted(deployed - set(listed))}"

    assert "**Active path to on-premises: direct_connect**" in markdown
    edge = r'<g id="edge\d+" class="edge ([a-z_]+)">\s*<title>([^<]*)</title>'
    marked = {html.unescape(title): kind for kind, title in re.findall(edge, svg)}
    assert marked[f"{vif['connectionId']}->{vif['virtualInterfaceId']}"] == "active_path"
    assert marked[f"{vpn['CustomerGatewayId']}->{vpn['VpnConnectionId']}"] == "standby_path"
    calls = controller_calls(started)
    assert calls and [f"{c['service']}:{c['operation']}" for c in calls if c["mutating"]] == []


def test_report_draws_every_resource_it_lists(first_converge: dict[str, Any], aws: Any, tmp_path: Path) -> None:
    if totals(first_converge, "failures"):
        pytest.skip("the first converge failed")
    started = time.time()
    completed = report(EMULATOR, tmp_path)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    assert f"report {tmp_path}/architecture.md" in completed.stdout.replace("\n        ", " ")
    check_report(tmp_path, aws, started)


def test_second_converge_changes_nothing(first_converge: dict[str, Any], lab_controller: LabController) -> None:
    if totals(first_converge, "failures"):
        pytest.skip("the first converge failed")
    second = lab_controller.launch("hybridcloud site", "second")
    # Kept for a person to read: where a no-op converge spends its time (each task's start and end).
    (REPO / "lab/.state/test_site_second_converge.json").write_text(json.dumps(second, indent=1, default=str))
    assert totals(second, "failures") + totals(second, "unreachable") == 0, failures(second)
    assert changes(second) == []


# A layer's job template alone on the converged site: what the layers before it would have handed on is read back
# by their discover steps (the task names below), and nothing changes, in the site or in AWS. (The same plays as
# site.yml --tags <layer>: site.yml imports the layer playbooks.)
LAYER_DISCOVERY = {
    "hybridcloud aws connectivity": ["Read the network the connectivity builds on"],
    "hybridcloud aws cluster": ["Read the network this layer builds on"],
    "hybridcloud aws services": [
        "Read the cluster the services run in",
        "Read the load balancer the services attach to",
        "Read the registry the services pull from",
    ],
    "hybridcloud onprem": ["Read the hybrid activation the hosts register with"],
}


@pytest.mark.parametrize("layer", sorted(LAYER_DISCOVERY))
def test_one_layer_runs_alone_on_the_converged_site(first_converge: dict[str, Any], lab_controller: LabController, layer: str) -> None:
    if totals(first_converge, "failures"):
        pytest.skip("the first converge failed")
    started = time.time()
    document = lab_controller.launch(layer, "layer")
    assert totals(document, "failures") + totals(document, "unreachable") == 0, failures(document)
    assert set(LAYER_DISCOVERY[layer]) <= ran(document), f"the discover steps did not run: {sorted(set(LAYER_DISCOVERY[layer]) - ran(document))}"
    assert changes(document) == []
    # The controller's calls only: the agents on the lab hosts keep reporting (heartbeats, state changes).
    calls = controller_calls(started)
    assert calls, "the layer read nothing from the emulator"
    assert [f"{c['service']}:{c['operation']}" for c in calls if c["mutating"]] == []


def test_the_deployer_policy_allows_every_call_the_controller_made(first_converge: dict[str, Any], private_emulator: str) -> None:
    """docs/iam/deployer-policy-*.json, the policies the README gives the principal that runs the collection, allow each
    call the controller made in this lab: the converges and layer runs on the shared emulator, the check run on the
    private one, from the session's converge on (the calls of the lab hosts' agents and the gateway appliance are not
    the deployer's, nor those of the molecule scenarios that ran before; the tests that change the lab on purpose run
    after this one, tests/lab/conftest.py)."""
    requests = lab_get(EMULATOR, "/_lab/requests")["requests"]
    shared = [c for c in requests if c["client"].startswith("127.") and c["time"] >= first_converge["started"]]
    private = lab_get(private_emulator, "/_lab/requests")["requests"]
    assert sum(c["mutating"] for c in shared) > 50, "the shared emulator's log holds no converge: nothing to check"
    policy = deployer_policy()
    assert missing_actions(policy, {(c["service"], c["operation"]) for c in shared + private}) == []
