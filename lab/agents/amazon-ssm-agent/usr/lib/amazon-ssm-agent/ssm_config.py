"""Paths, configuration and logging of the LAB STAND-IN amazon-ssm-agent (the real agent's file layout)."""

from __future__ import annotations

import json
import logging
import os
import sys

AGENT_NAME = "amazon-ssm-agent"
# LAB_AGENT_ROOT lets the lab exercise the stand-in in a scratch directory instead of a host's /.
ROOT = os.environ.get("LAB_AGENT_ROOT", "/")
LIB_DIR = os.path.dirname(os.path.abspath(__file__))


def path(relative: str) -> str:
    return os.path.join(ROOT, relative)


CONFIG_FILE = path("etc/amazon/ssm/amazon-ssm-agent.json")
REGISTRATION_FILE = path("var/lib/amazon/ssm/registration")
VAULT_DIR = path("var/lib/amazon/ssm/Vault")
LOG_FILE = path("var/log/amazon/ssm/amazon-ssm-agent.log")


def agent_version() -> str:
    try:
        with open(os.path.join(LIB_DIR, "VERSION")) as handle:
            return handle.read().strip()
    except OSError:
        return "0.0.0.0"


def load_config() -> dict:
    """The agent's JSON configuration; like the real agent, a missing or broken file means defaults."""
    try:
        with open(CONFIG_FILE) as handle:
            config = json.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        logging.getLogger(AGENT_NAME).error("ignoring %s: %s", CONFIG_FILE, error)
        return {}
    return config if isinstance(config, dict) else {}


def configured_region(config: dict, registered_region: str) -> str:
    return (config.get("Agent") or {}).get("Region") or registered_region


def ssm_endpoint(config: dict, region: str) -> str:
    """Ssm.Endpoint overrides the regional endpoint (Mgs.Endpoint is not used by the stand-in)."""
    return (config.get("Ssm") or {}).get("Endpoint") or f"ssm.{region}.amazonaws.com"


def setup_logging() -> logging.Logger:
    log = logging.getLogger(AGENT_NAME)
    if log.handlers:
        return log
    log.setLevel(logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stdout)]
    try:
        os.makedirs(os.path.dirname(LOG_FILE), exist_ok=True)
        handlers.append(logging.FileHandler(LOG_FILE))
    except OSError:
        pass  # a non-root -version or usage call must not fail on the log directory
    for handler in handlers:
        handler.setFormatter(formatter)
        log.addHandler(handler)
    return log
