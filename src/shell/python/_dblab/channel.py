"""The one line between a Python program and the lab.

Every request is a JSON object with an ``op`` (``aws``, ``sleep``, ``resolve``, ``connect``,
``send``, ``recv``, ``close``, ``input``); the lab answers each with one JSON object. Output
(``write``) is sent without waiting for an answer. The transport differs by where Python runs:

- natively, JSON lines on two pipes the lab gave the process (``Pipes``);
- in the browser, a synchronous call into the page (``Function``), which blocks the worker
  until the page answers.
"""

import json
import os

_channel = None


class LabGone(BaseException):
    """The lab closed the line: the terminal was closed or the program interrupted."""


class Pipes:
    """JSON lines on file descriptors (native runs).

    The lab answers most requests within microseconds, so a request first looks for its answer
    for a moment (``SPIN`` seconds) before it sleeps until one comes: being woken costs more
    than the answer itself."""

    SPIN = 0.0002

    def __init__(self, read_fd, write_fd):
        self._fd = read_fd
        os.set_blocking(read_fd, False)
        self._buffer = b""
        self._out = os.fdopen(write_fd, "w", encoding="utf-8", newline="\n")

    def send(self, message):
        self._out.write(json.dumps(message, separators=(",", ":")) + "\n")
        self._out.flush()

    def readline(self):
        """The next line from the lab, or None when it closed the line."""
        import select
        import time

        looked = None
        while b"\n" not in self._buffer:
            try:
                chunk = os.read(self._fd, 1 << 16)
            except BlockingIOError:
                now = time.perf_counter()
                looked = looked or now
                if now - looked > self.SPIN:
                    select.select([self._fd], [], [])
                continue
            if not chunk:
                return None
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("utf-8")

    def ask(self, message):
        self.send(message)
        while True:
            line = self.readline()
            if line is None:
                raise LabGone("the lab closed the line")
            answer = json.loads(line)
            # An answer to a request that Ctrl+C interrupted arrives late: skip it.
            if answer.get("id") == message["id"]:
                return answer


class Function:
    """A function that takes a JSON text and the request's id and returns the answer's JSON
    text (the browser: it waits for the answer to that id, skipping a late answer to a request
    Ctrl+C interrupted)."""

    def __init__(self, call, post):
        self._call = call
        self._post = post

    def send(self, message):
        self._post(json.dumps(message, separators=(",", ":")))

    def ask(self, message):
        return json.loads(self._call(json.dumps(message, separators=(",", ":")), message["id"]))


def use(channel):
    global _channel
    _channel = channel


_next_id = 0


def ask(op, **fields):
    """Sends a request and waits for the lab's answer."""
    global _next_id
    _next_id += 1
    fields["op"] = op
    fields["id"] = _next_id
    return _channel.ask(fields)


def tell(op, **fields):
    """Sends a message that needs no answer. (`op` comes first in the text: the browser's page
    tells output, ``{"op":"write",...``, from the rest by its start.)"""
    _channel.send({"op": op, **fields})
