"""Test-only: a bytecode cache for the code Python compiles from zip archives (the AnsiballZ payload of every module
run), and a cache of botocore's JSON models, shared by every process of a test session.

Every Ansible module process imports its module and the module_utils from the zip AnsiballZ writes to a new temporary
folder; zipimport compiles each source file again (it never writes .pyc files), about a quarter of a module run.
botocore parses its JSON service models again in every process too. tests/conftest.py puts this folder on PYTHONPATH
and names the cache folder in $HYBRIDCLOUD_TEST_CODE_CACHE, so the processes ansible-playbook starts import this file
at startup (site imports `sitecustomize`). Unset, empty or "off": nothing is installed.

A cached code object is keyed by the Python version, the file's path inside its zip and its source bytes, and gets
the file name of the zip it is imported from (tracebacks name the same file as without the cache). A botocore model
is keyed by its file's path, mtime and size. Entries are written to a temporary file and renamed into place, so
parallel processes never read half an entry; an entry is checked against its own sha256, and any error reading or
writing the cache falls back to what Python or botocore does without it. Nothing here is product code: plugins/ and
roles/ never see it.
"""

from __future__ import annotations

import contextlib
import os
import sys

CACHE_ENV = "HYBRIDCLOUD_TEST_CODE_CACHE"
_DIGEST_SIZE = 32


def _directory() -> str | None:
    value = os.environ.get(CACHE_ENV, "")
    return None if value in ("", "off") else value


def _read(path: str) -> bytes | None:
    """The payload of a cache entry, or None when it is absent or does not match its checksum."""
    import hashlib

    try:
        with open(path, "rb") as entry:
            data = entry.read()
    except OSError:
        return None
    digest, payload = data[:_DIGEST_SIZE], data[_DIGEST_SIZE:]
    if len(digest) != _DIGEST_SIZE or hashlib.sha256(payload).digest() != digest:
        return None
    return payload


def _write(path: str, payload: bytes) -> None:
    """Write an entry atomically: another process sees the old entry, none, or the whole new one."""
    import hashlib

    temporary = f"{path}.{os.getpid()}.{id(payload)}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as entry:
            entry.write(hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.remove(temporary)


def _install_zip_code_cache(directory: str) -> None:
    import marshal
    import zipimport

    compile_source = zipimport._compile_source  # (pathname, source bytes) -> code; Python 3.8 to 3.13
    code_type = type(_install_zip_code_cache.__code__)
    version = sys.version.encode()

    def path_inside_zip(pathname: str) -> str:
        # pathname is "<archive><sep><path inside>"; the archive (a new temporary folder each module run) is one of
        # the archives zipimport has opened.
        for archive in zipimport._zip_directory_cache:
            if pathname.startswith(archive + os.sep):
                return pathname[len(archive) + 1 :]
        return pathname

    # zipimport asks twice for each module's code (3.12: its get_filename, called by find_spec, compiles too, then
    # get_code): the second time gets the first's code object from here.
    asked_once: dict[tuple[str, str], object] = {}

    def cached_compile_source(pathname: str, source: bytes) -> object:
        import _imp
        import hashlib

        try:
            key = hashlib.sha256(b"\0".join([version, path_inside_zip(pathname).encode(), source])).hexdigest()
            code = asked_once.pop((pathname, key), None)
            if code is not None:
                return code
            path = os.path.join(directory, "code", key[:2], key)
            payload = _read(path)
            if payload is not None:
                code = marshal.loads(payload)
                if isinstance(code, code_type):
                    # The file name compiled in is the zip of the process that wrote the entry: name this one's.
                    _imp._fix_co_filename(code, pathname)
                    asked_once[pathname, key] = code
                    return code
        except Exception:  # the cache is only ever an optimisation
            return compile_source(pathname, source)
        code = compile_source(pathname, source)
        try:
            asked_once[pathname, key] = code
            _write(path, marshal.dumps(code))
        except Exception:
            pass
        return code

    cached_compile_source.original = compile_source  # type: ignore[attr-defined]
    zipimport._compile_source = cached_compile_source


def _plain(data: object) -> object:
    """The JSON document with botocore's OrderedDicts as plain dicts (marshal takes only exact dicts; both keep the
    keys' order, and botocore reads them only as mappings)."""
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value) for value in data]
    return data


def _cached_botocore_loader(directory: str, load_file: object) -> object:
    """Wrap botocore's JSONFileLoader._load_file(self, full_path, open_method): the parsed model, marshalled."""
    import hashlib
    import marshal

    def cached_load_file(self: object, full_path: str, open_method: object) -> object:
        try:
            status = os.stat(full_path)
            key = hashlib.sha256(f"{sys.version}\0{full_path}\0{status.st_mtime_ns}\0{status.st_size}".encode()).hexdigest()
            path = os.path.join(directory, "botocore", key[:2], key)
            payload = _read(path)
            if payload is not None:
                return marshal.loads(payload)
        except Exception:
            return load_file(self, full_path, open_method)  # type: ignore[operator]
        data = load_file(self, full_path, open_method)  # type: ignore[operator]
        if data is not None:
            with contextlib.suppress(Exception):
                _write(path, marshal.dumps(_plain(data)))
        return data

    cached_load_file.original = load_file  # type: ignore[attr-defined]
    return cached_load_file


class _BotocoreLoaderHook:
    """A meta path finder that wraps JSONFileLoader once botocore.loaders is imported (importing botocore here would
    cost every process that never uses it, the pytest workers and ansible-playbook among them)."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    def find_spec(self, fullname: str, path: object, target: object = None) -> object:
        if fullname != "botocore.loaders":
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(fullname, path)  # type: ignore[arg-type]
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        exec_module = spec.loader.exec_module
        directory = self.directory

        def exec_and_wrap(module: object) -> None:
            exec_module(module)
            loader_class = getattr(module, "JSONFileLoader", None)
            if loader_class is not None and callable(getattr(loader_class, "_load_file", None)):
                loader_class._load_file = _cached_botocore_loader(directory, loader_class._load_file)

        spec.loader.exec_module = exec_and_wrap  # type: ignore[method-assign]
        return spec


def _run_the_sitecustomize_this_one_hides() -> None:
    """Python imports one `sitecustomize`: the first on sys.path, this one. Run the one it hides, if any."""
    from importlib.machinery import PathFinder
    from importlib.util import module_from_spec

    here = os.path.dirname(os.path.abspath(__file__))
    spec = PathFinder.find_spec("sitecustomize", [path for path in sys.path if os.path.abspath(path or os.curdir) != here])
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(module_from_spec(spec))


def install() -> None:
    _run_the_sitecustomize_this_one_hides()
    directory = _directory()
    if directory is None:
        return
    with contextlib.suppress(Exception):
        _install_zip_code_cache(directory)
    sys.meta_path.insert(0, _BotocoreLoaderHook(directory))


install()
