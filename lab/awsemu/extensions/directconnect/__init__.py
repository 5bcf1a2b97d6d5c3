"""Direct Connect for the lab: gateways, private and transit virtual interfaces, gateway associations (with their allowed
prefixes), UpdateLag, and tags by resource ARN.

moto's Direct Connect knows connections and LAGs only, and names them with ARN-like ids ("arn:...:dx-con/dx-moto-NAME-
TIMESTAMP") that it also uses as tag keys. This extension subclasses its backend and response classes. Connections and
LAGs get AWS's ids (dxcon-xxxxxxxx, dxlag-xxxxxxxx); TagResource, UntagResource and DescribeTags take the resources'
ARNs as on AWS (arn:aws:directconnect:REGION:ACCOUNT:dxcon/ID, .../dxlag/ID, .../dxvif/ID and, without a region,
arn:aws:directconnect::ACCOUNT:dx-gateway/ID), answer DirectConnectClientException for an ARN that names no resource,
and cap a resource at 50 tags (TooManyTagsException).
Direct Connect gateways are global, as on AWS: every region of an account sees the same ones (they are kept by the
account's us-east-1 backend). States progress through moto's state manager, so they can be tuned with moto's own
/moto-api/state-manager/set-transition:
    directconnect::association   associating -> associated, updating -> associated, disassociating -> disassociated
                                 (default: one describe later, so callers see the transitional state once, as on AWS)
    directconnect::virtualinterface  pending -> available (default: immediately)
Lab knob: POST /_lab/directconnect/virtual-interfaces/<id>/state {"state": "down"|"available"|...}; the BGP peers'
bgpStatus follows the interface (up only while it is available).
"""

from __future__ import annotations

from typing import Any

from moto.directconnect import urls as directconnect_urls
from moto.directconnect.models import directconnect_backends
from moto.moto_api import state_manager

from awsemu import control
from awsemu.extensions._moto_classes import use_backend_class, use_response_class
from awsemu.extensions.directconnect.models import ASSOCIATION_MODEL, SETTABLE_VIF_STATES, VIF_MODEL, LabDirectConnectBackend
from awsemu.extensions.directconnect.responses import LabDirectConnectResponse


def _set_vif_state_route(body: Any, vif_id: str) -> dict[str, Any]:
    state = body.get("state") if isinstance(body, dict) else None
    if state not in SETTABLE_VIF_STATES:
        raise control.LabError(400, f"state must be one of {', '.join(SETTABLE_VIF_STATES)}")
    for _account, _region, backend in directconnect_backends.iter_backends():
        vif = getattr(backend, "virtual_interfaces", {}).get(vif_id)
        if vif is not None:
            backend.set_virtual_interface_state(vif, state)
            return vif.describe(backend.list_tags_for_resource(vif.arn))
    raise control.LabError(404, f"no virtual interface {vif_id}")


def install() -> None:
    """Swap in the lab's Direct Connect backend and responses (idempotent)."""
    use_backend_class(directconnect_backends, LabDirectConnectBackend)
    use_response_class(directconnect_urls, LabDirectConnectResponse)
    state_manager.register_default_transition(ASSOCIATION_MODEL, {"progression": "manual", "times": 1})
    state_manager.register_default_transition(VIF_MODEL, {"progression": "immediate"})
    control.route("POST", "/_lab/directconnect/virtual-interfaces/<vif_id>/state", _set_vif_state_route)
