"""Test-only: a cache of the code Python compiles from source, and of botocore's parsed JSON models, shared by every
process of a test session (and kept between sessions).

Three kinds of process compile the same source again and again during the tests:
- every Ansible module process imports its module and the module_utils from the zip AnsiballZ writes to a new
  temporary folder; zipimport compiles each file (it never reads or writes a .pyc), a quarter of a module run;
- ansible's collection loader compiles the collections' module_utils from source in the controller (it never reads a
  .pyc either), and the controller's workers, forked per task and host, import them again;
- with PYTHONDONTWRITEBYTECODE (set on these machines) Python writes no .pyc, so ansible's plugin loader compiles the
  collection's filter plugins in each worker.
botocore parses its JSON service models again in every process too, and every ansible process parses ansible-core's
plugin routing and configuration definitions (YAML) at startup. tests/conftest.py puts this folder on PYTHONPATH
and names the cache folder in $HYBRIDCLOUD_TEST_CODE_CACHE, so the processes the tests start import this file at
startup (site imports `sitecustomize`). Unset, empty or "off": nothing is installed.

A code object is keyed by the Python version, the file's path (inside its zip, for a zip) and its source bytes, and
gets the file name of the file it is imported from (tracebacks name the same file as without the cache). A botocore
model is keyed by its file's path, mtime and size, a YAML document by its loader and bytes. Entries are written to a
temporary file and renamed into place, so parallel processes never read half an entry; an entry is checked against its
own sha256, and any error reading or writing the cache falls back to what Python, ansible or botocore do without it.
When $HYBRIDCLOUD_TEST_MODULE_ZYGOTE names a zygote, this file also hands the AWS module processes of the session to it
(_hand_module_to_zygote; module_zygote.py says how and why). Nothing here is product code: plugins/ and roles/ never
see it.
"""

from __future__ import annotations

import contextlib
import os
import sys

# Every process the tests start imports this file: no typing or collections import for the annotations' sake.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

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


def _entry_path(directory: str, kind: str, key_parts: list[bytes]) -> str:
    """Where the entry of KIND for key_parts (with the Python version) lives in the cache folder."""
    import hashlib

    key = hashlib.sha256(b"\0".join([sys.version.encode(), *key_parts])).hexdigest()
    return os.path.join(directory, kind, key[:2], key)


def _stored_or_computed(path: str, compute: Callable[[], Any], prepare: Callable[[Any], Any] = lambda value: value) -> Any:
    """The plain data marshalled at PATH; else compute()'s, with prepare(value) stored there for the next process
    (a None result is not stored)."""
    import marshal

    payload = _read(path)
    if payload is not None:
        with contextlib.suppress(Exception):
            return marshal.loads(payload)
    value = compute()
    if value is not None:
        with contextlib.suppress(Exception):
            _write(path, marshal.dumps(prepare(value)))
    return value


def _cached_code(directory: str, key_parts: list[bytes], filename: str, compile_it: Callable[[], Any]) -> Any:
    """The code object stored for key_parts, named filename; else compile_it()'s, stored for the next process."""
    import _imp
    import marshal

    try:
        path = _entry_path(directory, "code", key_parts)
        payload = _read(path)
        if payload is not None:
            code = marshal.loads(payload)
            if isinstance(code, type(_cached_code.__code__)):
                # The file name compiled in is that of the process that wrote the entry (a zip in another temporary
                # folder): name this one's, as compiling here would.
                _imp._fix_co_filename(code, filename)
                return code
    except Exception:  # the cache is only ever an optimisation
        return compile_it()
    code = compile_it()
    with contextlib.suppress(Exception):
        _write(path, marshal.dumps(code))
    return code


def _install_zip_code_cache(directory: str) -> None:
    import zipimport

    compile_source = zipimport._compile_source  # (pathname, source bytes) -> code; Python 3.8 to 3.13

    def path_inside_zip(pathname: str) -> str:
        # pathname is "<archive><sep><path inside>"; the archive (a new temporary folder each module run) is one of
        # the archives zipimport has opened.
        for archive in zipimport._zip_directory_cache:
            if pathname.startswith(archive + os.sep):
                return pathname[len(archive) + 1 :]
        return pathname

    # zipimport asks twice for each module's code (3.12: its get_filename, called by find_spec, compiles too, then
    # get_code): the second time gets the first's code object from here.
    asked_once: dict[tuple[str, bytes], Any] = {}

    def cached_compile_source(pathname: str, source: bytes) -> Any:
        code = asked_once.pop((pathname, source), None)
        if code is None:
            key_parts = [b"zip", path_inside_zip(pathname).encode(), source]
            code = asked_once[pathname, source] = _cached_code(directory, key_parts, pathname, lambda: compile_source(pathname, source))
        return code

    cached_compile_source.original = compile_source  # type: ignore[attr-defined]
    zipimport._compile_source = cached_compile_source


def _install_source_code_cache(directory: str) -> None:
    """Python compiles a source file when it finds no valid .pyc, and with PYTHONDONTWRITEBYTECODE (set on these
    machines) it writes none: ansible's plugin loader imports each filter plugin of this collection from source in every
    worker it forks. SourceFileLoader.source_to_code (importlib's documented hook) asks the cache first."""
    from importlib.machinery import SourceFileLoader

    source_to_code = SourceFileLoader.source_to_code

    def cached_source_to_code(self: Any, data: Any, path: Any, *, _optimize: int = -1) -> Any:
        def plain() -> Any:
            return source_to_code(self, data, path, _optimize=_optimize)

        if not isinstance(path, str) or not isinstance(data, (bytes, bytearray)):
            return plain()
        return _cached_code(directory, [b"source", path.encode(), str(_optimize).encode(), bytes(data)], path, plain)

    cached_source_to_code.original = source_to_code  # type: ignore[attr-defined]
    SourceFileLoader.source_to_code = cached_source_to_code  # type: ignore[method-assign]


def _cache_collection_loader_code(directory: str, module: Any) -> None:
    """ansible's collection loader compiles each collection plugin and module_utils from source in every process
    (its get_code calls compile(), never reads a .pyc), and the controller imports the collection's filters in each
    worker it forks per task and host: give that module a `compile` of its own that asks the cache first."""
    import builtins

    builtin_compile = builtins.compile

    def compile(source: Any, filename: Any, mode: str, flags: int = 0, dont_inherit: bool = False, optimize: int = -1, **kwargs: Any) -> Any:  # noqa: PLR0917 (the builtin's signature)
        def plain() -> Any:
            return builtin_compile(source, filename, mode, flags, dont_inherit, optimize, **kwargs)

        # Only the loader's call (whole file, no flags, no inherited __future__): the other uses keep their semantics.
        if mode != "exec" or flags or not dont_inherit or kwargs or not isinstance(filename, str) or not isinstance(source, (bytes, str)):
            return plain()
        data = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
        return _cached_code(directory, [b"collection", filename.encode(), str(optimize).encode(), data], filename, plain)

    module.compile = compile


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

    def cached_load_file(self: object, full_path: str, open_method: object) -> object:
        try:
            status = os.stat(full_path)
            path = _entry_path(directory, "botocore", [full_path.encode(), str(status.st_mtime_ns).encode(), str(status.st_size).encode()])
        except Exception:
            return load_file(self, full_path, open_method)  # type: ignore[operator]
        return _stored_or_computed(path, lambda: load_file(self, full_path, open_method), _plain)  # type: ignore[operator]

    cached_load_file.original = load_file  # type: ignore[attr-defined]
    return cached_load_file


def _cache_botocore_models(directory: str, module: Any) -> None:
    loader_class = getattr(module, "JSONFileLoader", None)
    if loader_class is not None and callable(getattr(loader_class, "_load_file", None)):
        loader_class._load_file = _cached_botocore_loader(directory, loader_class._load_file)


# Documents smaller than this are parsed as they come: reading a cache entry would cost about as much.
_YAML_CACHE_MIN_SIZE = 16384


def _cache_yaml_documents(directory: str, module: Any) -> None:
    """Every ansible process parses ansible-core's plugin routing (ansible_builtin_runtime.yml, 0.15 s of CPU with
    libyaml) and its configuration definitions (base.yml, 0.05 s) at startup: a quarter of an empty playbook run's 1.2 s,
    paid again by each of the suite's ansible-playbook, ansible-doc and ansible-galaxy processes. Wrap yaml.load for the
    plain loaders (C)BaseLoader and (C)SafeLoader, whose results are plain data, for documents of at least
    _YAML_CACHE_MIN_SIZE bytes: the parsed document, marshalled, keyed by the loader and the document's bytes. Anything
    else, and any document marshal cannot store, is parsed as it comes."""
    load = module.load
    plain_loaders = {getattr(module, name, None) for name in ("BaseLoader", "SafeLoader", "CBaseLoader", "CSafeLoader")} - {None}

    def cached_load(stream: Any, Loader: Any = None) -> Any:  # PyYAML's own argument name
        if Loader not in plain_loaders:
            return load(stream, Loader)
        if hasattr(stream, "read"):
            stream = stream.read()
        data = stream.encode("utf-8", "surrogatepass") if isinstance(stream, str) else stream
        if not isinstance(data, bytes) or len(data) < _YAML_CACHE_MIN_SIZE:
            return load(stream, Loader)
        return _stored_or_computed(_entry_path(directory, "yaml", [Loader.__name__.encode(), data]), lambda: load(stream, Loader))

    cached_load.original = load  # type: ignore[attr-defined]
    module.load = cached_load


# module name -> what to change in it once it is imported
PATCHES: dict[str, Callable[[str, Any], None]] = {
    "botocore.loaders": _cache_botocore_models,
    "yaml": _cache_yaml_documents,
    "ansible.utils.collection_loader._collection_finder": _cache_collection_loader_code,
}


class _PatchAfterImport:
    """A meta path finder that changes the modules of PATCHES right after they are imported (importing botocore or
    ansible here would cost every process that never uses them)."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        patch = PATCHES.get(fullname)
        if patch is None:
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        exec_module = spec.loader.exec_module
        directory = self.directory

        def exec_and_patch(module: Any) -> None:
            exec_module(module)
            with contextlib.suppress(Exception):
                patch(directory, module)

        spec.loader.exec_module = exec_and_patch
        return spec


def _run_the_sitecustomize_this_one_hides() -> None:
    """Python imports one `sitecustomize`: the first on sys.path, this one. Run the one it hides, if any."""
    from importlib.machinery import PathFinder
    from importlib.util import module_from_spec

    here = os.path.dirname(os.path.abspath(__file__))
    spec = PathFinder.find_spec("sitecustomize", [path for path in sys.path if os.path.abspath(path or os.curdir) != here])
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(module_from_spec(spec))


def _hand_module_to_zygote() -> None:
    """While $HYBRIDCLOUD_TEST_MODULE_ZYGOTE names a zygote (module_zygote.py), a process that runs an AWS module's
    AnsiballZ wrapper has a fork of the zygote run it, and exits with its status. The local connection starts such a
    process as `python3 .../AnsiballZ_<module>.py` (a file: without pipelining) or as `python3` reading the wrapper
    from standard input (pipelined). A script read from standard input that the zygote does not take is put back (a
    memory file with the same bytes as standard input), and Python reads it from there as it would have."""
    if not os.environ.get("HYBRIDCLOUD_TEST_MODULE_ZYGOTE"):
        return
    if len(sys.argv) == 1 and os.path.basename(sys.argv[0]).startswith("AnsiballZ_"):
        with contextlib.suppress(Exception), open(sys.argv[0], "rb") as script:
            _exit_if_delegated(script.read(), sys.argv[0])
        return
    if sys.argv != [""] or os.isatty(0):
        return
    chunks = []
    while chunk := os.read(0, 1 << 20):
        chunks.append(chunk)
    source = b"".join(chunks)
    _exit_if_delegated(source, None)
    replay = os.memfd_create("stdin")
    written = 0
    while written < len(source):
        written += os.write(replay, source[written:])
    os.lseek(replay, 0, os.SEEK_SET)
    os.dup2(replay, 0)
    os.close(replay)


def _exit_if_delegated(source: bytes, script: str | None) -> None:
    status = None
    with contextlib.suppress(Exception):
        import module_zygote

        status = module_zygote.delegate(source, script)
    if status is not None:
        os._exit(status)


def install() -> None:
    _run_the_sitecustomize_this_one_hides()
    _hand_module_to_zygote()
    directory = _directory()
    if directory is None:
        return
    with contextlib.suppress(Exception):
        _install_zip_code_cache(directory)
    with contextlib.suppress(Exception):
        _install_source_code_cache(directory)
    sys.meta_path.insert(0, _PatchAfterImport(directory))


install()
