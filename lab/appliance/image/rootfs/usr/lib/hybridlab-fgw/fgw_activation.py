"""The appliance's HTTP endpoint (port 80), as a Storage Gateway VM answers it before activation:

    GET /?activationRegion=R[&no_redirect]   302 whose Location query carries activationKey=K
                                             (with no_redirect: the key as the plain-text body)
    GET /_lab/status                         the sync daemon's last status (lab only)
The key comes from the emulator's lab control plane, issued for this appliance's address and region R.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fgw_state
from fgw_settings import ADDRESS, ENDPOINT

REGION_PATTERN = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")
LISTEN_PORT = int(os.environ.get("LAB_FGW_HTTP_PORT", "80"))


def issue_activation_key(region: str) -> str:
    request = urllib.request.Request(
        f"{ENDPOINT}/_lab/storagegateway/activation-keys",
        data=json.dumps({"gateway_address": ADDRESS, "region": region}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)["activation_key"]


class ActivationHandler(BaseHTTPRequestHandler):
    server_version = "hybridlab-fgw"

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == "/_lab/status":
            self._answer(200, json.dumps(fgw_state.read_status()), "application/json")
        elif url.path == "/" and "activationRegion" in query:
            self._activation(query["activationRegion"][0], "no_redirect" in query)
        elif url.path == "/" and "activationKey" in query:
            self._answer(200, f"Activation key {query['activationKey'][0]}: activate the gateway with it in the AWS API.\n")
        else:
            self._answer(404, "not found\n")

    def _activation(self, region: str, no_redirect: bool) -> None:
        if not REGION_PATTERN.match(region):
            self._answer(400, f"invalid activationRegion {region!r}\n")
            return
        try:
            key = issue_activation_key(region)
        except (OSError, ValueError, KeyError) as error:
            self._answer(502, f"cannot obtain an activation key from {ENDPOINT}: {error}\n")
            return
        fgw_state.remember_region(region)
        if no_redirect:
            self._answer(200, key)
            return
        location = f"http://{ADDRESS}/?" + urllib.parse.urlencode({"activationKey": key, "activationRegion": region, "gatewayType": "FILE_S3"})
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, status: int, body: str, content_type: str = "text/plain") -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, form: str, *args) -> None:
        sys.stdout.write(f"{self.address_string()} {form % args}\n")


def main() -> int:
    ThreadingHTTPServer(("", LISTEN_PORT), ActivationHandler).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
