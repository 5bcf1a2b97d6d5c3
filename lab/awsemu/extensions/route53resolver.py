"""Route 53 Resolver endpoint settings moto drops: Protocols and ResolverEndpointType.

- CreateResolverEndpoint keeps Protocols (default [Do53]) and ResolverEndpointType (default IPV4); the protocols
  must be one of the combinations AWS allows for the endpoint's direction.
- UpdateResolverEndpoint changes the Name and/or the Protocols. moto sets the name to null when only the protocols
  are sent; here an absent Name leaves the name alone. As on AWS, an inbound endpoint that serves only Do53 cannot
  switch straight to DNS over HTTPS alone.
- Every answer that describes an endpoint (create, get, list, update, delete, address changes) carries both fields.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from moto.route53resolver import urls as route53resolver_urls
from moto.route53resolver.exceptions import InvalidParameterException, InvalidRequestException
from moto.route53resolver.models import ResolverEndpoint
from moto.route53resolver.responses import Route53ResolverResponse

from awsemu.extensions._moto_classes import use_response_class

DEFAULT_PROTOCOLS = ["Do53"]
DEFAULT_ENDPOINT_TYPE = "IPV4"
ENDPOINT_TYPES = ("IPV4", "IPV6", "DUALSTACK")
ALLOWED_PROTOCOLS = {
    "INBOUND": [{"Do53"}, {"DoH"}, {"DoH-FIPS"}, {"Do53", "DoH"}, {"Do53", "DoH-FIPS"}],
    "OUTBOUND": [{"Do53"}, {"DoH"}, {"Do53", "DoH"}],
}


def check_protocols(direction: str, protocols: list[str]) -> None:
    allowed = ALLOWED_PROTOCOLS.get(direction, [{"Do53"}])
    if len(set(protocols)) != len(protocols) or set(protocols) not in allowed:
        raise InvalidParameterException(f"[RSLVR-00800] The protocols {protocols} are not supported for a {direction} Resolver endpoint.")


def check_protocol_change(endpoint: Any, protocols: list[str]) -> None:
    check_protocols(endpoint.direction, protocols)
    if endpoint.direction == "INBOUND" and set(protocols_of(endpoint)) == {"Do53"} and "Do53" not in protocols:
        raise InvalidRequestException(
            "[RSLVR-00801] You can't change the protocol of an inbound endpoint directly from only Do53 to only DoH or DoH-FIPS. "
            "Enable Do53 together with the new protocol first."
        )


def protocols_of(endpoint: Any) -> list[str]:
    return list(getattr(endpoint, "lab_protocols", None) or DEFAULT_PROTOCOLS)


class LabResolverEndpoint(ResolverEndpoint):
    """An endpoint created through the lab: its description carries Protocols and ResolverEndpointType."""

    def description(self) -> dict[str, Any]:
        answer = super().description()
        answer["Protocols"] = protocols_of(self)
        answer["ResolverEndpointType"] = getattr(self, "lab_endpoint_type", DEFAULT_ENDPOINT_TYPE)
        return answer


class LabRoute53ResolverResponse(Route53ResolverResponse):
    def create_resolver_endpoint(self) -> str:
        protocols = self._get_param("Protocols") or DEFAULT_PROTOCOLS
        check_protocols(self._get_param("Direction") or "", protocols)
        endpoint_type = self._get_param("ResolverEndpointType") or DEFAULT_ENDPOINT_TYPE
        if endpoint_type not in ENDPOINT_TYPES:
            raise InvalidParameterException(f"[RSLVR-00802] ResolverEndpointType {endpoint_type} is not one of {', '.join(ENDPOINT_TYPES)}.")
        created = json.loads(super().create_resolver_endpoint())["ResolverEndpoint"]
        endpoint = self.route53resolver_backend.resolver_endpoints[created["Id"]]
        endpoint.__class__ = LabResolverEndpoint  # moto names its model class in the backend's create
        endpoint.lab_protocols = list(protocols)
        endpoint.lab_endpoint_type = endpoint_type
        return json.dumps({"ResolverEndpoint": endpoint.description()})

    def update_resolver_endpoint(self) -> str:
        endpoint_id = self._get_param("ResolverEndpointId")
        name = self._get_param("Name")
        protocols = self._get_param("Protocols")
        backend = self.route53resolver_backend
        endpoint = backend.get_resolver_endpoint(endpoint_id)
        if protocols:
            check_protocol_change(endpoint, protocols)
        if name is not None:
            backend.update_resolver_endpoint(resolver_endpoint_id=endpoint_id, name=name)
        if protocols:
            endpoint.lab_protocols = list(protocols)
            endpoint.modification_time = datetime.now(timezone.utc).isoformat()
        return json.dumps({"ResolverEndpoint": endpoint.description()})


def install() -> None:
    """Route the service to the lab's responses (idempotent)."""
    use_response_class(route53resolver_urls, LabRoute53ResolverResponse)
