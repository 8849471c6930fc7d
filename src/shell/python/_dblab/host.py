"""One program's life: the host set up around it, the program run, the host's files handed back.

The launch the lab sends says what to run and where::

    {"args": ["load.py"], "cwd": "/home/learner", "home": "/home/learner",
     "env": {...}, "files": {"/home/learner/load.py": "..."}, "root": "/tmp/x",
     "stdin": null}

``root`` is where the host's ``/`` is (``/`` in the browser). Everything the program can reach
is set up here, once, before it starts: the terminal, the clock, the network, botocore.
"""

import os
import sys

from . import aws, channel, clock, console, files, net, program


def run(launch):
    try:
        return _run(launch)
    except KeyboardInterrupt:
        # Ctrl+C while the host was being set up, before the program started: it ends as an
        # interrupted process does, with nothing handed back. (Once the program has ended,
        # Ctrl+C is ignored while its files are handed back.)
        channel.tell("exit", status=130, files={}, removed=[])
        return 130


def _run(launch):
    root = launch.get("root", "/").rstrip("/") or "/"
    real = (lambda p: root + p) if root != "/" else (lambda p: p)
    written = files.lay_out(root, launch.get("files", {}), launch.get("dirs", []))
    env = dict(launch.get("env", {}))
    env["HOME"] = real(launch["home"])
    env["PWD"] = real(launch["cwd"])
    os.environ.clear()
    os.environ.update(env)
    os.makedirs(real(launch["cwd"]), exist_ok=True)
    os.chdir(real(launch["cwd"]))
    stdout, stderr = console.install(sys, launch.get("stdin"))
    clock.install()
    net.install()
    aws.install()

    def read_file(path):
        try:
            with open(real(path), encoding="utf-8") as f:
                return f.read()
        except FileNotFoundError:
            sys.stderr.write(f"python3: can't open file '{path}': [Errno 2] No such file or directory\n")
            raise SystemExit(2)

    # The lab is reproducible from its seed: so is a program's randomness (redis-py's and
    # botocore's back-off jitter waits on the lab clock).
    import random

    random.seed(launch.get("seed", 0))
    status = program.run(launch.get("args", []), read_file, launch["cwd"])
    # The program is over: a Ctrl+C now must not stop its files from being handed back.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        stdout.flush()
        stderr.flush()
    except Exception:
        pass
    dirs = sorted({launch["home"], "/tmp"} | {os.path.dirname(p) for p in written})
    back = files.changed(root, written, dirs)
    gone = files.removed(root, written)
    channel.tell("exit", status=status, files=back, removed=gone)
    return status
