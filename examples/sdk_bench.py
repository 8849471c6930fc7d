"""How much of a Python SDK call the lab takes: boto3 and redis-py against the lab, beside the
same calls answered by stubs, in the same run.

    python3 sdk_bench.py dynamodb [N]      where the lab's credentials are (CloudShell)
    python3 sdk_bench.py redis HOST [N]    on an EC2 instance that reaches the cache HOST

Run in the lab, natively by ``cargo run --release --example python_bench`` and in the browser
by the browser test, which prints these lines.

DynamoDB: N ``put_item`` and N ``get_item`` calls on a table of the lab, then the same calls on
a client whose answers come from botocore's ``Stubber``. A stubbed call skips the request's
serialisation, signing and the response's parsing as well as the lab, so the lab's share is
measured two ways: against the stub, ``(lab - stub) / lab``, which counts all of that as the
lab's; and as the time spent waiting for the lab's answers (the bridge's ``channel.ask``: the
Rust lab and the line to it) over the calls' whole time.

Redis: N ``GET`` calls through redis-py to the node, then through the same redis-py with a
connection whose socket answers canned replies at once; the ratio of calls per second.
"""

import errno
import os
import sys
import time


def timed(calls):
    start = time.perf_counter()
    calls()
    return time.perf_counter() - start


def lab_wait_meter():
    """Counts the seconds spent waiting on the lab's answers, where the bridge is there."""
    try:
        from _dblab import channel
    except ImportError:
        return None
    waited = [0.0]
    ask = channel.ask

    def metered(op, **fields):
        start = time.perf_counter()
        try:
            return ask(op, **fields)
        finally:
            waited[0] += time.perf_counter() - start

    channel.ask = metered
    return waited


def bench_dynamodb(n):
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("dynamodb")
    if "SdkBench" not in client.list_tables()["TableNames"]:
        client.create_table(
            TableName="SdkBench",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.get_waiter("table_exists").wait(TableName="SdkBench")
    item = lambda i: {"id": {"S": f"item-{i}"}, "n": {"N": str(i)}, "text": {"S": "x" * 100}}

    def loop(c):
        for i in range(n):
            c.put_item(TableName="SdkBench", Item=item(i))
            got = c.get_item(TableName="SdkBench", Key={"id": {"S": f"item-{i}"}})
            assert got["Item"]["n"]["N"] == str(i), got

    loop(client)  # warm: the models and the connection's first use
    waited = lab_wait_meter()
    lab = timed(lambda: loop(client))
    lab_waited = waited[0] if waited else None

    stubbed = boto3.client("dynamodb")
    stubber = Stubber(stubbed)
    for i in range(2 * n):
        stubber.add_response("put_item", {})
        stubber.add_response("get_item", {"Item": item(i % n)})
    with stubber:
        loop(stubbed)
        stub = timed(lambda: loop(stubbed))

    calls = 2 * n
    print(f"dynamodb: {calls} calls (put_item + get_item): lab {lab / calls * 1e6:.0f} us a call, "
          f"Stubber {stub / calls * 1e6:.0f} us a call")
    print(f"dynamodb: the lab's share against the Stubber {(lab - stub) / lab:.0%} (goal at most 25%)")
    if lab_waited is not None:
        print(f"dynamodb: the lab's share as time waiting for its answers {lab_waited / lab:.0%}")
    client.delete_table(TableName="SdkBench")


class CannedSocket:
    """A socket that answers each command redis-py sends at once: a value for GET, +OK else."""

    def __init__(self):
        self._sent = b""
        self._replies = bytearray()

    def sendall(self, data):
        self._sent += bytes(data)
        while True:
            command, self._sent = self._take(self._sent)
            if command is None:
                return
            self._replies += b"$5\r\nvalue\r\n" if command == b"GET" else b"+OK\r\n"

    @staticmethod
    def _take(buffer):
        """The name of the first whole command in ``buffer`` and what follows it."""
        if not buffer.startswith(b"*") or b"\r\n" not in buffer:
            return None, buffer
        head, _, rest = buffer.partition(b"\r\n")
        name = None
        for _ in range(int(head[1:])):
            length, sep, rest = rest.partition(b"\r\n")
            if not sep or len(rest) < int(length[1:]) + 2:
                return None, buffer
            name = name or rest[: int(length[1:])].upper()
            rest = rest[int(length[1:]) + 2:]
        return name, rest

    def recv(self, size):
        if not self._replies:
            # Nothing to read: a non-blocking socket says so (redis-py's health check reads
            # with a timeout of 0), and a blocking one would wait for ever.
            raise BlockingIOError(errno.EAGAIN, os.strerror(errno.EAGAIN))
        data, self._replies = bytes(self._replies[:size]), self._replies[size:]
        return data

    def recv_into(self, buffer, size=0):
        data = self.recv(size or len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def settimeout(self, _):
        pass

    def setsockopt(self, *_):
        pass

    def shutdown(self, _):
        pass

    def close(self):
        pass


def bench_redis(host, n):
    import redis

    class CannedConnection(redis.Connection):
        def _connect(self):
            return CannedSocket()

    def loop(r):
        r.set("bench:key", "value")
        for _ in range(n):
            assert r.get("bench:key") == b"value"

    node = redis.Redis(host=host, port=6379, protocol=2, socket_timeout=5)
    canned = redis.Redis(connection_pool=redis.ConnectionPool(connection_class=CannedConnection, protocol=2))
    loop(node)
    loop(canned)
    waited = lab_wait_meter()
    lab = timed(lambda: loop(node))
    lab_waited = waited[0] if waited else None
    stub = timed(lambda: loop(canned))
    print(f"redis: {n} GET: the node {n / lab:.0f} calls/s, canned replies {n / stub:.0f} calls/s")
    print(f"redis: the node's rate is {stub / lab:.0%} of the canned one (goal at least 50%)")
    if lab_waited is not None:
        print(f"redis: the lab's share as time waiting for its answers {lab_waited / lab:.0%}")
    node.delete("bench:key")


def main(args):
    if args[:1] == ["dynamodb"] and len(args) <= 2:
        bench_dynamodb(int(args[1]) if len(args) > 1 else 500)
    elif args[:1] == ["redis"] and len(args) in (2, 3):
        bench_redis(args[1], int(args[2]) if len(args) > 2 else 2000)
    else:
        sys.exit(__doc__.split("\n\n")[1])


if __name__ == "__main__":
    main(sys.argv[1:])
