"""hybridcloud.aws.storagegateway_gateway against the emulator: the activation key is fetched over HTTP from a stand-in
appliance on 127.0.0.1 (which gets real keys from the emulator's control plane), then check mode, activation,
idempotence, update, rename and delete, and cache allocation, each verified with Storage Gateway API reads."""

from __future__ import annotations

import http.server
import threading
from urllib.parse import parse_qs, urlparse

import pytest

LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/storagegateway/lab"


class Appliance:
    """Answers GET /?activationRegion=R as a gateway appliance does: a 302 whose Location carries a fresh key."""

    def __init__(self, lab_api):
        self.lab_api = lab_api
        self.requests: list[str] = []
        appliance = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                appliance.requests.append(self.path)
                region = parse_qs(urlparse(self.path).query)["activationRegion"][0]
                status, answer = appliance.lab_api("POST", "/_lab/storagegateway/activation-keys", json={"gateway_address": "127.0.0.1", "region": region})
                assert status == 200, answer
                # Port 9 (discard) on purpose: the module must not follow the redirect.
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.1:9/?activationKey={answer['activation_key']}&gatewayType=FILE_S3")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def appliance(lab_api):
    started = Appliance(lab_api)
    yield started
    started.close()


@pytest.fixture
def sgw(aws):
    return aws("storagegateway")


def task(name, **options):
    return [{"name": name, "hybridcloud.aws.storagegateway_gateway": options}]


def gateway_task(**options):
    return task("gateway", **options)


def gateways(sgw):
    return sgw.list_gateways()["Gateways"]


def test_check_mode_fetches_no_key_and_activates_nothing(sgw, appliance, playbook, mutating_calls):
    result = playbook(gateway_task(gateway_name="lab-fgw", gateway_address=appliance.address), check=True)
    assert result.failed == 0, result.output
    task = result.task("gateway")
    assert task["changed"] is True
    assert task["result"]["gateway_arn"] is None
    assert appliance.requests == []
    assert gateways(sgw) == []
    assert mutating_calls() == []


def test_activation_from_appliance_is_stored_and_second_run_fetches_nothing(sgw, appliance, playbook, mutating_calls):
    options = {
        "gateway_name": "lab-fgw",
        "gateway_address": appliance.address,
        "gateway_timezone": "GMT+1:00",
        "cloudwatch_log_group_arn": LOG_GROUP,
        "tags": {"env": "lab"},
        "wait": True,
    }
    first = playbook(gateway_task(**options), diff=True)
    assert first.failed == 0, first.output
    assert first.changed == 1
    assert appliance.requests == ["/?activationRegion=us-east-1"]

    [listed] = gateways(sgw)
    info = sgw.describe_gateway_information(GatewayARN=listed["GatewayARN"])
    assert (info["GatewayName"], info["GatewayType"], info["GatewayTimezone"]) == ("lab-fgw", "FILE_S3", "GMT+1:00")
    assert info["CloudWatchLogGroupARN"] == LOG_GROUP
    assert info["Tags"] == [{"Key": "env", "Value": "lab"}]
    returned = first.task("gateway")["result"]
    assert returned["gateway_arn"] == info["GatewayARN"]
    assert returned["gateway_id"] == info["GatewayId"]
    assert returned["gateway_state"] == "RUNNING"
    assert returned["gateway_network_interfaces"][0]["ipv4_address"] == "127.0.0.1"
    assert "activationKey" not in first.output

    calls_after_activation = len(mutating_calls())
    second = playbook(gateway_task(**options))
    assert second.failed == 0, second.output
    assert second.changed == 0
    assert len(appliance.requests) == 1
    assert len(mutating_calls()) == calls_after_activation


def test_key_update_rename_and_delete(sgw, lab_api, playbook):
    status, answer = lab_api("POST", "/_lab/storagegateway/activation-keys", json={"gateway_address": "10.254.0.200", "region": "us-east-1"})
    assert status == 200, answer
    activated = playbook(
        task("activate", gateway_name="lab-fgw", activation_key=answer["activation_key"], tags={"env": "lab", "old": "x"})
        + task("update", gateway_name="lab-fgw", gateway_timezone="GMT-5:00", cloudwatch_log_group_arn=LOG_GROUP, tags={"env": "prod"})
    )
    assert activated.failed == 0, activated.output
    assert (activated.task("activate")["changed"], activated.task("update")["changed"]) == (True, True)
    assert answer["activation_key"] not in activated.output
    arn = activated.task("activate")["result"]["gateway_arn"]
    info = sgw.describe_gateway_information(GatewayARN=arn)
    assert (info["GatewayTimezone"], info["CloudWatchLogGroupARN"]) == ("GMT-5:00", LOG_GROUP)
    assert info["Tags"] == [{"Key": "env", "Value": "prod"}]

    renamed = playbook(task("rename", gateway_arn=arn, gateway_name="lab-fgw-primary", cloudwatch_log_group_arn=""))
    assert renamed.changed == 1, renamed.output
    info = sgw.describe_gateway_information(GatewayARN=arn)
    assert info["GatewayName"] == "lab-fgw-primary"
    assert "CloudWatchLogGroupARN" not in info

    deleted = playbook(task("delete", gateway_name="lab-fgw-primary", state="absent") + task("again", gateway_name="lab-fgw-primary", state="absent"))
    assert deleted.failed == 0, deleted.output
    assert (deleted.task("delete")["changed"], deleted.task("again")["changed"]) == (True, False)
    assert gateways(sgw) == []


def test_missing_gateway_without_key_fails_clearly(sgw, playbook):
    result = playbook(gateway_task(gateway_name="lab-fgw"))
    assert result.failed == 1
    assert "give activation_key or gateway_address" in result.task("gateway")["result"]["msg"]
    assert gateways(sgw) == []


def test_gateway_region_is_where_the_gateway_is_activated(aws, lab_api, playbook):
    status, answer = lab_api("POST", "/_lab/storagegateway/activation-keys", json={"gateway_address": "10.254.0.201", "region": "eu-west-1"})
    assert status == 200, answer
    result = playbook(gateway_task(gateway_name="lab-fgw-eu", activation_key=answer["activation_key"], gateway_region="eu-west-1"))
    assert result.failed == 0, result.output
    assert [g["GatewayName"] for g in aws("storagegateway", region="eu-west-1").list_gateways()["Gateways"]] == ["lab-fgw-eu"]
    assert aws("storagegateway").list_gateways()["Gateways"] == []


def test_cache_is_allocated_once_from_the_appliance_disks(sgw, lab_api, playbook, mutating_calls):
    status, answer = lab_api("POST", "/_lab/storagegateway/activation-keys", json={"gateway_address": "10.254.0.200", "region": "us-east-1"})
    assert status == 200, answer
    request = {"GatewayName": "lab-fgw", "GatewayTimezone": "GMT", "GatewayRegion": "us-east-1", "GatewayType": "FILE_S3"}
    arn = sgw.activate_gateway(ActivationKey=answer["activation_key"], **request)["GatewayARN"]
    assert sgw.describe_cache(GatewayARN=arn)["DiskIds"] == []

    calls_before = len(mutating_calls())
    checked = playbook(gateway_task(gateway_name="lab-fgw", allocate_cache="auto"), check=True)
    assert checked.failed == 0, checked.output
    assert checked.task("gateway")["result"]["cache_disk_ids"] == ["pci-0000:03:00.0-scsi-0:0:0:0"]
    assert checked.changed == 1
    assert len(mutating_calls()) == calls_before
    assert sgw.describe_cache(GatewayARN=arn)["DiskIds"] == []

    auto = playbook(gateway_task(gateway_name="lab-fgw", allocate_cache="auto"), diff=True)
    assert auto.changed == 1, auto.output
    assert sgw.describe_cache(GatewayARN=arn)["DiskIds"] == ["pci-0000:03:00.0-scsi-0:0:0:0"]
    assert [disk["DiskAllocationType"] for disk in sgw.list_local_disks(GatewayARN=arn)["Disks"]] == ["CACHE STORAGE"]

    # A disk added to the appliance later joins the cache only when named; auto leaves a gateway with a cache alone.
    status, added = lab_api("POST", f"/_lab/storagegateway/gateways/{arn.rsplit('/', 1)[1]}/disks", json={"size_gib": 200})
    assert status == 200, added
    again = playbook(task("auto-again", gateway_name="lab-fgw", allocate_cache="auto") + task("named", gateway_name="lab-fgw", cache_disk_ids=["/dev/sdc"]))
    assert again.failed == 0, again.output
    assert (again.task("auto-again")["changed"], again.task("named")["changed"]) == (False, True)
    cache = sgw.describe_cache(GatewayARN=arn)
    assert cache["DiskIds"] == ["pci-0000:03:00.0-scsi-0:0:0:0", added["DiskId"]]
    assert cache["CacheAllocatedInBytes"] == (150 + 200) * 1024**3
    calls_before = len(mutating_calls())
    last = playbook(gateway_task(gateway_name="lab-fgw", cache_disk_ids=["/dev/sdc", "pci-0000:03:00.0-scsi-0:0:0:0"]))
    assert last.changed == 0, last.output
    assert len(mutating_calls()) == calls_before
