"""Swap moto's backend and response classes for the lab's subclasses of them.

moto builds every regional backend from the class its BackendDict names, and its server routes requests to the
`dispatch` of the response class listed in the service's urls module. Pointing both at a subclass extends the
service in place: moto's own code, and every other service that reaches into it, then meets the subclass.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from moto.core.base_backend import BackendDict


def use_backend_class(backend_dict: BackendDict, cls: type) -> None:
    """Make backend_dict build cls from now on; regional backends of the old class are dropped (rebuilt on use)."""
    if backend_dict.backend is cls:
        return
    backend_dict.backend = cls
    for account_backends in backend_dict.values():
        account_backends.backend = cls
        for region in [region for region, backend in account_backends.items() if not isinstance(backend, cls)]:
            del account_backends[region]


def use_response_class(urls_module: ModuleType, cls: type) -> None:
    """Route the service's URLs to cls wherever they went to one of cls's base classes, through the same class method
    (`dispatch` for most services; S3 has `bucket_dispatch`, `key_dispatch` and `ambiguous_dispatch`)."""
    paths: dict[str, Any] = urls_module.url_paths
    for path, handler in list(paths.items()):
        owner = getattr(handler, "__self__", None)
        if isinstance(owner, type) and owner is not cls and issubclass(cls, owner):
            paths[path] = getattr(cls, handler.__name__)


def urls_of(moto_class: type) -> ModuleType:
    """moto's urls module for the service a moto class belongs to.

    A backend finds its URLs next to the module it is defined in; a subclass living in the lab must point back at
    moto's (override `_url_module` with this).
    """
    return importlib.import_module(moto_class.__module__.rsplit(".", 1)[0] + ".urls")
