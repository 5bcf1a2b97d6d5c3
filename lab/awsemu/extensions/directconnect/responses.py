"""Direct Connect for the lab: the responses, in the API's JSON (the package's docstring)."""

from __future__ import annotations

import json
from typing import Any

from moto.directconnect.models import directconnect_backends
from moto.directconnect.responses import DirectConnectResponse

from awsemu.extensions._model_constraints import validate
from awsemu.extensions.paging import page
from awsemu.extensions.directconnect.models import MAX_PAGE, SERVICE, DirectConnectClientException, LabDirectConnectBackend, check_tags

Answer = tuple[str, dict[str, str]]


def _answer(payload: dict[str, Any]) -> Answer:
    return json.dumps(payload), {"Content-Type": "application/x-amz-json-1.1"}


def _next_token_error() -> DirectConnectClientException:
    return DirectConnectClientException("The nextToken is not valid.")


class LabDirectConnectResponse(DirectConnectResponse):
    @property
    def lab_backend(self) -> LabDirectConnectBackend:
        return directconnect_backends[self.current_account][self.region]  # type: ignore[return-value]

    def _params(self) -> dict[str, Any]:
        params = json.loads(self.body or "{}")
        validate(SERVICE, self._get_action(), params)
        return params

    @staticmethod
    def _paged(items: list[Any], params: dict[str, Any]) -> tuple[list[Any], str | None]:
        if not params.get("maxResults") and not params.get("nextToken"):
            return items, None
        return page(items, params.get("maxResults") or MAX_PAGE, params.get("nextToken"), _next_token_error)

    def create_direct_connect_gateway(self) -> Answer:
        p = self._params()
        gateway = self.lab_backend.create_direct_connect_gateway(p["directConnectGatewayName"], p.get("amazonSideAsn"), p.get("tags"))
        return _answer({"directConnectGateway": gateway.describe(self.lab_backend.gateway_tags(gateway))})

    def describe_direct_connect_gateways(self) -> Answer:
        p = self._params()
        gateways, token = self._paged(self.lab_backend.describe_direct_connect_gateways(p.get("directConnectGatewayId")), p)
        answer: dict[str, Any] = {"directConnectGateways": [g.describe(self.lab_backend.gateway_tags(g)) for g in gateways]}
        if token:
            answer["nextToken"] = token
        return _answer(answer)

    def delete_direct_connect_gateway(self) -> Answer:
        p = self._params()
        gateway = self.lab_backend.delete_direct_connect_gateway(p["directConnectGatewayId"])
        return _answer({"directConnectGateway": gateway.describe([])})

    def create_direct_connect_gateway_association(self) -> Answer:
        p = self._params()
        association = self.lab_backend.create_association(
            p["directConnectGatewayId"], p.get("gatewayId") or p.get("virtualGatewayId"), p.get("addAllowedPrefixesToDirectConnectGateway")
        )
        return _answer({"directConnectGatewayAssociation": association.describe()})

    def describe_direct_connect_gateway_associations(self) -> Answer:
        p = self._params()
        found = self.lab_backend.describe_associations(
            p.get("associationId"), p.get("associatedGatewayId") or p.get("virtualGatewayId"), p.get("directConnectGatewayId")
        )
        associations, token = self._paged(found, p)
        described = [association.describe() for association in associations]
        for association in associations:
            association.advance()
        answer: dict[str, Any] = {"directConnectGatewayAssociations": described}
        if token:
            answer["nextToken"] = token
        return _answer(answer)

    def delete_direct_connect_gateway_association(self) -> Answer:
        p = self._params()
        association = self.lab_backend.delete_association(p.get("associationId"), p.get("directConnectGatewayId"), p.get("virtualGatewayId"))
        return _answer({"directConnectGatewayAssociation": association.describe()})

    def update_direct_connect_gateway_association(self) -> Answer:
        p = self._params()
        association = self.lab_backend.update_association(
            p.get("associationId"), p.get("addAllowedPrefixesToDirectConnectGateway"), p.get("removeAllowedPrefixesToDirectConnectGateway")
        )
        return _answer({"directConnectGatewayAssociation": association.describe()})

    def tag_resource(self) -> Answer:
        p = self._params()
        tags = check_tags(p["tags"])
        self.lab_backend.tag_resource(p["resourceArn"], {tag["key"]: tag.get("value", "") for tag in tags})
        return _answer({})

    def untag_resource(self) -> Answer:
        p = self._params()
        self.lab_backend.untag_resource(p["resourceArn"], p["tagKeys"])
        return _answer({})

    def describe_tags(self) -> Answer:
        p = self._params()
        return _answer({"resourceTags": self.lab_backend.describe_tags(p["resourceArns"])})

    def create_private_virtual_interface(self) -> Answer:
        p = self._params()
        vif = self.lab_backend.create_virtual_interface("private", p["connectionId"], p["newPrivateVirtualInterface"])
        return _answer(vif.describe(self.lab_backend.list_tags_for_resource(vif.arn)))

    def create_transit_virtual_interface(self) -> Answer:
        p = self._params()
        vif = self.lab_backend.create_virtual_interface("transit", p["connectionId"], p["newTransitVirtualInterface"])
        return _answer({"virtualInterface": vif.describe(self.lab_backend.list_tags_for_resource(vif.arn))})

    def describe_virtual_interfaces(self) -> Answer:
        p = self._params()
        found = self.lab_backend.describe_virtual_interfaces(p.get("connectionId"), p.get("virtualInterfaceId"))
        vifs, token = self._paged(found, p)
        answer: dict[str, Any] = {"virtualInterfaces": [vif.describe(self.lab_backend.list_tags_for_resource(vif.arn)) for vif in vifs]}
        if token:
            answer["nextToken"] = token
        return _answer(answer)

    def delete_virtual_interface(self) -> Answer:
        p = self._params()
        self.lab_backend.delete_virtual_interface(p["virtualInterfaceId"])
        return _answer({"virtualInterfaceState": "deleting"})

    def update_lag(self) -> Answer:
        p = self._params()
        lag = self.lab_backend.update_lag(p["lagId"], p.get("lagName"), p.get("minimumLinks"), p.get("encryptionMode"))
        return _answer({**lag.to_dict(), "ownerAccount": lag.owner_account})
