"""Check request parameters against the constraints of botocore's service model, as AWS's front end does.

boto3 checks only required members, types and minimum lengths before sending; AWS itself also rejects values that
break a maximum, an enum or a pattern, with a ValidationException in its usual wording. Extensions call
`validate(service, operation, params)` before acting on a request.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from moto.core.exceptions import ServiceException
from moto.core.utils import get_service_model

try:  # AWS patterns use \p{L}-style classes, which only the third-party regex module understands
    import regex as _unicode_re
except ImportError:  # pragma: no cover - the lab venv has it; without it such patterns go unchecked
    _unicode_re = None

MAX_REPORTED = 10


class ValidationException(ServiceException):
    code = "ValidationException"


@cache
def _operation(service: str, operation: str) -> OperationModel:
    return get_service_model(service).operation_model(operation)


@cache
def _compiled(pattern: str) -> Any:
    if "\\p{" in pattern:
        return _unicode_re.compile(pattern) if _unicode_re else None
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _label(path: str) -> str:
    return path or "request"


def _check(value: Any, shape: Shape, path: str, problems: list[str]) -> None:
    meta = shape.metadata
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            return
        for name in shape.required_members:
            if value.get(name) is None:
                problems.append(f"Value null at '{_join(path, name)}' failed to satisfy constraint: Member must not be null")
        for name, member in shape.members.items():
            if value.get(name) is not None:
                _check(value[name], member, _join(path, name), problems)
        return
    if isinstance(shape, ListShape):
        _check_size(value, meta, path, problems, "length")
        for index, item in enumerate(value or [], start=1):
            _check(item, shape.member, f"{path}.{index}.member", problems)
        return
    if isinstance(shape, MapShape):
        _check_size(value, meta, path, problems, "length")
        for key, item in (value or {}).items():
            _check(key, shape.key, f"{path}.{key}.key", problems)
            _check(item, shape.value, f"{path}.{key}.value", problems)
        return
    if shape.type_name == "string" and isinstance(value, str):
        _check_size(value, meta, path, problems, "length")
        if shape.enum and value not in shape.enum:
            problems.append(f"Value '{value}' at '{_label(path)}' failed to satisfy constraint: Member must satisfy enum value set: [{', '.join(shape.enum)}]")
        pattern = meta.get("pattern")
        compiled = _compiled(pattern) if pattern else None
        if compiled is not None and not compiled.search(value):
            problems.append(f"Value '{value}' at '{_label(path)}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}")
    elif shape.type_name in ("integer", "long") and isinstance(value, int):
        if "min" in meta and value < meta["min"]:
            problems.append(f"Value '{value}' at '{_label(path)}' failed to satisfy constraint: Member must have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            problems.append(f"Value '{value}' at '{_label(path)}' failed to satisfy constraint: Member must have value less than or equal to {meta['max']}")


def _check_size(value: Any, meta: dict[str, Any], path: str, problems: list[str], word: str) -> None:
    if value is None:
        return
    size = len(value)
    if "min" in meta and size < meta["min"]:
        problems.append(f"Value '{value}' at '{_label(path)}' failed to satisfy constraint: Member must have {word} greater than or equal to {meta['min']}")
    if "max" in meta and size > meta["max"]:
        problems.append(f"Value '{value}' at '{_label(path)}' failed to satisfy constraint: Member must have {word} less than or equal to {meta['max']}")


def _join(path: str, name: str) -> str:
    # AWS names members in lowerCamelCase in these messages, whatever the wire casing.
    member = name[:1].lower() + name[1:]
    return f"{path}.{member}" if path else member


def problems_of(service: str, operation: str, params: dict[str, Any]) -> list[str]:
    shape = _operation(service, operation).input_shape
    problems: list[str] = []
    if shape is not None:
        _check(params, shape, "", problems)
    return problems


def validate(service: str, operation: str, params: dict[str, Any]) -> None:
    """Raise ValidationException, worded as AWS words it, when params break the model's constraints."""
    problems = problems_of(service, operation, params)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise ValidationException(f"{count} validation {noun} detected: " + "; ".join(problems[:MAX_REPORTED]))
