#!/usr/bin/env python3
"""Packs the lab's Python for the browser into OUT (Trunk's post-build hook: dist/python/).

    python3 scripts/python_web.py OUT

What goes in, all from pinned sources that scripts/setup.sh fetched and checked:

- Pyodide (CPython 3.14 in WebAssembly) from the `pyodide` npm package in node_modules/:
  its loader and runtime as published, and its standard library with the modules every
  program imports precompiled (`python_stdlib-<hash>.zip`, by scripts/python_precompile.mjs
  in Node, cached in ~/.cache/dblab/python-web/);
- `packages-<hash>.zip`: what a host's site-packages holds, unzipped from the hash-checked
  wheels of src/shell/python/requirements.txt, with botocore's and boto3's data trimmed to the
  services the lab has, plus the lab's own `_dblab` package (src/shell/python/_dblab/);
- the worker that runs one program (public/python/worker.mjs);
- `manifest.json`: the files and their sizes, read by the page to start Python and show
  progress. The packages' name carries a hash of their content, so a browser's cache of an
  older build never serves stale packages.

The zip is stored uncompressed: the server's brotli or gzip compresses it better in transit
than deflate would, and Pyodide unpacks it faster. Work is skipped when OUT already holds the
same build (a stamp of every input).
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYODIDE = os.path.join(ROOT, "node_modules", "pyodide")
WHEELS = os.environ.get("PYTHON_WHEELS", os.path.expanduser("~/.cache/dblab/wheels"))
REQUIREMENTS = os.path.join(ROOT, "src", "shell", "python", "requirements.txt")
DBLAB_PACKAGE = os.path.join(ROOT, "src", "shell", "python", "_dblab")
WORKER = os.path.join(ROOT, "public", "python", "worker.mjs")
PRECOMPILE = os.path.join(ROOT, "scripts", "python_precompile.mjs")
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "dblab", "python-web")

# Pyodide's files the worker loads as published (pyodide-lock.json is read at start even
# without packages); its standard library goes in precompiled.
PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json"]
STDLIB = "python_stdlib.zip"

# The services the lab answers: botocore's models for the others are left out (16.9 MB of
# its 18 MB of data), as are what the lab never reads.
SERVICES = {"dynamodb", "rds", "ec2", "elasticache", "sts", "iam", "cloudwatch"}
# botocore needs these top-level data files (DataNotFoundError without them); _retry.json is
# the legacy retry mode's configuration, botocore's default mode.
BOTOCORE_DATA_FILES = {"endpoints.json", "partitions.json", "sdk-default-configuration.json", "_retry.json"}
# Per service: the model, the endpoint rules (without them botocore falls back to its legacy
# resolver), paginators and waiters. Examples are documentation only.
SERVICE_FILES = {"service-2.json.gz", "service-2.json", "endpoint-rule-set-1.json.gz", "paginators-1.json",
                 "waiters-2.json", "resources-1.json"}
LEFT_OUT = ("botocore/cacert.pem",)


def pinned_wheels():
    """The wheel files named by the requirements, by their pinned name and version."""
    wanted = []
    for line in open(REQUIREMENTS, encoding="utf-8"):
        line = line.split("#")[0].strip().rstrip("\\").strip()
        if "==" not in line:
            continue
        name, version = line.split("==")[0].strip(), line.split("==")[1].split()[0]
        wanted.append((name.lower().replace("-", "_"), version))
    files = os.listdir(WHEELS) if os.path.isdir(WHEELS) else []
    found = []
    for name, version in wanted:
        match = [f for f in files if f.lower().startswith(f"{name}-{version}-") and f.endswith(".whl")]
        if not match:
            sys.exit(f"python_web: no wheel for {name}=={version} in {WHEELS}: run scripts/setup.sh")
        found.append(os.path.join(WHEELS, match[0]))
    return found


def keep(path):
    """Whether a file of a wheel goes into the browser's site-packages."""
    if path in LEFT_OUT or "/__pycache__/" in path:
        return False
    if ".dist-info/" in path:
        # pip's metadata: the version and name are what `importlib.metadata` asks.
        return path.endswith(("/METADATA", "/top_level.txt"))
    for package in ("botocore/data/", "boto3/data/"):
        if path.startswith(package):
            rest = path[len(package):].split("/")
            if len(rest) == 1:
                return package == "boto3/data/" or rest[0] in BOTOCORE_DATA_FILES
            return rest[0] in SERVICES and rest[-1] in SERVICE_FILES
    return True


def latest_versions(names):
    """Only each service's newest API version is loaded by botocore: drop the older ones."""
    newest = {}
    for n in names:
        parts = n.split("/")
        if len(parts) >= 5 and parts[1] == "data":
            key = (parts[0], parts[2])
            newest[key] = max(newest.get(key, ""), parts[3])
    return [n for n in names
            if not (len(n.split("/")) >= 5 and n.split("/")[1] == "data"
                    and n.split("/")[3] != newest[(n.split("/")[0], n.split("/")[2])])]


def packages_zip():
    """The site-packages zip's bytes (deterministic: sorted names, fixed timestamps)."""
    entries = {}
    for wheel in pinned_wheels():
        with zipfile.ZipFile(wheel) as z:
            names = [n for n in z.namelist() if not n.endswith("/") and keep(n)]
            for n in latest_versions(names):
                entries[n] = z.read(n)
    for name in sorted(os.listdir(DBLAB_PACKAGE)):
        if name.endswith(".py"):
            with open(os.path.join(DBLAB_PACKAGE, name), "rb") as f:
                entries[f"_dblab/{name}"] = f.read()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, entries[name])
    return out.getvalue()


def precompiled_stdlib(packages):
    """The standard library's zip with the hot modules compiled (built once per input)."""
    key = hashlib.sha256()
    for part in (open(os.path.join(PYODIDE, STDLIB), "rb").read(), packages, open(PRECOMPILE, "rb").read()):
        key.update(hashlib.sha256(part).digest())
    digest = key.hexdigest()[:16]
    cached = os.path.join(CACHE, f"stdlib-{digest}.zip")
    if not os.path.exists(cached):
        os.makedirs(CACHE, exist_ok=True)
        with tempfile.TemporaryDirectory() as scratch:
            zipped = os.path.join(scratch, "packages.zip")
            with open(zipped, "wb") as f:
                f.write(packages)
            made = os.path.join(scratch, "stdlib.zip")
            subprocess.run(["node", PRECOMPILE, PYODIDE, os.path.join(PYODIDE, STDLIB), zipped, made],
                           check=True, stdout=subprocess.DEVNULL)
            shutil.move(made, cached)
    return cached


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    out = sys.argv[1]
    for f in PYODIDE_FILES + [STDLIB]:
        if not os.path.exists(os.path.join(PYODIDE, f)):
            sys.exit(f"python_web: {PYODIDE}/{f} is missing: run scripts/setup.sh")
    packages = packages_zip()
    digest = hashlib.sha256(packages).hexdigest()[:16]
    version = json.load(open(os.path.join(PYODIDE, "package.json")))["version"]
    stdlib = precompiled_stdlib(packages)
    # Named by its content: a change to the lab's package that imports the same modules
    # leaves the browsers' cached standard library valid.
    stdlib_digest = hashlib.sha256(open(stdlib, "rb").read()).hexdigest()[:16]
    manifest = {
        "python": "3.14",
        "pyodide": version,
        "packages": f"packages-{digest}.zip",
        "stdlib": f"python_stdlib-{stdlib_digest}.zip",
        "files": {},
    }
    os.makedirs(out, exist_ok=True)
    for stale in os.listdir(out):
        if stale.startswith(("packages-", "python_stdlib")) and stale not in (manifest["packages"], manifest["stdlib"]):
            os.remove(os.path.join(out, stale))
    shutil.copyfile(stdlib, os.path.join(out, manifest["stdlib"]))
    manifest["files"][manifest["stdlib"]] = os.path.getsize(stdlib)
    for f in PYODIDE_FILES:
        src, dst = os.path.join(PYODIDE, f), os.path.join(out, f)
        if not (os.path.exists(dst) and os.path.getsize(dst) == os.path.getsize(src)):
            shutil.copyfile(src, dst)
        manifest["files"][f] = os.path.getsize(src)
    with open(os.path.join(out, manifest["packages"]), "wb") as f:
        f.write(packages)
    manifest["files"][manifest["packages"]] = len(packages)
    shutil.copyfile(WORKER, os.path.join(out, "worker.mjs"))
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    total = sum(manifest["files"].values())
    print(f"python_web: {out}: Pyodide {version}, packages {len(packages) / 1e6:.2f} MB, {total / 1e6:.1f} MB in all")


if __name__ == "__main__":
    main()
