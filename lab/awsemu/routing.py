"""moto's request routing, with the answers that never change worked out once instead of on every request.

moto's DomainDispatcherApplication finds the backend of a request's host by asking whether the host is one of moto's
service modules, which lists moto's package folder (a directory listing and a stat for each of its ~200 entries), and
then by matching the URL patterns of every service: 1 to 2 ms per call. The lab routes each request twice
(server.LabApplication names the service for the request log, then dispatches through LabDispatcher.__call__, which
first asks the request gates the extensions registered, region_outage's among them). LabDispatcher keeps the backend
of each host (it depends only on the installed moto; moto's own method gives it the first time) and the application
of each request (in its WSGI environ) for the second routing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication

# A gate sees each request before moto does and answers it itself (a WSGI answer) or lets it through (None).
Gate = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes] | None]
_gates: list[Gate] = []


def add_gate(gate: Gate) -> None:
    """Register GATE for every request LabDispatcher dispatches (once, however often it is added)."""
    if gate not in _gates:
        _gates.append(gate)


# Hosts are "<service>.<region>.amazonaws.com" and the like: a few dozen in a lab. The bound only keeps a client
# that invents hosts from growing the memo without end.
MAX_REMEMBERED_HOSTS = 4096
ENVIRON_KEY = "awsemu.application"


class LabDispatcher(DomainDispatcherApplication):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.backend_of_host: dict[str, Any] = {}

    def get_backend_for_host(self, host: str | None) -> Any:
        if host is None:
            return None
        try:
            return self.backend_of_host[host]
        except KeyError:
            backend = super().get_backend_for_host(host)
        if len(self.backend_of_host) < MAX_REMEMBERED_HOSTS:
            self.backend_of_host[host] = backend
        return backend

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        for gate in _gates:
            answer = gate(environ, start_response)
            if answer is not None:
                return answer
        return super().__call__(environ, start_response)

    def get_application(self, environ: dict[str, Any]) -> Any:
        application = environ.get(ENVIRON_KEY)
        if application is None:
            application = environ[ENVIRON_KEY] = super().get_application(environ)
        return application
