"""What pagerduty_ffi's Python does per event: EventsClient.trigger with libpagerduty's
pd_events_trigger and pd_string_free swapped for stubs that do no I/O (bench/stub_events.c, same
C signatures), so that the figure is the wrapper alone (arguments, JSON, ctypes, the key's
string, the close guard) without the network's noise. CPU time, best of several rounds.
Prints figures; asserts nothing.

    python3 bench/python_side.py path/to/libstub_events.so
"""

import ctypes
import sys
import time
import timeit

import pagerduty_ffi as pd
from pagerduty_ffi import _native

CALLS = 50_000


def best_us(fn, rounds=9):
    """Per call, in µs: the best of `rounds` rounds of CALLS calls, in this process's CPU time."""
    return min(timeit.repeat(fn, number=CALLS, repeat=rounds, timer=time.process_time)) / CALLS * 1e6


def main():
    stub = ctypes.CDLL(sys.argv[1])
    trigger = stub.stub_events_trigger
    trigger.argtypes, trigger.restype = _native.pd_events_trigger.argtypes, _native.pd_events_trigger.restype
    free = stub.stub_string_free
    free.argtypes, free.restype = _native.pd_string_free.argtypes, None
    ev = pd.EventsClient("pdmockintegrationkey000000000001", region="http://127.0.0.1:9")
    _native.pd_events_trigger, _native.pd_string_free = trigger, free  # this process only

    def one():
        return ev.trigger("bench 1", source="bench", severity="info")

    if one() != "00000000-0000-4000-8000-000000000000":
        raise SystemExit("the stub was not called")

    def bare():
        out = ctypes.c_void_p()
        trigger(None, b"{}", ctypes.byref(out))
        free(out.value)

    print(
        f"Python side of EventsClient.trigger (native calls stubbed, no I/O): {best_us(one):.2f} us per event "
        f"(of which the two ctypes calls alone: {best_us(bare):.2f} us)"
    )


if __name__ == "__main__":
    main()
