"""Named snapshots of the emulator's whole state, so tests share one converge instead of repeating it.

    POST   /_lab/snapshots/<name>          -> {"snapshot": name, "backends": N}: saves every moto backend and the
                                              state the extensions keep (below) under NAME, replacing an older one
    POST   /_lab/snapshots/<name>/restore  -> {"restored": name}: a reset (every backend dropped, the reset hooks
                                              run), then a copy of the saved state put back: restore as often as
                                              needed, each test gets the same account
    DELETE /_lab/snapshots/<name>          -> {"deleted": name}
    GET    /_lab/snapshots                 -> {"snapshots": [names]}

Why: a role's integration tests each start from a converged account (drift tests change one thing in it and watch
the role repair it). Converging again costs one Ansible run from an empty account per test (20 to 60 s of CPU on
the 2-core lab); restoring a snapshot costs a deep copy of the backends (well under a second).

What is saved: moto's backends (every account and region in use: the BackendDict objects themselves stay, as moto's
response classes hold them as module globals; their contents are copied) and the containers extensions register
with keep() (state moto does not hold: client-token answers, tags of the lab's own resources, ...). All of it is
copied in one deepcopy call, so references between them stay references. What is not: configuration (fault rules,
settings, the latency profile, the region outage switch) and the request log; a restore resets them as /_lab/reset
does. Take a snapshot while no call is in flight (the snapshot holds moto's backend lock, as moto's own reset does;
the extensions' background threads take the same lock).
"""

from __future__ import annotations

import copy
import copyreg
import threading
from collections import defaultdict
from collections.abc import MutableMapping, MutableSequence, MutableSet
from typing import Any

from awsemu import control

_snapshots: dict[str, dict[str, Any]] = {}
_kept: list[Any] = []
_lock = threading.Lock()


def keep(*containers: Any) -> None:
    """Register an extension's state containers (dicts, sets, lists, cleared in place by its reset hook)."""
    for container in containers:
        if not isinstance(container, (MutableMapping, MutableSet, MutableSequence)):
            raise TypeError(f"a kept container is a dict, set or list, not {type(container).__name__}")
        if not any(container is known for known in _kept):
            _kept.append(container)


def _new_defaultdict(cls: type, default_factory: Any) -> Any:
    made = cls.__new__(cls)
    defaultdict.__init__(made, default_factory)
    return made


def _reduce_defaultdict(value: Any) -> tuple[Any, ...]:
    """Copy a defaultdict subclass without calling its __init__ (moto's ssm ParameterDict takes other arguments
    than defaultdict's, which defaultdict's own reduce passes it)."""
    return _new_defaultdict, (type(value), value.default_factory), dict(vars(value)), None, iter(value.items())


def _new_versioned_store(cls: type, versions: dict[str, list[Any]]) -> Any:
    made = cls()
    for key, key_versions in versions.items():
        dict.__setitem__(made, key, key_versions)
    return made


def _reduce_versioned_store(store: Any) -> tuple[Any, ...]:
    """Copy an S3 bucket's key store with every version of each key: its items() answer only the latest version and
    its __setitem__ appends, so the default copy would keep one version per key."""
    return _new_versioned_store, (type(store), dict.copy(store))


def _teach_copy(defaultdict_classes: list[type], versioned_store: type) -> None:
    """copyreg (the standard hook for classes one does not own) for what deepcopy cannot copy right by itself: moto's
    defaultdict subclasses, S3's versioned key store, and locks (a copied model gets a new, unheld lock)."""
    for cls in defaultdict_classes:
        copyreg.pickle(cls, _reduce_defaultdict)
    copyreg.pickle(versioned_store, _reduce_versioned_store)
    copyreg.pickle(type(threading.Lock()), lambda _lock: (threading.Lock, ()))
    copyreg.pickle(type(threading.RLock()), lambda _lock: (threading.RLock, ()))


def _refill(container: Any, saved: Any) -> None:
    if isinstance(container, MutableSequence):
        container[:] = saved
        return
    container.clear()
    container.update(saved)


def _copy(state: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of STATE in which the BackendDict objects themselves stay the same objects."""
    memo = {id(backend_dict): backend_dict for backend_dict, _ in state["backends"]}
    return copy.deepcopy(state, memo)


def _model_classes() -> list[type]:
    from moto.core.common_models import BaseModel

    found, pending = [], [BaseModel]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.append(subclass)
            pending.append(subclass)
    return found


def _private_copy(state: dict[str, Any]) -> dict[str, Any]:
    """_copy, with the copies kept out of moto's instance tracking: every model moto creates joins its class's
    instances_tracked list, and S3's reset closes the object buffer of every tracked key, so a snapshot's own keys
    would be emptied by the next reset."""
    classes = _model_classes()
    tracked_before = [len(cls.instances_tracked) for cls in classes]  # type: ignore[attr-defined]
    try:
        return _copy(state)
    finally:
        for cls, count in zip(classes, tracked_before, strict=True):
            del cls.instances_tracked[count:]  # type: ignore[attr-defined]


def save(name: str) -> int:
    from moto.core.base_backend import BackendDict, backend_lock

    with backend_lock:
        live = {"backends": [(backend_dict, dict(backend_dict)) for backend_dict in BackendDict._instances], "kept": list(_kept)}  # type: ignore[attr-defined]
        saved = _private_copy(live)
    with _lock:
        _snapshots[name] = saved
    return len(saved["backends"])


def restore(name: str) -> None:
    from moto.core.base_backend import BackendDict, backend_lock

    with _lock:
        saved = _snapshots.get(name)
    if saved is None:
        raise control.LabError(404, f"no snapshot {name!r}")
    control.reset()  # first: the reset closes the object buffers of S3 keys moto tracks, the new ones among them
    with backend_lock:
        state = _copy(saved)
        for backend_dict, accounts in state["backends"]:
            dict.update(backend_dict, accounts)
            if backend_dict not in BackendDict._instances:  # type: ignore[attr-defined]
                BackendDict._instances.append(backend_dict)  # type: ignore[attr-defined]
        for container, contents in zip(_kept, state["kept"], strict=False):
            _refill(container, contents)


def _save(_body: Any, name: str) -> dict[str, Any]:
    return {"snapshot": name, "backends": save(name)}


def _restore(_body: Any, name: str) -> dict[str, Any]:
    restore(name)
    return {"restored": name}


def _delete(_body: Any, name: str) -> dict[str, Any]:
    with _lock:
        if _snapshots.pop(name, None) is None:
            raise control.LabError(404, f"no snapshot {name!r}")
    return {"deleted": name}


def _list(_body: Any) -> dict[str, Any]:
    with _lock:
        return {"snapshots": sorted(_snapshots)}


def install() -> None:
    from moto.s3.utils import _VersionedKeyStore
    from moto.ssm.models import ParameterDict

    _teach_copy([ParameterDict], _VersionedKeyStore)
    control.route("GET", "/_lab/snapshots", _list)
    control.route("POST", "/_lab/snapshots/<name>", _save)
    control.route("POST", "/_lab/snapshots/<name>/restore", _restore)
    control.route("DELETE", "/_lab/snapshots/<name>", _delete)
