"""Configuration of the LAB STAND-IN ECS agent: the real agent's env-style files and variables.

/var/lib/ecs/ecs.config is read first and /etc/ecs/ecs.config second (the later file wins, the order in
which the real ecs.service loads them), then the process environment overrides both.
"""

from __future__ import annotations

import json
import logging
import os
import shlex

# LAB_AGENT_ROOT lets the lab exercise the stand-in in a scratch directory instead of a host's /.
ROOT = os.environ.get("LAB_AGENT_ROOT", "/")
LIB_DIR = os.path.dirname(os.path.abspath(__file__))
CONFIG_FILES = [os.path.join(ROOT, "var/lib/ecs/ecs.config"), os.path.join(ROOT, "etc/ecs/ecs.config")]
SSM_REGISTRATION_FILE = os.path.join(ROOT, "var/lib/amazon/ssm/registration")
STATE_FILE = os.path.join(ROOT, "var/lib/ecs/data/ecs_agent_data.json")
LOG_FILE = os.path.join(ROOT, "var/log/ecs/ecs-agent.log")
CONFIG_PREFIXES = ("ECS_", "AWS_")
LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR, "crit": logging.CRITICAL}


class ConfigError(Exception):
    pass


def agent_version() -> str:
    try:
        with open(os.path.join(LIB_DIR, "VERSION")) as handle:
            return handle.read().strip()
    except OSError:
        return "0.0.0"


def parse_env_file(text: str) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile reads them (comments, blank lines, optional quotes)."""
    values = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if value[:1] in ("'", '"'):
            try:
                value = shlex.split(value)[0] if value[1:-1] else ""
            except ValueError:
                value = value.strip("'\"")
        values[key.strip()] = value
    return values


def load() -> dict[str, str]:
    values: dict[str, str] = {}
    for path in CONFIG_FILES:
        try:
            with open(path) as handle:
                values.update(parse_env_file(handle.read()))
        except FileNotFoundError:
            continue
    values.update({k: v for k, v in os.environ.items() if k.startswith(CONFIG_PREFIXES)})
    return values


def ssm_registration() -> dict:
    try:
        with open(SSM_REGISTRATION_FILE) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def instance_attributes(config: dict[str, str]) -> dict[str, str]:
    raw = config.get("ECS_INSTANCE_ATTRIBUTES", "").strip()
    if not raw:
        return {}
    try:
        attributes = json.loads(raw)
    except ValueError as error:
        raise ConfigError(f"ECS_INSTANCE_ATTRIBUTES is not valid JSON: {error}") from error
    if not isinstance(attributes, dict) or not all(isinstance(v, str) for v in attributes.values()):
        raise ConfigError("ECS_INSTANCE_ATTRIBUTES must be a JSON object of strings")
    return attributes


def endpoint(config: dict[str, str], region: str) -> str:
    return config.get("ECS_BACKEND_HOST") or f"ecs.{region}.amazonaws.com"


def is_true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


def log_level(config: dict[str, str]) -> int:
    return LOG_LEVELS.get(config.get("ECS_LOGLEVEL", "info").strip().lower(), logging.INFO)
