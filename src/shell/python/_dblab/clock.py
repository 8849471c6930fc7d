"""Time in a lab script passes on the lab's clock.

``time.sleep(60)`` moves the lab's virtual clock a minute (as the shell's ``sleep`` does), so a
waiter polling an RDS instance every 30 seconds sees it become available after its minutes of
lab time, in moments. The lab may stop a sleep early (Ctrl+C) and says so.
"""

import time

from . import channel

_real_sleep = time.sleep


def sleep(seconds):
    if not isinstance(seconds, (int, float)):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer")
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    if seconds == 0:
        return
    answer = channel.ask("sleep", seconds=float(seconds))
    if answer.get("interrupted"):
        raise KeyboardInterrupt


def install():
    time.sleep = sleep
