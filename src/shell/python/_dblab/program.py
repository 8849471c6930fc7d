"""What ``python3`` was asked to run, run as CPython runs it.

``python3 FILE [ARGS]`` (``sys.argv`` is ``[FILE, ARGS...]``), ``python3 -c CODE``,
``python3 -m MODULE`` (``json.tool`` for one), ``python3 -`` (the script on standard input,
a here-document), or, with nothing to run, the interactive prompt (``>>>`` and ``...``,
``exit()`` or Ctrl+D to leave). The exit status is CPython's: 0, the ``SystemExit`` code, 1
after an uncaught exception (its traceback printed as CPython prints it), 130 after Ctrl+C.
"""

import linecache
import os
import sys
import traceback

BANNER = 'Type "help", "copyright", "credits" or "license" for more information.'


# Where the lab's hosts keep Python, as tracebacks and ``pip show`` name it, whatever the
# interpreter underneath (a virtualenv natively, Pyodide's file system in the browser).
HOST_STDLIB = "/usr/local/lib/python3.14"
HOST_SITE_PACKAGES = HOST_STDLIB + "/site-packages"


def _host_paths():
    """(where this interpreter keeps it, where the host does): packages first, being inside
    the standard library's folder natively."""
    import sysconfig

    paths = sysconfig.get_paths()
    packages = {paths["purelib"]} | {p for p in sys.path if p.endswith("site-packages")}
    # Pyodide's standard library is a zip (/lib/python314.zip) where os.py is.
    stdlib = {paths["stdlib"], os.path.dirname(os.__file__)}
    return [(p, HOST_SITE_PACKAGES) for p in sorted(packages)] + [(p, HOST_STDLIB) for p in sorted(stdlib)]


def _banner():
    """CPython's first line, as the host's own build prints it (Amazon Linux's compiler, not
    that of the interpreter underneath, Pyodide's Clang or this machine's)."""
    number, _, build = sys.version.partition(" (")
    build = build.split(")")[0] if build else "main"
    return f"Python {number} ({build}) [GCC 11.5.0 20240719 (Red Hat 11.5.0-5)] on linux"


def _show_traceback(exc):
    """CPython's report of an uncaught exception, without the lab's own frames, with the
    library paths the host has."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith(_OWN):
        tb = tb.tb_next
    text = _without_own_frames("".join(traceback.format_exception(type(exc), exc, tb)))
    for real, shown in _host_paths():
        text = text.replace(f'File "{real}/', f'File "{shown}/')
    sys.stderr.write(text)


_OWN = os.path.dirname(os.path.abspath(__file__))
# Frames that are the lab's machinery, not the program's: this package, and in the browser
# Pyodide's own (its bridge to JavaScript, where Ctrl+C is raised while the lab answers).
_MACHINERY = (f'  File "{_OWN}', '  File "blob:', '  File "/lib/python314.zip/_pyodide/',
              '  File "/lib/python314.zip/pyodide/')


def _without_own_frames(text):
    """Drops the lab's frames (a lab socket's ``connect`` is C code on a real host: no frame),
    each a ``File`` line and the source lines under it."""
    out, skipping = [], False
    for line in text.splitlines(True):
        if line.startswith('  File "'):
            skipping = line.startswith(_MACHINERY)
        elif not line.startswith("    "):
            skipping = False
        if not skipping:
            out.append(line)
    return "".join(out)


def _exit_status(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write(f"{code}\n")
    return 1


def _run_source(source, filename, globals_):
    # The source goes in linecache, so tracebacks quote its lines wherever the file really is.
    lines = source.splitlines(True)
    linecache.cache[filename] = (len(source), None, lines, filename)
    code = compile(source, filename, "exec")
    exec(code, globals_)


def _main_globals(filename):
    import types

    main = types.ModuleType("__main__")
    main.__file__ = filename
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    return main.__dict__


def run(args, read_file, lab_cwd):
    """Runs what ``args`` (the words after ``python3``) ask for; returns the exit status.

    ``read_file(path)`` reads a script the way the host's file system has it (a lab path).
    """
    from .channel import LabGone

    try:
        return _run(args, read_file, lab_cwd)
    except LabGone:
        # The terminal closed under the program: nothing left to tell.
        os._exit(129)
    except SystemExit as e:
        return _exit_status(e.code)
    except KeyboardInterrupt as e:
        _show_traceback(e)
        return 130
    except BaseException as e:  # noqa: BLE001 - CPython reports every uncaught exception
        _show_traceback(e)
        return 1


def _run(args, read_file, lab_cwd):
    if args and args[0] == "-c":
        sys.argv = ["-c"] + args[2:]
        sys.path.insert(0, "")
        _run_source(args[1], "<string>", _main_globals("<string>"))
        return 0
    if args and args[0] == "-m":
        import runpy

        sys.argv = [args[1]] + args[2:]
        sys.path.insert(0, os.getcwd())
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        return 0
    if args and args[0] == "-":
        sys.argv = ["-"] + args[1:]
        sys.path.insert(0, "")
        _run_source(sys.stdin.read(), "<stdin>", _main_globals("<stdin>"))
        return 0
    if args == ["-q"]:
        return _interact(quiet=True)
    if args:
        path = args[0] if args[0].startswith("/") else os.path.normpath(os.path.join(lab_cwd, args[0]))
        source = read_file(path)
        sys.argv = list(args)
        sys.path.insert(0, os.path.dirname(os.path.abspath(args[0])))
        _run_source(source, path, _main_globals(path))
        return 0
    return _interact(quiet=False)


def _interact(quiet):
    import code

    sys.ps1, sys.ps2 = ">>> ", "... "
    sys.argv = [""]
    sys.path.insert(0, "")
    banner = "" if quiet else f"{_banner()}\n{BANNER}"
    console = code.InteractiveConsole(_main_globals("<stdin>"))
    try:
        console.interact(banner=banner, exitmsg="")
    except SystemExit as e:
        return _exit_status(e.code)
    return 0
