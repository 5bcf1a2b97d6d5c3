"""Serve moto's WSGI app behind the lab's layer: the /_lab/ control plane, the request log and fault injection."""

from __future__ import annotations

import io
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

from awsemu import classify, control, faults, request_context
from awsemu.idempotency import CLIENT_TOKENS
from awsemu.request_log import REQUEST_LOG
from awsemu.routing import LabDispatcher

STATUS_REASONS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable"}


def _read_body(environ: dict[str, Any]) -> bytes:
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    length = environ.get("CONTENT_LENGTH")
    if length:
        return stream.read(int(length))
    if environ.get("wsgi.input_terminated"):
        return stream.read()
    return b""


class LabApplication:
    def __init__(self) -> None:
        self.dispatcher = LabDispatcher(create_backend_app)

    def _service_of(self, environ: dict[str, Any]) -> str | None:
        try:
            return getattr(self.dispatcher.get_application(environ), "service", None)
        except Exception:  # moto answers unroutable requests itself; the log just has no service
            return None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request_context.SECURE_TRANSPORT.set(environ.get("wsgi.url_scheme") == "https")
        body = _read_body(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        path = environ.get("PATH_INFO", "")
        if path == control.PREFIX or path.startswith(control.PREFIX + "/"):
            return control.wsgi(environ, start_response, body)

        method = environ.get("REQUEST_METHOD", "GET")
        service = self._service_of(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        operation = classify.operation_of(environ, body, service)

        decision = faults.RULES.decide(service, operation)
        if decision.delay:
            time.sleep(decision.delay)
        if decision.rule is not None and not decision.applied:
            return self._answer_fault(decision.rule, environ, start_response, service=service, operation=operation, method=method)

        token = CLIENT_TOKENS.key_of(environ, service, operation, body)
        if token is not None:
            remembered = CLIENT_TOKENS.lookup(*token)
            if remembered == "mismatch":
                rule = {"error": "IdempotentParameterMismatch", "status": 400, "message": "The client token was used before with other parameters."}
                return self._answer_fault(rule, environ, start_response, service=service, operation=operation, method=method)
            if remembered is not None:  # the repeat of a request carried out before: its answer, no second resource
                status, headers, payload = remembered
                start_response(f"{status} OK", headers)
                REQUEST_LOG.record(service, operation, status, method, environ.get("REMOTE_ADDR"))
                return [payload]

        seen: dict[str, int] = {}

        def recording_start_response(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"] = int(status_line.split(" ", 1)[0])
            return start_response(status_line, headers, exc_info)

        environ["wsgi.input"] = io.BytesIO(body)
        if decision.applied or token is not None:
            # "Applied, then failed": moto carries the call out in full, its answer is dropped, the client gets the error.
            # A request with a client token: its answer is kept for a repeat (also when a fault dropped it).
            answered: dict[str, Any] = {}

            def keeping_start_response(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
                answered.update(status_line=status_line, headers=list(headers))
                return lambda _data: None

            answer = self.dispatcher(environ, keeping_start_response)
            try:
                payload = b"".join(answer)
            finally:
                getattr(answer, "close", lambda: None)()
            status = int(answered["status_line"].split(" ", 1)[0])
            if token is not None:
                CLIENT_TOKENS.remember(*token, status, answered["headers"], payload)
            if decision.applied:
                return self._answer_fault(decision.rule, environ, start_response, service=service, operation=operation, method=method)
            start_response(answered["status_line"], answered["headers"])
            REQUEST_LOG.record(service, operation, status, method, environ.get("REMOTE_ADDR"))
            return [payload]
        try:
            return self.dispatcher(environ, recording_start_response)
        finally:
            REQUEST_LOG.record(service, operation, seen.get("status", 500), method, environ.get("REMOTE_ADDR"))

    @staticmethod
    def _answer_fault(
        rule: dict[str, Any], environ: dict[str, Any], start_response: Callable[..., Any], *, service: str | None, operation: str | None, method: str
    ) -> list[bytes]:
        status, headers, payload = faults.error_response(rule, classify.protocol_of(environ, service))
        headers.append(("Content-Length", str(len(payload))))
        start_response(f"{status} {STATUS_REASONS.get(status, 'Error')}", headers)
        REQUEST_LOG.record(service, operation, status, method, environ.get("REMOTE_ADDR"))
        return [payload]


def serve(hosts: list[str], port: int, tls_port: int | None = None, tls_files: tuple[str, str] | None = None) -> None:
    """Serve plain HTTP on every host (the first in the foreground), and HTTPS on tls_port with tls_files (certificate
    chain, key) when given; returns when interrupted."""
    app = LabApplication()
    servers: list[BaseWSGIServer] = [make_server(host, port, app, threaded=True, request_handler=MotoRequestHandler) for host in hosts]
    if tls_port is not None and tls_files is not None:
        servers += [make_server(host, tls_port, app, threaded=True, request_handler=MotoRequestHandler, ssl_context=tls_files) for host in hosts]
    for extra in servers[1:]:
        threading.Thread(target=extra.serve_forever, name=f"awsemu-{extra.host}", daemon=True).start()
    print(f"awsemu listening on {', '.join(f'{s.host}:{s.port}' for s in servers)}", file=sys.stderr, flush=True)
    try:
        servers[0].serve_forever()
    finally:
        for server in servers:
            server.server_close()
