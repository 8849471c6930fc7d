"""Compiled modules, for the browser's start: what is imported ahead, and its bytecode.

CPython compiles a module's source each time it imports it unless it finds the compiled module
in ``__pycache__``. Natively it writes that cache itself; in the browser a program's files
vanish with its worker, so the worker asks for :func:`bundle` once, after importing boto3 and
redis-py, keeps it in the browser's cache, and unpacks it beside the packages at the next
start (see ``public/python/worker.mjs``). The bytecode is "unchecked-hash" (PEP 552): valid
without comparing timestamps, which an unpacked zip does not keep.
"""

import importlib._bootstrap_external as external
import importlib.util
import io
import sys
import zipfile


# What the browser imports ahead, while no program waits (public/python/worker.mjs, one stage
# at a time), and what the build precompiles the standard library for
# (scripts/python_precompile.mjs): what lab programs import.
AHEAD = (
    ("boto3", "import boto3, botocore.session"),
    ("redis", "import redis"),
    ("model", 'botocore.session.Session().get_service_model("dynamodb")'),
)


def compiled(source, filename):
    """``source`` (bytes) compiled as ``filename``, as an unchecked-hash ``.pyc``'s bytes."""
    code = compile(source, filename, "exec", dont_inherit=True)
    return external._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)


def bundle(site_packages):
    """A zip of ``__pycache__`` files for every module imported from ``site_packages``."""
    prefix = site_packages.rstrip("/") + "/"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for module in list(sys.modules.values()):
            path = getattr(module, "__file__", None)
            if not (isinstance(path, str) and path.startswith(prefix) and path.endswith(".py")):
                continue
            with open(path, "rb") as f:
                source = f.read()
            z.writestr(importlib.util.cache_from_source(path)[len(prefix):], compiled(source, path))
    return out.getvalue()
