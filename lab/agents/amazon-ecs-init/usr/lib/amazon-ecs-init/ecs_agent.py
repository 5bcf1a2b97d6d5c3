"""The LAB STAND-IN ECS agent service: register the container instance, run its tasks, answer the introspection API.

`amazon-ecs-init start` exits 5 (the unit's RestartPreventExitStatus, so the unit fails) when the
configuration is unusable, e.g. without ECS_CLUSTER; registration errors are retried with back-off.
GET http://localhost:51678/v1/metadata answers {"Cluster", "ContainerInstanceArn", "Version"}, /v1/tasks the tasks
it runs ({"Tasks": [{"Arn", "DesiredStatus", "KnownStatus", "Family", "Version", "Containers"}]}). Once registered,
ecs_tasks.TaskEngine runs the tasks ECS places on this instance with the host's Docker.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import ecs_config
import ecs_registration
import ecs_tasks

INTROSPECTION_ADDRESS = ("127.0.0.1", 51678)
EXIT_TERMINAL = 5
RETRY_MIN_SECONDS = 2.0
RETRY_MAX_SECONDS = 30.0


class AgentState:
    def __init__(self, cluster: str):
        self.cluster = cluster
        self.container_instance_arn: str | None = None
        self.engine: ecs_tasks.TaskEngine | None = None

    def metadata(self) -> dict:
        return {
            "Cluster": self.cluster,
            "ContainerInstanceArn": self.container_instance_arn,
            "Version": f"Amazon ECS Agent - v{ecs_config.agent_version()} (LAB STAND-IN)",
        }


def _handler(state: AgentState) -> type[BaseHTTPRequestHandler]:
    class IntrospectionHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].rstrip("/")
            if path == "/v1/metadata":
                self._answer(200, state.metadata())
            elif path == "/v1/tasks":
                self._answer(200, state.engine.introspection() if state.engine else {"Tasks": []})
            else:
                self._answer(404, {"error": "not found"})

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args) -> None:
            pass

    return IntrospectionHandler


def _setup_logging(config: dict[str, str]) -> logging.Logger:
    log = logging.getLogger("ecs-agent")
    log.setLevel(ecs_config.log_level(config))
    formatter = logging.Formatter("level=%(levelname)s time=%(asctime)s msg=%(message)s")
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stdout)]
    try:
        os.makedirs(os.path.dirname(ecs_config.LOG_FILE), exist_ok=True)
        handlers.append(logging.FileHandler(ecs_config.LOG_FILE))
    except OSError:
        pass
    for handler in handlers:
        handler.setFormatter(formatter)
        log.addHandler(handler)
    return log


def start() -> int:
    config = ecs_config.load()
    log = _setup_logging(config)
    cluster = config.get("ECS_CLUSTER", "").strip()
    if not cluster:
        log.critical("ECS_CLUSTER is not set in /etc/ecs/ecs.config or /var/lib/ecs/ecs.config; refusing to start")
        return EXIT_TERMINAL
    try:
        ecs_config.instance_attributes(config)
    except ecs_config.ConfigError as error:
        log.critical("%s", error)
        return EXIT_TERMINAL

    # As the real agent: the saved state names the cluster it registered with, and another configured cluster is a
    # terminal error until that state is removed (a move to another cluster clears /var/lib/ecs/data first).
    saved_cluster = ecs_registration.saved_state().get("Cluster")
    if saved_cluster and saved_cluster != cluster:
        log.critical(
            "Data mismatch; saved cluster '%s' does not match configured cluster '%s'. Perhaps you want to delete the configured checkpoint file?",
            saved_cluster,
            cluster,
        )
        return EXIT_TERMINAL

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    state = AgentState(cluster)
    server = ThreadingHTTPServer(INTROSPECTION_ADDRESS, _handler(state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log.info("LAB STAND-IN ECS agent %s starting for cluster %s", ecs_config.agent_version(), cluster)

    delay = RETRY_MIN_SECONDS
    while not stop.is_set() and state.container_instance_arn is None:
        try:
            state.container_instance_arn = ecs_registration.register(config, cluster)
            log.info("registered container instance %s in cluster %s", state.container_instance_arn, cluster)
        except ecs_registration.RegistrationError as error:
            log.error("%s; retrying in %.0f s", error, delay)
            stop.wait(delay)
            delay = min(delay * 2, RETRY_MAX_SECONDS)
    if state.container_instance_arn:
        region = config.get("AWS_DEFAULT_REGION") or config.get("AWS_REGION") or ecs_config.ssm_registration().get("Region", "")
        state.engine = ecs_tasks.TaskEngine(
            config=config, cluster=cluster, instance_arn=state.container_instance_arn, endpoint=ecs_config.endpoint(config, region), region=region, log=log
        )
        threading.Thread(target=state.engine.run, args=(stop,), name="task-engine", daemon=True).start()
    stop.wait()
    server.shutdown()
    log.info("ECS agent stopped")
    return 0


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "start"
    if command == "start":
        return start()
    if command in ("pre-start", "stop", "post-stop", "reload-cache"):
        return 0  # the real ecs-init manages the agent's container here; the stand-in has none
    sys.stderr.write("usage: amazon-ecs-init {pre-start|start|stop|post-stop}\n")
    return 2
