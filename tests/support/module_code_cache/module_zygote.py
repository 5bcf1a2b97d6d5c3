"""Test-only: run the controller's AWS module processes as forks of one process that imported boto3 once.

Every task of the collection's roles that calls AWS runs an Ansible module in a new Python process on the controller
(the local connection: `python3 .../AnsiballZ_<module>.py`, or `python3` reading the wrapper from its standard input
where a task turns pipelining on). Most of such a
process's CPU time is spent importing what every one of them imports, and never on the module's own work: process
accounting of a full `make test` counted 2,373 of them at 0.56 CPU s each, of which ansible's module_utils.basic,
boto3 and botocore take about 0.35 s.

The zygote is a process that imports those once, then waits on a Unix socket. A module process of a test session
(sitecustomize.py hands it here when $HYBRIDCLOUD_TEST_MODULE_ZYGOTE names a zygote) sends the wrapper's source, its
arguments, working directory, umask, environment and sys.path, and its standard input, output and error as file
descriptors. The zygote forks; the child takes the requester's descriptors, directory, umask, environment and path,
runs the wrapper as `__main__` exactly as Python would have run the file or standard input, runs the exit handlers, and
reports the exit status, which the requester exits with. The module's code, its imports from the payload, its AWS
calls and its output are the module's own; only the imports listed in PRELOAD come from the zygote's memory (the same
files of the same virtualenv the module process would have imported them from).

What keeps a delegated run equivalent to a process of its own:
- only AnsiballZ wrappers of collection modules (MODULE_PREFIXES) are handed over, only by a requester running the
  zygote's own interpreter; anything else, or a zygote that does not answer, runs in the requester as usual;
- the child replaces os.environ (and so the C environment), sys.argv and sys.path before the wrapper runs; nothing
  in PRELOAD reads the environment when imported (botocore and boto3 read it when a session is made);
- `random` reseeds itself after a fork (CPython registers that), uuid and tempfile names use os.urandom or reseed;
- a signal the requester gets (SIGTERM, SIGINT, SIGHUP) is passed to the child, and a requester that dies (SIGKILL
  of a killed run) closes its socket, and the child kills itself when it sees that;
- the zygote imports only: it makes no AWS client, opens no connection and starts no thread before it forks.
Nothing here is product code: plugins/ and roles/ never see it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ZYGOTE_ENV = "HYBRIDCLOUD_TEST_MODULE_ZYGOTE"
MODULE_PREFIXES = (
    "ansible_collections.amazon.aws.",
    "ansible_collections.community.aws.",
    "ansible_collections.hybridcloud.aws.",
)
PRELOAD = (
    "ansible.module_utils.basic",
    "ansible.module_utils._internal._ansiballz._loader",
    "ansible.module_utils.common.json",
    "boto3",
    "boto3.session",
    "botocore.session",
    "botocore.client",
    "botocore.config",
    "botocore.exceptions",
    "botocore.paginate",
    "botocore.waiter",
    "botocore.endpoint",
    "botocore.httpsession",
    "botocore.parsers",
    "botocore.serialize",
    "botocore.retries.standard",
    "base64",
    "runpy",
    "shutil",
    "tempfile",
    "zipfile",
)
_HEADER = struct.Struct("!II")
_PID = struct.Struct("!i")
_STATUS = struct.Struct("!i")
_FORWARDED_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")


def _address() -> tuple[str, str] | None:
    """(interpreter, socket path) of the zygote named in the environment, if any."""
    value = os.environ.get(ZYGOTE_ENV, "")
    interpreter, _, path = value.partition(os.pathsep)
    return (interpreter, path) if interpreter and path else None


def _module_fqn(source: bytes) -> str | None:
    """The module an AnsiballZ wrapper runs (its last lines call _ansiballz_main(..., module_fqn='...', ...))."""
    if b"_ANSIBALLZ_WRAPPER = True" not in source[:4096]:
        return None
    marker = source.rfind(b"module_fqn=")
    if marker < 0:
        return None
    quote = source[marker + 11 : marker + 12]
    end = source.find(quote, marker + 12)
    return source[marker + 12 : end].decode("ascii", "replace") if quote in (b"'", b'"') and end > 0 else None


def _receive_exactly(connection: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = connection.recv(min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


# The requester: a module process of the test session.


def delegate(source: bytes, script: str | None) -> int | None:
    """Run source (the wrapper, read from the file script or, when that is None, from standard input) in a fork of the
    zygote; its exit status, or None when this process should run it itself."""
    import json
    import signal

    address = _address()
    if address is None or os.path.realpath(sys.executable) != os.path.realpath(address[0]):
        return None
    fqn = _module_fqn(source)
    if fqn is None or not fqn.startswith(MODULE_PREFIXES):
        return None
    umask = os.umask(0)
    os.umask(umask)
    meta = json.dumps({"script": script, "argv": sys.argv, "cwd": os.getcwd(), "umask": umask, "env": dict(os.environ), "path": sys.path}).encode()
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(address[1])
        socket.send_fds(connection, [_HEADER.pack(len(meta), len(source))], [0, 1, 2])
        connection.sendall(meta)
        connection.sendall(source)
        (child,) = _PID.unpack(_receive_exactly(connection, _PID.size))
    except (OSError, EOFError):
        connection.close()
        return None

    def forward(number: int, _frame: Any) -> None:
        with contextlib.suppress(OSError):
            os.kill(child, number)

    for name in _FORWARDED_SIGNALS:
        signal.signal(getattr(signal, name), forward)
    try:
        (status,) = _STATUS.unpack(_receive_exactly(connection, _STATUS.size))
    except (OSError, EOFError):
        status = 1  # the child died without reporting: killed, as a module process of its own would have been
    return status


# The zygote.


def _exit_status(error: SystemExit) -> int:
    code = error.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _watch_requester(connection: socket.socket) -> None:
    """Kill this child when its requester goes away (the requester never sends after its request)."""
    import signal
    import threading

    def watch() -> None:
        with contextlib.suppress(OSError):
            connection.recv(1)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="requester-watch", daemon=True).start()


class _PayloadOnly:
    """In a child: a module of the `ansible` package that the zygote did not import comes from the module's payload
    (the zip AnsiballZ puts first on sys.path) or not at all, as in a process of its own. Without this, the package
    the zygote imported from the virtualenv would serve any of its files, and a module whose payload misses one would
    pass here and fail for a user."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if not fullname.startswith("ansible.") or fullname in sys.modules:
            return None
        payload = next((entry for entry in sys.path if entry.endswith("_payload.zip")), None)
        if payload is None:
            return None
        import zipimport

        try:
            spec = zipimport.zipimporter(os.path.join(payload, *fullname.split(".")[:-1])).find_spec(fullname)
        except zipimport.ZipImportError:
            spec = None
        if spec is None:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return spec


def _serve_one(connection: socket.socket) -> None:
    """In a fresh fork: take the request and run it as the requester's process would have run it."""
    import atexit
    import json
    import traceback
    import types

    header, fds, _flags, _address = socket.recv_fds(connection, _HEADER.size, 3)
    if len(header) < _HEADER.size:
        header += _receive_exactly(connection, _HEADER.size - len(header))
    meta_size, source_size = _HEADER.unpack(header)
    meta = json.loads(_receive_exactly(connection, meta_size))
    source = _receive_exactly(connection, source_size)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(meta["cwd"])
    os.umask(meta["umask"])
    os.environ.clear()
    os.environ.update(meta["env"])
    sys.argv[:] = meta["argv"]
    sys.path[:] = meta["path"]
    connection.sendall(_PID.pack(os.getpid()))
    _watch_requester(connection)

    sys.meta_path.insert(0, _PayloadOnly())
    main = types.ModuleType("__main__")
    main.__dict__["__builtins__"] = __builtins__
    if meta["script"] is not None:
        main.__file__ = meta["script"]
    sys.modules["__main__"] = main
    try:
        exec(compile(source, meta["script"] or "<stdin>", "exec"), main.__dict__)
        status = 0
    except SystemExit as error:
        status = _exit_status(error)
    except BaseException:
        traceback.print_exc()
        status = 1
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        connection.sendall(_STATUS.pack(status))
        os._exit(status)


def serve(path: str) -> None:
    """Import PRELOAD, then fork a child for each connection on the Unix socket PATH, until SIGTERM."""
    import gc
    import importlib
    import signal

    for name in PRELOAD:
        # What an older ansible-core lacks (2.17 has no module_utils._internal) its modules do not import either.
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    signal.signal(signal.SIGTERM, lambda _number, _frame: sys.exit(0))
    # Collections in the children would touch (and so copy) every page of what the zygote imported.
    gc.collect()
    gc.freeze()
    children: set[int] = set()
    served, cpu = 0, 0.0
    try:
        while True:
            connection, _ = listener.accept()
            pid = os.fork()
            if pid == 0:
                listener.close()
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                try:
                    _serve_one(connection)
                finally:
                    os._exit(70)
            connection.close()
            served += 1
            children.add(pid)
            cpu += _reap(children, os.WNOHANG)
    finally:
        cpu += _reap(children, 0)
        os.unlink(path)
        print(f"module zygote: {served} module runs, {cpu:.1f} CPU seconds in them", file=sys.stderr)


def _reap(children: set[int], options: int) -> float:
    """Wait for the children that ended (options=WNOHANG) or for all; the CPU seconds they used."""
    cpu = 0.0
    for pid in list(children):
        try:
            done, _status, usage = os.wait4(pid, options)
        except ChildProcessError:
            children.discard(pid)
            continue
        if done:
            children.discard(pid)
            cpu += usage.ru_utime + usage.ru_stime
    return cpu


if __name__ == "__main__":
    serve(sys.argv[1])
