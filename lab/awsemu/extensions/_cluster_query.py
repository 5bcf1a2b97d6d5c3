"""ECS's cluster query language, as ListContainerInstances' `filter` takes it.

    attribute:ecs.os-type == linux and (attribute:location in [onprem, edge] or not ec2InstanceId =~ mi-.*)

Subjects: attribute:<name>, ec2InstanceId, agentConnected, agentVersion, runningTasksCount, registeredAt.
Operators: == equals, != not_equals, > greater_than, >= greater_than_equal, < less_than, <= less_than_equal,
exists, !exists not_exists, in, !in not_in, =~ matches, !~ not_matches; joined by and/&&, or/||, not/!, ( ).
`compile_filter(text)` returns a predicate over a dict of facts about one container instance, or raises
QueryError with what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Facts = dict[str, Any]
Predicate = Callable[[Facts], bool]

SUBJECTS = ("ec2InstanceId", "agentConnected", "agentVersion", "runningTasksCount", "registeredAt")
OPERATOR_ALIASES = {
    "equals": "==",
    "not_equals": "!=",
    "greater_than": ">",
    "greater_than_equal": ">=",
    "less_than": "<",
    "less_than_equal": "<=",
    "not_exists": "!exists",
    "not_in": "!in",
    "matches": "=~",
    "not_matches": "!~",
}
BINARY_OPERATORS = {"==", "!=", ">", ">=", "<", "<=", "=~", "!~"}
TOKEN = re.compile(r"""\s*(?:(?P<quoted>"[^"]*"|'[^']*')|(?P<symbol>&&|\|\||==|!=|>=|<=|=~|!~|!exists|!in|[()\[\],!<>])|(?P<word>[^\s()\[\],!=<>~"']+))""")


class QueryError(ValueError):
    pass


def _tokenize(text: str) -> list[str]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise QueryError(f"unexpected character at position {position}: {text[position : position + 10]!r}")
        tokens.append(match.group(match.lastgroup))  # type: ignore[arg-type]
        position = match.end()
    return tokens


def _unquote(token: str) -> str:
    return token[1:-1] if token[:1] in "\"'" and token[-1:] == token[:1] else token


class _Parser:
    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.index = 0

    def peek(self) -> str | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise QueryError("the expression ends too early")
        self.index += 1
        return token

    def expect(self, wanted: str) -> None:
        token = self.take()
        if token != wanted:
            raise QueryError(f"expected {wanted!r} but found {token!r}")

    def parse(self) -> Predicate:
        predicate = self.either()
        if self.peek() is not None:
            raise QueryError(f"unexpected {self.peek()!r}")
        return predicate

    def either(self) -> Predicate:
        parts = [self.both()]
        while (self.peek() or "").lower() in ("or", "||"):
            self.take()
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else lambda facts: any(part(facts) for part in parts)

    def both(self) -> Predicate:
        parts = [self.negation()]
        while (self.peek() or "").lower() in ("and", "&&"):
            self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else lambda facts: all(part(facts) for part in parts)

    def negation(self) -> Predicate:
        if (self.peek() or "").lower() in ("not", "!"):
            self.take()
            inner = self.negation()
            return lambda facts: not inner(facts)
        if self.peek() == "(":
            self.take()
            inner = self.either()
            self.expect(")")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        subject = self.take()
        if not subject.startswith("attribute:") and subject not in SUBJECTS:
            raise QueryError(f"unknown subject {subject!r}")
        operator = self.take()
        operator = OPERATOR_ALIASES.get(operator.lower(), operator.lower())
        if operator in ("exists", "!exists"):
            wanted = operator == "exists"
            return lambda facts: (_value_of(facts, subject) is not None) == wanted
        if operator in ("in", "!in"):
            values = self.value_list()
            inside = operator == "in"
            return lambda facts: (_text(_value_of(facts, subject)) in values) == inside
        if operator not in BINARY_OPERATORS:
            raise QueryError(f"unknown operator {operator!r}")
        value = self.value()
        if operator in ("=~", "!~"):
            try:
                pattern = re.compile(value)
            except re.error as error:
                raise QueryError(f"invalid pattern {value!r}: {error}") from error
            wanted = operator == "=~"
            return lambda facts: (
                (_text(_value_of(facts, subject)) is not None and pattern.fullmatch(_text(_value_of(facts, subject)) or "") is not None) == wanted
            )
        return lambda facts: _compare(_value_of(facts, subject), operator, value)

    def value(self) -> str:
        token = self.take()
        if token in ("(", ")", "[", "]", ","):
            raise QueryError(f"expected a value but found {token!r}")
        return _unquote(token)

    def value_list(self) -> set[str]:
        self.expect("[")
        values = {self.value()}
        while self.peek() == ",":
            self.take()
            values.add(self.value())
        self.expect("]")
        return values


def _value_of(facts: Facts, subject: str) -> Any:
    if subject.startswith("attribute:"):
        attributes = facts.get("attributes", {})
        name = subject[len("attribute:") :]
        # An attribute set without a value (ecs.capability.*) exists with an empty value.
        return (attributes[name] or "") if name in attributes else None
    return facts.get(subject)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _compare(actual: Any, operator: str, wanted: str) -> bool:
    text = _text(actual)
    if operator == "==":
        return text == wanted
    if operator == "!=":
        return text != wanted
    if text is None:
        return False
    try:
        left, right = float(text), float(wanted)
    except ValueError:
        left, right = text, wanted  # type: ignore[assignment]
    return {">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right}[operator]


def compile_filter(text: str) -> Predicate:
    tokens = _tokenize(text)
    if not tokens:
        raise QueryError("the expression is empty")
    return _Parser(tokens).parse()
