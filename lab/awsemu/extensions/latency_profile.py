"""Latency profile (lab only, off by default): slow AWS resources take time to become available, as on AWS.

With the profile on (scale > 0), a resource created from then on answers its real transitional states in describe
calls until created_at + real_seconds * scale, then its ready state; so waiters (botocore's, the modules' own, the
roles' until-loops) really wait. Scale 0 (the default) answers every resource ready at once, as moto does, and
turning the profile off makes resources still pending ready at once.

| resource (profile key) | transitional states answered (share of the delay) | ready | real seconds |
| --- | --- | --- | --- |
| NAT gateway (nat_gateway) | pending | available | 120 |
| Application/Network Load Balancer (load_balancer) | provisioning | active | 180 |
| RDS DB instance (db_instance) | creating (85 %), backing-up | available | 900 (Multi-AZ) |
| Site-to-Site VPN connection (vpn_connection) | pending | available | 300 |
| Storage Gateway file gateway (gateway) | GatewayNotConnected on the calls that need the gateway | answers | 120 |
| Direct Connect connection (dx_connection) | requested (50 %), pending | available | 3600 (stand-in) |

Real seconds are typical creation times (NAT gateway "a few minutes", an ALB 2-3 minutes, a Multi-AZ PostgreSQL
instance 10-20 minutes, a VPN connection about 5 minutes, a file gateway connecting after activation 1-2 minutes).
A Direct Connect connection really waits days for the cross-connect at the location; 3600 s is a stand-in that keeps
the state visible at lab scales.

Switches: the environment variable LAB_EMULATOR_LATENCY=<scale> when the emulator starts (lab/emulator.sh passes its
environment), or at run time POST /_lab/latency {"scale": 0.02} (0 turns it off; optional "seconds": {key: real
seconds} overrides a resource's real seconds); GET /_lab/latency answers the profile. A reset of the emulator keeps
the profile (it is configuration, not state).

Implementation: the state attribute of moto's model class (NatGateway.state, FakeLoadBalancer.state,
DBInstance.status, VPNConnection.state, directconnect Connection.connection_state) becomes a property; its first
assignment (in the model's constructor) stamps the creation time when the profile is on, and reading it answers the
transitional state while the stored value is the ready state and the delay has not passed. The lab's Storage
Gateway is wrapped at its backend (activation stamps) and its responses (DescribeGatewayInformation, ListLocalDisks,
AddCache, DescribeCache, CreateNFSFileShare answer GatewayNotConnected, as AWS does for a gateway not connected yet).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from awsemu import control

ENV_SCALE = "LAB_EMULATOR_LATENCY"


@dataclass(frozen=True)
class Timing:
    seconds: float
    phases: tuple[tuple[str, float], ...]  # (state, until this share of the delay)
    ready: str


TIMINGS: dict[str, Timing] = {
    "nat_gateway": Timing(120, (("pending", 1.0),), "available"),
    "load_balancer": Timing(180, (("provisioning", 1.0),), "active"),
    "db_instance": Timing(900, (("creating", 0.85), ("backing-up", 1.0)), "available"),
    "vpn_connection": Timing(300, (("pending", 1.0),), "available"),
    "gateway": Timing(120, (("not connected", 1.0),), "connected"),
    "dx_connection": Timing(3600, (("requested", 0.5), ("pending", 1.0)), "available"),
}


class Profile:
    """The scale and per-resource real seconds; thread safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.scale = 0.0
        self.seconds: dict[str, float] = {}

    def configure(self, scale: float, seconds: dict[str, float] | None = None) -> None:
        with self._lock:
            self.scale = scale
            self.seconds = dict(seconds or {})

    def delay(self, key: str) -> float:
        """Seconds a resource of this kind created now stays in its transitional states (0 with the profile off)."""
        with self._lock:
            if self.scale <= 0:
                return 0.0
            return self.seconds.get(key, TIMINGS[key].seconds) * self.scale

    def describe(self) -> dict[str, Any]:
        with self._lock:
            scale, overrides = self.scale, dict(self.seconds)
        return {
            "scale": scale,
            "enabled": scale > 0,
            "resources": {
                key: {
                    "real_seconds": overrides.get(key, timing.seconds),
                    "lab_seconds": round(overrides.get(key, timing.seconds) * scale, 3),
                    "states": [state for state, _ in timing.phases],
                    "ready": timing.ready,
                }
                for key, timing in TIMINGS.items()
            },
        }


PROFILE = Profile()


def stamp(target: Any, key: str, now: float | None = None) -> None:
    """Mark a new resource: pending for the profile's delay from now (nothing when the profile is off)."""
    delay = PROFILE.delay(key)
    if delay <= 0:
        return
    now = time.time() if now is None else now
    target.__dict__["_lab_latency"] = (key, now, now + delay)


def pending_state(target: Any, now: float | None = None) -> str | None:
    """The transitional state a stamped resource answers now, or None once it is ready (or the profile is off)."""
    stamped = target.__dict__.get("_lab_latency")
    if stamped is None or PROFILE.scale <= 0:
        return None
    key, created, ready_at = stamped
    now = time.time() if now is None else now
    if now >= ready_at:
        return None
    share = (now - created) / (ready_at - created)
    for state, until in TIMINGS[key].phases:
        if share < until:
            return state
    return TIMINGS[key].phases[-1][0]


def _plain(value: Any) -> str:
    return str(getattr(value, "value", value))


class _TimedState(property):
    """A state property installed by this module (recognised so install() stays idempotent)."""

    __lab_latency__ = True


def time_attribute(cls: type, attribute: str, key: str) -> None:
    """Make cls.<attribute> answer the profile's transitional states while the stored value is the ready state."""
    if getattr(cls.__dict__.get(attribute), "__lab_latency__", False):
        return
    store = f"_lab_{attribute}"
    ready = TIMINGS[key].ready

    def getter(self: Any) -> Any:
        value = self.__dict__.get(store)
        if _plain(value) == ready:
            state = pending_state(self)
            if state is not None:
                return state
        return value

    def setter(self: Any, value: Any) -> None:
        if store not in self.__dict__:  # the constructor's assignment: the resource is being created
            stamp(self, key)
        self.__dict__[store] = value

    setattr(cls, attribute, _TimedState(getter, setter))


# --- Storage Gateway ---------------------------------------------------------------------------------------------

NOT_CONNECTED_ACTIONS = ("describe_gateway_information", "list_local_disks", "add_cache", "describe_cache", "create_nfs_file_share")


def _guard_not_connected(method: Any) -> Any:
    from awsemu.extensions.storagegateway.models import InvalidGatewayRequestException

    def guarded(self: Any) -> Any:
        arn = self._validated().get("GatewayARN")
        gateway = self.backend.gateways.get(arn)
        if gateway is not None and pending_state(gateway) is not None:
            raise InvalidGatewayRequestException("The specified gateway is not connected.", "GatewayNotConnected", GatewayARN=arn)
        return method(self)

    guarded.__lab_latency__ = True  # type: ignore[attr-defined]
    guarded.__wrapped__ = method  # type: ignore[attr-defined]
    return guarded


def _stamp_activation(method: Any) -> Any:
    def activate(self: Any, *args: Any, **kwargs: Any) -> Any:
        gateway = method(self, *args, **kwargs)
        stamp(gateway, "gateway")
        return gateway

    activate.__lab_latency__ = True  # type: ignore[attr-defined]
    return activate


def _install_storagegateway() -> None:
    from awsemu.extensions.storagegateway.models import StorageGatewayBackend
    from awsemu.extensions.storagegateway.responses import StorageGatewayResponse

    if not getattr(StorageGatewayBackend.activate_gateway, "__lab_latency__", False):
        StorageGatewayBackend.activate_gateway = _stamp_activation(StorageGatewayBackend.activate_gateway)  # type: ignore[method-assign]
    for name in NOT_CONNECTED_ACTIONS:
        method = getattr(StorageGatewayResponse, name)
        if not getattr(method, "__lab_latency__", False):
            setattr(StorageGatewayResponse, name, _guard_not_connected(method))


# --- control plane -----------------------------------------------------------------------------------------------


def _get(_body: Any) -> dict[str, Any]:
    return PROFILE.describe()


def _post(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or "scale" not in body:
        raise control.LabError(400, 'expected {"scale": <number >= 0>[, "seconds": {resource: real seconds}]}')
    try:
        scale = float(body["scale"])
    except (TypeError, ValueError):
        raise control.LabError(400, "scale must be a number") from None
    if scale < 0:
        raise control.LabError(400, "scale must not be negative")
    seconds = body.get("seconds") or {}
    if not isinstance(seconds, dict) or set(seconds) - set(TIMINGS):
        raise control.LabError(400, f"seconds must map some of {sorted(TIMINGS)} to real seconds")
    try:
        overrides = {key: float(value) for key, value in seconds.items()}
    except (TypeError, ValueError):
        raise control.LabError(400, "seconds must be numbers") from None
    if any(value < 0 for value in overrides.values()):
        raise control.LabError(400, "seconds must not be negative")
    PROFILE.configure(scale, overrides)
    return PROFILE.describe()


def install() -> None:
    """Time the slow resources' states (idempotent); read the start-up scale from LAB_EMULATOR_LATENCY."""
    from moto.directconnect.models import Connection
    from moto.ec2.models.nat_gateways import NatGateway
    from moto.ec2.models.vpn_connections import VPNConnection
    from moto.elbv2.models import FakeLoadBalancer
    from moto.rds.models import DBInstance

    time_attribute(NatGateway, "state", "nat_gateway")
    time_attribute(FakeLoadBalancer, "state", "load_balancer")
    time_attribute(DBInstance, "status", "db_instance")
    time_attribute(VPNConnection, "state", "vpn_connection")
    time_attribute(Connection, "connection_state", "dx_connection")
    _install_storagegateway()
    control.route("GET", "/_lab/latency", _get)
    control.route("POST", "/_lab/latency", _post)
    start_scale = os.environ.get(ENV_SCALE, "").strip()
    if start_scale:
        PROFILE.configure(max(float(start_scale), 0.0))
