"""Name each moto response class's action methods once, not on every request.

moto's BaseResponse.call_action checks that a request's action is implemented by listing the methods of the response
class with inspect.getmembers (`method_names_from_class(self.__class__)`, moto/core/responses.py) on every request:
0.1 to 0.4 ms for ECS or EC2 (EC2Response has ~300 methods), for an answer that is the same each time once the
emulator serves. The lab's extensions add their methods to moto's response classes (setattr) or subclass them when
they install, all before the server starts (__main__), so the list of a class is kept from its first request on.

moto offers no hook there: install() points the name call_action looks up at a memo of moto's own function, after
checking that moto still calls it by that name (a moto upgrade that moves it makes install() raise, and the emulator
tests fail, instead of silently losing the speedup).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from moto.core import responses, utils

CALL = "method_names_from_class(self.__class__)"


def _moto_calls_it() -> bool:
    return responses.method_names_from_class in (utils.method_names_from_class, names_of) and CALL in inspect.getsource(responses.BaseResponse.call_action)


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(utils.method_names_from_class(cls))


def names_of(cls: Any) -> list[str]:
    """moto's method_names_from_class, worked out once per class (a new list each call: callers may change theirs)."""
    return list(_names(cls))


def install() -> None:
    if not _moto_calls_it():
        raise RuntimeError(f"moto's BaseResponse.call_action no longer calls {CALL}: see lab/awsemu/action_methods.py")
    responses.method_names_from_class = names_of  # type: ignore[attr-defined]
