"""The agent service: an UpdateInstanceInformation heartbeat while the machine is registered.

The first heartbeat goes out as soon as a registration exists, then one every LAB_SSM_HEARTBEAT_SECONDS
(default 60, the lab's knob; set it in /etc/default/amazon-ssm-agent-lab). Without a registration the
service waits and looks again every few seconds, so `-register` followed by a restart (or not) is enough.
"""

from __future__ import annotations

import logging
import os
import platform
import signal
import socket
import threading

import lab_aws
from ssm_config import AGENT_NAME, agent_version, configured_region, load_config, ssm_endpoint
from ssm_registration import registered_instance

UNREGISTERED_POLL_SECONDS = 3.0
RETRY_SECONDS = 10.0


def heartbeat_interval() -> float:
    try:
        return max(1.0, float(os.environ.get("LAB_SSM_HEARTBEAT_SECONDS", "60")))
    except ValueError:
        return 60.0


def _os_release() -> dict[str, str]:
    values = {}
    try:
        with open("/etc/os-release") as handle:
            for line in handle:
                key, _, value = line.strip().partition("=")
                values[key] = value.strip('"')
    except OSError:
        pass
    return values


def _ip_address() -> str:
    """The source address this machine uses to reach the network (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"


def instance_information(instance_id: str) -> dict:
    release = _os_release()
    return {
        "InstanceId": instance_id,
        "AgentName": AGENT_NAME,
        "AgentVersion": agent_version(),
        "AgentStatus": "Active",
        "ComputerName": socket.gethostname(),
        "IPAddress": _ip_address(),
        "PlatformName": release.get("NAME", platform.system()),
        "PlatformType": "Linux",
        "PlatformVersion": release.get("VERSION_ID", platform.release()),
    }


def send_heartbeat(instance: dict) -> None:
    config = load_config()
    region = configured_region(config, instance.get("region", ""))
    lab_aws.json_call(
        ssm_endpoint(config, region),
        "AmazonSSM.UpdateInstanceInformation",
        instance_information(instance["instanceID"]),
        service="ssm",
        region=region,
        credentials=lab_aws.Credentials.from_env(),
    )


def run(log: logging.Logger) -> int:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    interval = heartbeat_interval()
    log.info("LAB STAND-IN %s %s starting (heartbeat every %.0f s)", AGENT_NAME, agent_version(), interval)
    announced = None
    while not stop.is_set():
        instance = registered_instance()
        if not instance:
            if announced != "":
                log.info("no registration found; waiting for `amazon-ssm-agent -register`")
                announced = ""
            stop.wait(UNREGISTERED_POLL_SECONDS)
            continue
        if announced != instance["instanceID"]:
            log.info("managed instance %s (region %s)", instance["instanceID"], instance.get("region"))
            announced = instance["instanceID"]
        try:
            send_heartbeat(instance)
            log.debug("heartbeat sent for %s", instance["instanceID"])
            wait = interval
        except (lab_aws.AwsError, OSError) as error:
            log.error("UpdateInstanceInformation failed: %s", error)
            wait = min(interval, RETRY_SECONDS)
        # Wake up early when the registration changes (re-register or -clear while running).
        waited = 0.0
        while waited < wait and not stop.is_set() and registered_instance().get("instanceID") == instance["instanceID"]:
            stop.wait(min(UNREGISTERED_POLL_SECONDS, wait - waited))
            waited += UNREGISTERED_POLL_SECONDS
    log.info("%s stopped", AGENT_NAME)
    return 0
