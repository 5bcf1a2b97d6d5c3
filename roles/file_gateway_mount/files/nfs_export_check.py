"""Tell whether an NFS server (an S3 File Gateway) exports shares to this host.

Run by the file_gateway_mount role (ansible.builtin.script with the host's Python 3), standard library only.

Runs `showmount -e` against the gateway with a time limit, parses the export list and matches each share's path
(/NAME) and each export's client list against the address this host reaches the gateway from (or the one given,
for clients behind NAT). Prints one JSON object and exits 0; the role turns it into a clear message.

usage: nfs_export_check.py --gateway HOST --timeout SECONDS [--client-address IP] SHARE...

Output: {"gateway", "client_address", "exports": {path: [clients]},
         "shares": {share: "exported" | "exported-unverified" | "not-for-this-host" | "missing"}, "error": str | null}
"exported-unverified": the export lists clients by host name or netgroup, which this check cannot resolve.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import socket
import subprocess

EVERYONE = {"*", "(everyone)", "everyone"}
NFS_PORT = 2049


def share_path(share: str) -> str:
    return "/" + share.strip("/")


def parse_exports(text: str) -> dict[str, list[str]]:
    """showmount -e --no-headers prints `PATH CLIENT,CLIENT...` per export; the path may hold spaces."""
    exports: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = line.rsplit(None, 1)
        path, clients = (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")
        exports[path.strip().rstrip("/") or "/"] = [client for client in clients.split(",") if client]
    return exports


def local_address(gateway: str) -> str:
    """The source address of this host toward the gateway (a UDP connect sends no packet)."""
    first = socket.getaddrinfo(gateway, NFS_PORT, proto=socket.IPPROTO_UDP)[0]
    family, address = first[0], first[4]
    with socket.socket(family, socket.SOCK_DGRAM) as probe:
        probe.connect(address)
        return probe.getsockname()[0]


def client_status(clients: list[str], address: str) -> str:
    ip = ipaddress.ip_address(address)
    unresolvable = False
    for client in clients:
        if client in EVERYONE:
            return "exported"
        try:
            if ip in ipaddress.ip_network(client, strict=False):
                return "exported"
        except ValueError:
            unresolvable = True
    return "exported-unverified" if unresolvable else "not-for-this-host"


def list_exports(gateway: str, timeout: int) -> tuple[dict[str, list[str]], str | None]:
    try:
        answer = subprocess.run(["showmount", "-e", "--no-headers", gateway], capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError:
        return {}, "showmount is not installed (package nfs-common or nfs-utils)"
    except subprocess.TimeoutExpired:
        return {}, f"no answer within {timeout} s"
    if answer.returncode != 0:
        return {}, (answer.stderr or answer.stdout).strip() or f"showmount exited with {answer.returncode}"
    return parse_exports(answer.stdout), None


def check(gateway: str, timeout: int, client_address: str, shares: list[str]) -> dict:
    result = {"gateway": gateway, "client_address": client_address, "exports": {}, "shares": {}, "error": None}
    try:
        result["client_address"] = client_address or local_address(gateway)
    except OSError as error:
        result["error"] = f"cannot reach {gateway}: {error}"
        return result
    result["exports"], result["error"] = list_exports(gateway, timeout)
    if result["error"] is None:
        for share in shares:
            clients = result["exports"].get(share_path(share))
            result["shares"][share] = "missing" if clients is None else client_status(clients, result["client_address"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--timeout", type=int, default=15)
    parser.add_argument("--client-address", default="")
    parser.add_argument("shares", nargs="+")
    arguments = parser.parse_args()
    print(json.dumps(check(arguments.gateway, arguments.timeout, arguments.client_address, arguments.shares)))


if __name__ == "__main__":
    main()
