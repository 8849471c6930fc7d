"""Standard output, standard error and standard input, carried to the learner's terminal.

Output is sent a line at a time as the program prints it, so a long script shows its progress
as it goes. Standard output is flushed before anything goes to standard error and before the
program waits for input, so the terminal shows them in the order they happened. What the
program writes without a newline before asking for input (``input("Name? ")``, the REPL's
``>>> ``) is the prompt the terminal shows on the input line.
"""

import io

from . import channel

# The longest piece of output held back waiting for its newline.
_HOLD = 8192


class Output(io.TextIOBase):
    def __init__(self, fd, before=None):
        self._fd = fd
        self._pending = ""
        self._before = before
        # What was written since the last newline, sent or not: the prompt, if input follows.
        self._tail = ""

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def isatty(self):
        return True

    def fileno(self):
        raise io.UnsupportedOperation("fileno")

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self._before is not None:
            self._before.flush()
        self._pending += text
        newline = text.rfind("\n")
        self._tail = text[newline + 1:] if newline >= 0 else self._tail + text
        cut = self._pending.rfind("\n") + 1
        if cut or len(self._pending) > _HOLD:
            cut = cut or len(self._pending)
            channel.tell("write", fd=self._fd, text=self._pending[:cut])
            self._pending = self._pending[cut:]
        return len(text)

    def flush(self):
        if self._pending:
            channel.tell("write", fd=self._fd, text=self._pending)
            self._pending = ""

    def take_partial(self):
        """The unfinished last line (sent now if it was not): the prompt of an input request."""
        self.flush()
        partial, self._tail = self._tail, ""
        return partial


class Input(io.TextIOBase):
    """Lines the learner types, asked of the lab one at a time (an empty read is Ctrl+D)."""

    def __init__(self, stdout, stderr, piped=None):
        self._stdout = stdout
        self._stderr = stderr
        self._piped = io.StringIO(piped) if piped is not None else None

    @property
    def encoding(self):
        return "utf-8"

    def readable(self):
        return True

    def isatty(self):
        return self._piped is None

    def readline(self, size=-1):
        if self._piped is not None:
            return self._piped.readline(size)
        self._stderr.flush()
        prompt = self._stdout.take_partial()
        answer = channel.ask("input", prompt=prompt)
        if answer.get("eof"):
            return ""
        return answer.get("line", "") + "\n"

    def read(self, size=-1):
        if self._piped is not None:
            return self._piped.read(size)
        lines = []
        while True:
            line = self.readline()
            if not line:
                return "".join(lines)
            lines.append(line)

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line


def install(sys, piped_stdin=None):
    """Points ``sys.stdout``, ``sys.stderr`` and ``sys.stdin`` at the terminal."""
    stdout = Output(1)
    stderr = Output(2, before=stdout)
    sys.stdout = sys.__stdout__ = stdout
    sys.stderr = sys.__stderr__ = stderr
    sys.stdin = sys.__stdin__ = Input(stdout, stderr, piped_stdin)
    return stdout, stderr
