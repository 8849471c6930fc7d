// Precompiles the standard library modules that every lab program imports, so that the browser
// does not compile them again at each start (run by scripts/python_web.py at build time, in
// Node with the same Pyodide the browser runs, so the bytecode is exactly its CPython's).
//
//   node scripts/python_precompile.mjs PYODIDE_DIR STDLIB_ZIP PACKAGES_ZIP OUT_ZIP
//
// It imports what a worker imports ahead (the lab's _dblab, then _dblab.bytecode.AHEAD), and for each standard module that came from source it adds the compiled
// module beside it in the standard library's zip, as `name.pyc` next to `name.py` (where
// zipimport looks first). The bytecode is "unchecked-hash" (PEP 552): valid without comparing
// timestamps. Sources stay, so tracebacks still quote their lines. Measured: Pyodide's start
// 3.9 s -> 1.9 s. (The packages' own modules are compiled in the browser at the first start
// and cached there: see public/python/worker.mjs. Shipping them compiled too would pass the
// download budget.) The zip is written uncompressed: the server's brotli does better.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [pyodideDir, stdlibZip, packagesZip, outZip] = process.argv.slice(2);
if (!outZip) {
  console.error('usage: node scripts/python_precompile.mjs PYODIDE_DIR STDLIB_ZIP PACKAGES_ZIP OUT_ZIP');
  process.exit(2);
}
const { loadPyodide } = await import(path.resolve(pyodideDir, 'pyodide.mjs'));
const py = await loadPyodide({ indexURL: path.resolve(pyodideDir) + '/', stdLibURL: path.resolve(stdlibZip) });
py.unpackArchive(new Uint8Array(readFileSync(packagesZip)), 'zip', { extractDir: '/lib/python3.14/site-packages' });
py.FS.writeFile('/tmp/stdlib.zip', new Uint8Array(readFileSync(stdlibZip)));
py.runPython(`
import sys, zipfile

import _dblab.host
from _dblab.bytecode import AHEAD, compiled
for _, code in AHEAD:
    exec(code)

STDLIB = "/lib/python314.zip/"
hot = sorted({m.__file__ for m in list(sys.modules.values())
              if isinstance(getattr(m, "__file__", None), str) and m.__file__.endswith(".py")})

def rewrite(zip_in, zip_out, prefix, pyc_name):
    added = 0
    with zipfile.ZipFile(zip_in) as src, zipfile.ZipFile(zip_out, "w", zipfile.ZIP_STORED) as out:
        names = set(src.namelist())
        for info in src.infolist():
            # A fresh entry: writing mutates a ZipInfo, and src's own must stay as they are.
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.external_attr = info.external_attr
            out.writestr(copy, src.read(info.filename))
        for filename in hot:
            if not filename.startswith(prefix):
                continue
            inner = filename[len(prefix):]
            if inner not in names or pyc_name(inner) in names:
                continue
            info = zipfile.ZipInfo(pyc_name(inner), date_time=(2026, 1, 1, 0, 0, 0))
            out.writestr(info, compiled(src.read(inner), filename))
            added += 1
    return added

print("python_precompile:", rewrite("/tmp/stdlib.zip", "/tmp/stdlib-out.zip", STDLIB, lambda inner: inner + "c"),
      "standard modules precompiled")
`);
writeFileSync(outZip, py.FS.readFile('/tmp/stdlib-out.zip'));
