"""The host's files, as the program sees them.

Before the program starts, the lab hands over the host's files (a path and its text each) and
they are written under ``root`` (``/`` in the browser's own file system; a private directory
natively, where the host's ``/home/learner`` is ``ROOT/home/learner``). When the program ends,
every file that is new or changed is handed back, so what a script wrote is in the host's file
system for ``cat``, the editor and the next script. Only text files come back: the lab's file
system holds text.
"""

import os

# The most bytes handed back in all (the host's file system has its own limits too).
_MAX_BACK = 16 * 1024 * 1024


def lay_out(root, files, dirs=()):
    """Writes the host's files and directories under ``root``; returns what was written, to
    compare later."""
    for path in dirs:
        os.makedirs(root + path if root != "/" else path, exist_ok=True)
    written = {}
    for path, text in files.items():
        real = root + path if root != "/" else path
        os.makedirs(os.path.dirname(real), exist_ok=True)
        with open(real, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        written[path] = text
    return written


def removed(root, written):
    """Files that were handed over and are gone now (the program deleted them)."""
    return sorted(p for p in written if not os.path.exists(root + p if root != "/" else p))


def changed(root, written, dirs):
    """Files under ``dirs`` (lab paths) that are new or differ from what was written."""
    back = {}
    total = 0
    for top in dirs:
        real_top = root + top if root != "/" else top
        for here, subdirs, names in os.walk(real_top):
            subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
            for name in sorted(names):
                real = os.path.join(here, name)
                path = real[len(root):] if root != "/" else real
                try:
                    with open(real, encoding="utf-8", newline="") as f:
                        text = f.read()
                except (UnicodeDecodeError, OSError):
                    continue
                if written.get(path) != text:
                    total += len(text)
                    if total > _MAX_BACK:
                        return back
                    back[path] = text
    return back
