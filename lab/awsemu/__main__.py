"""Launcher: `python -m awsemu --port 4566 [--host 127.0.0.1] [--extra-host ADDR ...] [--tls-port 4567 --tls-cert F --tls-key F]
[--pid-file F] [--log-file F]`."""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import sys

DEFAULT_PORT = 4566


def _host(value: str) -> str:
    try:
        address = ipaddress.ip_address(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not an IP address") from error
    if address.is_unspecified:
        raise argparse.ArgumentTypeError("the lab emulator never listens on every interface; give a concrete address")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m awsemu", description="The lab's AWS emulator: moto plus the hybrid APIs moto lacks.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LAB_EMULATOR_PORT", DEFAULT_PORT)))
    parser.add_argument("--host", type=_host, default="127.0.0.1")
    parser.add_argument("--extra-host", type=_host, action="append", default=[], help="also listen on this address (repeatable)")
    parser.add_argument("--tls-port", type=int, help="also serve HTTPS on this port (needs --tls-cert and --tls-key)")
    parser.add_argument("--tls-cert", help="the TLS listener's certificate chain (PEM)")
    parser.add_argument("--tls-key", help="the TLS listener's private key (PEM)")
    parser.add_argument("--pid-file", help="write the process id here")
    parser.add_argument("--log-file", help="append every answered AWS request here as a JSON line")
    args = parser.parse_args(argv)
    if args.tls_port is not None and not (args.tls_cert and args.tls_key):
        parser.error("--tls-port needs --tls-cert and --tls-key")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # Must be set before moto is imported: IAM reads it when its backend module loads.
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"

    from awsemu import action_methods, extensions, iam_policies, server, snapshots
    from awsemu.request_log import REQUEST_LOG

    iam_policies.install()
    action_methods.install()
    extensions.install_all()
    snapshots.install()
    REQUEST_LOG.write_to(args.log_file)
    if args.pid_file:
        with open(args.pid_file, "w", encoding="utf-8") as pid_file:
            pid_file.write(f"{os.getpid()}\n")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        hosts = [args.host, *dict.fromkeys(h for h in args.extra_host if h != args.host)]
        server.serve(hosts, args.port, args.tls_port, (args.tls_cert, args.tls_key) if args.tls_port is not None else None)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        from awsemu import control

        control.run_exit_hooks()
        if args.pid_file and os.path.exists(args.pid_file):
            os.remove(args.pid_file)


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip tearing down moto's large object graph at exit (seconds on a busy machine); nothing is left to flush.
    os._exit(0)
