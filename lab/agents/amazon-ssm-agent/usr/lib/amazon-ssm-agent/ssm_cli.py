"""Command line of the LAB STAND-IN amazon-ssm-agent, with the real agent's flags and exit codes.

    amazon-ssm-agent                                   run the service (heartbeats while registered)
    amazon-ssm-agent -register -code C -id I -region R [-y]
    amazon-ssm-agent -register -clear                  remove the registration
    amazon-ssm-agent -version
An existing registration is replaced only after a "Yes" on stdin or with -y; without an answer the
registration fails (exit 1), as the real agent's prompt does.
"""

from __future__ import annotations

import argparse
import sys

import ssm_heartbeat
import ssm_registration
from ssm_config import agent_version, setup_logging

USAGE = """

Command-line Usage:
\t-register\tregister managed instance
\t\t-id\tSSM activation ID    \t(REQUIRED)
\t\t-code\tSSM activation code\t(REQUIRED)
\t\t-region\tSSM region       \t(REQUIRED)

\t\t-clear\tClears the previously saved SSM registration

\t-y\tAnswer yes for all questions
"""


class _FlagParser(argparse.ArgumentParser):
    def error(self, message: str):
        raise ValueError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _FlagParser(prog="amazon-ssm-agent", add_help=False, allow_abbrev=False)
    parser.add_argument("-register", action="store_true")
    parser.add_argument("-code", default="")
    parser.add_argument("-id", default="")
    parser.add_argument("-region", default="")
    parser.add_argument("-clear", action="store_true")
    parser.add_argument("-y", dest="force", action="store_true")
    parser.add_argument("-version", action="store_true")
    return parser


def _confirmed() -> bool:
    print("\nInstance already registered. Would you like to override existing with new registration information? [Yes/No]: ", end="", flush=True)
    answer = sys.stdin.readline().strip().lower()
    if not answer:
        raise ValueError("no answer received (use -y to answer yes)")
    if answer[0] not in "yn":
        raise ValueError("Invalid response received.")
    return answer[0] == "y"


def _register(args: argparse.Namespace) -> int:
    log = setup_logging()
    if not (args.code and args.id and args.region):
        if args.clear:
            ssm_registration.clear()
            log.info("Registration information has been removed from the instance.")
            return 0
        sys.stderr.write(USAGE)
        return 1
    if not args.force and ssm_registration.registered_instance():
        try:
            confirmed = _confirmed()
        except ValueError as error:
            log.error("Registration failed due to %s", error)
            return 1
        if not confirmed:
            log.info("Registration canceled by user")
            return 1
    try:
        instance_id = ssm_registration.register(args.code, args.id, args.region)
    except (ssm_registration.RegistrationError, OSError) as error:
        log.error("Registration failed due to %s", error)
        return 1
    log.info("Successfully registered the instance with AWS SSM using Managed instance-id: %s", instance_id)
    return 0


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except ValueError as error:
        sys.stderr.write(f"{error}{USAGE}")
        return 2
    if args.version and len(argv) == 1:
        print("SSM Agent version: " + agent_version())
        return 0
    if args.register:
        return _register(args)
    if argv:
        sys.stderr.write(USAGE)
        return 1
    return ssm_heartbeat.run(setup_logging())
