"""S3 bucket Intelligent-Tiering configurations (?intelligent-tiering), which moto accepts with 200 and never stores.

Put/Get/List/Delete BucketIntelligentTieringConfiguration on the lab's subclass of moto's S3 response class, validated as AWS does:
the body's Id must equal the query's id, Status is Enabled|Disabled, each AccessTier appears once with
ARCHIVE_ACCESS 90-730 days and DEEP_ARCHIVE_ACCESS 180-730 days, and the Filter holds one of Prefix, Tag or And.
The configurations live on moto's bucket object, so deleting the bucket or resetting the lab drops them.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any
from xml.sax.saxutils import escape

import xmltodict
from moto.s3.exceptions import MissingBucket
from moto.s3.models import FakeBucket
from moto.s3 import urls as s3_urls
from moto.s3.responses import S3Response

from awsemu.extensions._moto_classes import use_response_class

QUERY_KEY = "intelligent-tiering"
DAY_RANGES = {"ARCHIVE_ACCESS": (90, 730), "DEEP_ARCHIVE_ACCESS": (180, 730)}
MAX_CONFIGURATIONS = 1000
PAGE_SIZE = 100
NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
_STORE_KEY = "_lab_intelligent_tiering"


class TieringError(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def malformed() -> TieringError:
    return TieringError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return value.get("#text") or ""
    return "" if value is None else str(value)


def _tag(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or not _text(raw.get("Key")):
        raise malformed()
    return {"Key": _text(raw.get("Key")), "Value": _text(raw.get("Value"))}


def _filter(raw: Any) -> dict[str, Any]:
    if raw is None or raw == "":
        return {}
    if not isinstance(raw, dict):
        raise malformed()
    present = [key for key in ("Prefix", "Tag", "And") if key in raw]
    if len(present) > 1 or set(raw) - {"Prefix", "Tag", "And"}:
        raise malformed()
    if "Prefix" in raw:
        return {"Prefix": _text(raw["Prefix"])}
    if "Tag" in raw:
        return {"Tag": _tag(raw["Tag"])}
    if "And" in raw:
        conjunction = raw["And"] or {}
        if not isinstance(conjunction, dict) or set(conjunction) - {"Prefix", "Tag"}:
            raise malformed()
        result: dict[str, Any] = {"Tags": [_tag(tag) for tag in _as_list(conjunction.get("Tag"))]}
        if "Prefix" in conjunction:
            result["Prefix"] = _text(conjunction["Prefix"])
        if not result["Tags"] and "Prefix" not in result:
            raise malformed()
        return {"And": result}
    return {}


def _tierings(raw: Any) -> list[dict[str, Any]]:
    tierings = []
    for item in _as_list(raw):
        if not isinstance(item, dict):
            raise malformed()
        tier = _text(item.get("AccessTier"))
        if tier not in DAY_RANGES:
            raise malformed()
        try:
            days = int(_text(item.get("Days")))
        except ValueError as error:
            raise malformed() from error
        low, high = DAY_RANGES[tier]
        if not low <= days <= high:
            raise TieringError("InvalidArgument", f"Days for {tier} must be between {low} and {high}, not {days}.")
        if any(existing["AccessTier"] == tier for existing in tierings):
            raise TieringError("InvalidArgument", f"AccessTier {tier} may appear only once.")
        tierings.append({"AccessTier": tier, "Days": days})
    if not tierings:
        raise malformed()
    return tierings


def parse_configuration(body: bytes | str, query_id: str | None) -> dict[str, Any]:
    if not query_id:
        raise TieringError("InvalidArgument", "The id query parameter is required.")
    try:
        document = xmltodict.parse(body or b"")
    except Exception as error:
        raise malformed() from error
    root = document.get("IntelligentTieringConfiguration") if isinstance(document, dict) else None
    if not isinstance(root, dict):
        raise malformed()
    config_id = _text(root.get("Id"))
    if not config_id:
        raise malformed()
    if config_id != query_id:
        raise TieringError("InvalidArgument", f"The Id in the configuration ({config_id}) must match the id query parameter ({query_id}).")
    status = _text(root.get("Status"))
    if status not in ("Enabled", "Disabled"):
        raise malformed()
    return {"Id": config_id, "Filter": _filter(root.get("Filter")), "Status": status, "Tierings": _tierings(root.get("Tiering"))}


def _tag_xml(tag: dict[str, str]) -> str:
    return f"<Tag><Key>{escape(tag['Key'])}</Key><Value>{escape(tag['Value'])}</Value></Tag>"


def configuration_xml(config: dict[str, Any], root: str = "IntelligentTieringConfiguration") -> str:
    parts = [f"<Id>{escape(config['Id'])}</Id>"]
    config_filter = config["Filter"]
    if "Prefix" in config_filter:
        parts.append(f"<Filter><Prefix>{escape(config_filter['Prefix'])}</Prefix></Filter>")
    elif "Tag" in config_filter:
        parts.append(f"<Filter>{_tag_xml(config_filter['Tag'])}</Filter>")
    elif "And" in config_filter:
        conjunction = config_filter["And"]
        prefix = f"<Prefix>{escape(conjunction['Prefix'])}</Prefix>" if "Prefix" in conjunction else ""
        parts.append(f"<Filter><And>{prefix}{''.join(_tag_xml(tag) for tag in conjunction['Tags'])}</And></Filter>")
    parts.append(f"<Status>{config['Status']}</Status>")
    parts += [f"<Tiering><Days>{t['Days']}</Days><AccessTier>{t['AccessTier']}</AccessTier></Tiering>" for t in config["Tierings"]]
    return f"<{root}>{''.join(parts)}</{root}>"


def _store(bucket: FakeBucket) -> dict[str, dict[str, Any]]:
    return bucket.__dict__.setdefault(_STORE_KEY, {})


def _xml_response(body: str, status: int = 200) -> tuple[int, dict[str, str], str]:
    return status, {"Content-Type": "application/xml"}, '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _error_response(error: TieringError) -> tuple[int, dict[str, str], str]:
    body = f"<Error><Code>{error.code}</Code><Message>{escape(error.message)}</Message><RequestId>{uuid.uuid4()}</RequestId></Error>"
    return _xml_response(body, error.status)


def _list(store: dict[str, dict[str, Any]], token: str | None) -> tuple[int, dict[str, str], str]:
    ids = sorted(store)
    start = 0
    if token:
        try:
            start = ids.index(base64.urlsafe_b64decode(token.encode()).decode())
        except ValueError as error:
            raise TieringError("InvalidArgument", "The continuation token provided is incorrect.") from error
    page, rest = ids[start : start + PAGE_SIZE], ids[start + PAGE_SIZE :]
    parts = [f"<IsTruncated>{'true' if rest else 'false'}</IsTruncated>"]
    if token:
        parts.append(f"<ContinuationToken>{escape(token)}</ContinuationToken>")
    if rest:
        parts.append(f"<NextContinuationToken>{base64.urlsafe_b64encode(rest[0].encode()).decode()}</NextContinuationToken>")
    parts += [configuration_xml(store[config_id]) for config_id in page]
    return _xml_response(
        f'<ListBucketIntelligentTieringConfigurationsOutput xmlns="{NAMESPACE}">{"".join(parts)}</ListBucketIntelligentTieringConfigurationsOutput>'
    )


def handle(response: S3Response, method: str, bucket_name: str, querystring: dict[str, list[str]]) -> tuple[int, dict[str, str], str]:
    try:
        try:
            bucket = response.backend.get_bucket(bucket_name)
        except MissingBucket as error:
            raise TieringError("NoSuchBucket", "The specified bucket does not exist", 404) from error
        store = _store(bucket)
        config_id = (querystring.get("id") or [None])[0]
        if method == "PUT":
            config = parse_configuration(response.body, config_id)
            if config_id not in store and len(store) >= MAX_CONFIGURATIONS:
                raise TieringError("TooManyConfigurations", f"A bucket can have at most {MAX_CONFIGURATIONS} Intelligent-Tiering configurations.")
            store[config["Id"]] = config
            return 200, {}, ""
        if method == "GET" and config_id is None:
            return _list(store, (querystring.get("continuation-token") or [None])[0])
        if method in ("GET", "DELETE"):
            if config_id not in store:
                raise TieringError("NoSuchConfiguration", "The specified configuration does not exist.", 404)
            if method == "DELETE":
                del store[config_id]
                return 204, {}, ""
            return _xml_response(
                configuration_xml(store[config_id]).replace("<IntelligentTieringConfiguration>", f'<IntelligentTieringConfiguration xmlns="{NAMESPACE}">', 1)
            )
        raise TieringError("MethodNotAllowed", f"The specified method {method} is not allowed against this resource.", 405)
    except TieringError as error:
        return _error_response(error)


class LabS3Response(S3Response):
    """moto's S3 answers, with the bucket's Intelligent-Tiering configurations (?intelligent-tiering) answered here."""

    def _bucket_response(self, request: Any, full_url: str) -> Any:
        querystring = self._get_querystring(request, full_url)
        bucket_name = self.parse_bucket_name_from_url(request, full_url)
        if QUERY_KEY in querystring and bucket_name:
            return handle(self, request.method, bucket_name, querystring)
        return super()._bucket_response(request, full_url)


def install() -> None:
    use_response_class(s3_urls, LabS3Response)
