"""Minimal AWS client for the lab stand-ins: Signature Version 4, JSON 1.1 calls and S3 PutObject.

Python 3 standard library only, because it is installed as is into the stand-in agent packages and the
file gateway appliance, where no boto3 exists. urllib honours http_proxy/https_proxy/no_proxy.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import urllib.error
import urllib.parse
import urllib.request

ALGORITHM = "AWS4-HMAC-SHA256"
# Unreserved characters of RFC 3986 stay as they are; everything else is percent-encoded.
_SAFE = "-_.~"


class AwsError(Exception):
    """An error answer of the service (code from the JSON __type or the S3 XML Code, HTTP status)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{code} ({status}): {message}")
        self.status = status
        self.code = code
        self.message = message


class Credentials:
    def __init__(self, access_key: str, secret_key: str, session_token: str | None = None):
        self.access_key = access_key
        self.secret_key = secret_key
        self.session_token = session_token

    @classmethod
    def from_env(cls, default_key: str = "testing", default_secret: str = "testing") -> Credentials:
        return cls(
            os.environ.get("AWS_ACCESS_KEY_ID", default_key),
            os.environ.get("AWS_SECRET_ACCESS_KEY", default_secret),
            os.environ.get("AWS_SESSION_TOKEN") or None,
        )


def endpoint_url(endpoint: str) -> str:
    """An endpoint given as a bare host name means HTTPS, as in the real agents' configuration."""
    endpoint = endpoint.strip().rstrip("/")
    return endpoint if "://" in endpoint else "https://" + endpoint


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def _canonical_query(query: str) -> str:
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    encoded = [(urllib.parse.quote(k, safe=_SAFE), urllib.parse.quote(v, safe=_SAFE)) for k, v in pairs]
    return "&".join(f"{k}={v}" for k, v in sorted(encoded))


def sign(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    *,
    service: str,
    region: str,
    credentials: Credentials,
    now: datetime.datetime | None = None,
) -> dict[str, str]:
    """Return headers plus X-Amz-Date, X-Amz-Content-Sha256 (S3), X-Amz-Security-Token and Authorization."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    scope_date = amz_date[:8]
    parts = urllib.parse.urlsplit(url)
    payload_hash = hashlib.sha256(body).hexdigest()

    signed = dict(headers)
    signed["Host"] = parts.netloc
    signed["X-Amz-Date"] = amz_date
    if service == "s3":
        signed["X-Amz-Content-Sha256"] = payload_hash
    if credentials.session_token:
        signed["X-Amz-Security-Token"] = credentials.session_token

    canonical_headers = sorted((name.lower(), " ".join(str(value).split())) for name, value in signed.items())
    signed_names = ";".join(name for name, _ in canonical_headers)
    # S3 signs the path as sent; other services sign it URI-encoded once more.
    path = parts.path or "/"
    canonical_path = path if service == "s3" else urllib.parse.quote(path, safe="/" + _SAFE)
    canonical_request = "\n".join(
        [
            method,
            canonical_path,
            _canonical_query(parts.query),
            "".join(f"{name}:{value}\n" for name, value in canonical_headers),
            signed_names,
            payload_hash,
        ]
    )
    scope = f"{scope_date}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(canonical_request.encode()).hexdigest()])
    key = _hmac(("AWS4" + credentials.secret_key).encode(), scope_date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    signed["Authorization"] = f"{ALGORITHM} Credential={credentials.access_key}/{scope}, SignedHeaders={signed_names}, Signature={signature}"
    del signed["Host"]  # urllib sets Host itself from the URL
    return signed


def _send(request: urllib.request.Request, timeout: float) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def json_call(
    endpoint: str,
    target: str,
    payload: dict,
    *,
    service: str,
    region: str,
    credentials: Credentials | None,
    timeout: float = 15.0,
) -> dict:
    """POST an AWS JSON 1.1 request (X-Amz-Target e.g. AmazonSSM.UpdateInstanceInformation) and decode the answer.

    credentials=None sends the request unsigned, as the SSM agent sends RegisterManagedInstance.
    """
    url = endpoint_url(endpoint) + "/"
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target}
    if credentials is not None:
        headers = sign("POST", url, headers, body, service=service, region=region, credentials=credentials)
    status, _, data = _send(urllib.request.Request(url, data=body, headers=headers, method="POST"), timeout)
    decoded = json.loads(data or b"{}") if data.strip().startswith(b"{") else {}
    if status >= 300:
        code = str(decoded.get("__type", f"HTTP{status}")).rsplit("#", 1)[-1]
        message = decoded.get("message") or decoded.get("Message") or data.decode(errors="replace")[:300]
        raise AwsError(status, code, message)
    return decoded


def put_object(
    endpoint: str,
    bucket: str,
    key: str,
    body: bytes,
    *,
    region: str,
    credentials: Credentials,
    headers: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> str:
    """PUT an object with a path-style URL; return its ETag."""
    url = f"{endpoint_url(endpoint)}/{urllib.parse.quote(bucket, safe='')}/{urllib.parse.quote(key, safe='/' + _SAFE)}"
    signed = sign("PUT", url, dict(headers or {}), body, service="s3", region=region, credentials=credentials)
    status, answer_headers, data = _send(urllib.request.Request(url, data=body, headers=signed, method="PUT"), timeout)
    if status >= 300:
        text = data.decode(errors="replace")
        code = text.split("<Code>", 1)[1].split("</Code>", 1)[0] if "<Code>" in text else f"HTTP{status}"
        raise AwsError(status, code, text[:300])
    return answer_headers.get("etag", "").strip('"')
