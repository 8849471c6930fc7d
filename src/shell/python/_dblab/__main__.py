"""The native entry: ``python -m _dblab`` with the lab on the other end of its stdin and stdout.

The first line the lab sends is the launch: what to run, where, with which environment and
files. The process keeps its standard input and output for the lab's line and sends what the
program prints through it; anything C code writes to file descriptor 1 goes to standard error.
"""

import json
import os
import sys


def main():
    proto_in = os.dup(0)
    proto_out = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    from . import channel

    pipes = channel.Pipes(proto_in, proto_out)
    channel.use(pipes)
    launch = json.loads(pipes.readline() or "{}")
    from . import host

    status = host.run(launch)
    os._exit(status)


main()
