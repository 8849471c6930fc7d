"""Sockets through the lab's network.

A program that opens a TCP connection (redis-py does, for every ``redis.Redis``) gets one of
these instead of an operating-system socket: its ``connect`` asks the lab to open the path
from the host the program runs on, through the lab's routes, network ACLs and security
groups, so from the laptop a private ElastiCache node times out, and from an EC2 instance in
the VPC it answers. The bytes sent are what the client library wrote (RESP for redis-py) and
the bytes received are what the node answered: the client's own protocol code runs unchanged.

Timeouts pass on the lab's clock. Names resolve through the host's DNS as ``dig`` shows them.
"""

import errno
import socket as _socket
import time

from . import channel

_real_getaddrinfo = _socket.getaddrinfo


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    if isinstance(host, bytes):
        host = host.decode()
    answer = channel.ask("resolve", host=host)
    if "error" in answer:
        raise _socket.gaierror(_socket.EAI_NONAME, "Name or service not known")
    port = int(port) if port is not None else 0
    return [(_socket.AF_INET, _socket.SOCK_STREAM, 6, "", (answer["address"], port))]


def gethostbyname(host):
    return getaddrinfo(host, 0)[0][4][0]


class LabSocket:
    """A TCP socket whose other end is in the lab."""

    def __init__(self, family=_socket.AF_INET, type=_socket.SOCK_STREAM, proto=0, fileno=None):
        self.family = family
        self.type = type
        self.proto = proto
        self._timeout = _socket.getdefaulttimeout()
        self._conn = None
        self._closed = False
        self._peer = None
        # Replies that came back with a send, read before asking the lab again.
        self._inbox = b""

    # Options change nothing in the lab.
    def setsockopt(self, *args):
        pass

    def getsockopt(self, *args):
        return 0

    def setblocking(self, flag):
        self._timeout = None if flag else 0.0

    def settimeout(self, value):
        if value is not None and value < 0:
            raise ValueError("Timeout value out of range")
        self._timeout = value

    def gettimeout(self):
        return self._timeout

    def fileno(self):
        return -1

    def getpeername(self):
        if self._peer is None:
            raise OSError(errno.ENOTCONN, "Transport endpoint is not connected")
        return self._peer

    def connect(self, address):
        host, port = address[0], address[1]
        # The program's own clock goes with it: an endpoint that hands out expiring credentials
        # states their expiry in it, as the SDK compares it with this clock.
        answer = channel.ask("connect", host=host, port=int(port), timeout=self._timeout, wall=time.time())
        if "conn" in answer:
            self._conn = answer["conn"]
            self._peer = (answer.get("address", host), int(port))
            return
        why = answer.get("error")
        if why == "timeout":
            if self._timeout is not None:
                raise _socket.timeout("timed out")
            raise TimeoutError(errno.ETIMEDOUT, "Connection timed out")
        if why == "unresolved":
            raise _socket.gaierror(_socket.EAI_NONAME, "Name or service not known")
        if why == "unreachable":
            raise OSError(errno.ENETUNREACH, "Network is unreachable")
        raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")

    def connect_ex(self, address):
        try:
            self.connect(address)
            return 0
        except OSError as e:
            return e.errno or errno.ECONNREFUSED

    def _check(self):
        if self._closed:
            raise OSError(errno.EBADF, "Bad file descriptor")
        if self._conn is None:
            raise OSError(errno.ENOTCONN, "Transport endpoint is not connected")

    def sendall(self, data, flags=0):
        self._check()
        answer = channel.ask("send", conn=self._conn, data=bytes(data).decode("latin-1"))
        if answer.get("closed"):
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")
        if "data" in answer:
            self._inbox += answer["data"].encode("latin-1")

    def send(self, data, flags=0):
        self.sendall(data)
        return len(data)

    def recv(self, size, flags=0):
        self._check()
        peek = bool(flags & getattr(_socket, "MSG_PEEK", 2))
        if self._inbox:
            data = self._inbox[: int(size)]
            if not peek:
                self._inbox = self._inbox[len(data):]
            return data
        answer = channel.ask("recv", conn=self._conn, size=int(size), timeout=self._timeout, peek=peek)
        if answer.get("timeout"):
            raise _socket.timeout("timed out")
        if answer.get("reset"):
            raise ConnectionResetError(errno.ECONNRESET, "Connection reset by peer")
        if answer.get("closed"):
            return b""
        return answer.get("data", "").encode("latin-1")

    def recv_into(self, buffer, nbytes=0, flags=0):
        data = self.recv(nbytes or len(buffer), flags)
        buffer[: len(data)] = data
        return len(data)

    def shutdown(self, how):
        pass

    def close(self):
        if not self._closed and self._conn is not None:
            try:
                channel.ask("close", conn=self._conn)
            except Exception:
                pass
        self._closed = True

    def detach(self):
        self._closed = True
        return -1

    def makefile(self, mode="r", buffering=None, *, encoding=None, errors=None, newline=None):
        """A file over the socket, as ``socket.makefile`` makes one (http.client reads its
        responses through it)."""
        import io

        reading, writing = "r" in mode, "w" in mode
        raw = _socket.SocketIO(self, ("r" if reading else "") + ("w" if writing else ""))
        if buffering == 0:
            if "b" not in mode:
                raise ValueError("unbuffered streams must be binary")
            return raw
        if reading and writing:
            buffer = io.BufferedRWPair(raw, raw)
        elif reading:
            buffer = io.BufferedReader(raw)
        else:
            buffer = io.BufferedWriter(raw)
        if "b" in mode:
            return buffer
        text = io.TextIOWrapper(buffer, encoding, errors, newline)
        text.mode = mode
        return text

    def _decref_socketios(self):
        # The files made by makefile share the socket; closing one leaves it open, as in CPython
        # once the socket itself was closed by its owner.
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def create_connection(address, timeout=_socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **_):
    host, port = address
    sock = LabSocket()
    if timeout is not _socket._GLOBAL_DEFAULT_TIMEOUT:
        sock.settimeout(timeout)
    addr = getaddrinfo(host, port)[0][4]
    sock.connect(addr)
    return sock


def install():
    import sys

    if sys.platform == "emscripten":
        # In the browser urllib3 would send HTTP with the page's fetch (its emscripten
        # backend), out of the lab; the lab's network is its sockets, as on any machine. So
        # the module that would switch urllib3 over does nothing here (botocore fetching
        # CloudShell's credentials from its loopback).
        import types

        stay_on_sockets = types.ModuleType("urllib3.contrib.emscripten")
        stay_on_sockets.inject_into_urllib3 = lambda: None
        sys.modules.setdefault("urllib3.contrib.emscripten", stay_on_sockets)
    _socket.socket = LabSocket
    _socket.SocketType = LabSocket
    _socket.getaddrinfo = getaddrinfo
    _socket.gethostbyname = gethostbyname
    _socket.create_connection = create_connection
