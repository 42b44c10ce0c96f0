"""The processes test_outbox.py starts (so that a SIGKILL, a second owner or a crash stays in a
child):

- ``crash DIR URL FROM TO``: opens the outbox (retrying while a killed predecessor's lock goes
  away), starts the background sender, enqueues triggers with ``custom_details.seq`` FROM..TO
  over 16 routing keys printing ``try N`` before and ``ok N`` after each enqueue returns, then
  flushes until nothing is queued and prints ``done``.
- ``spool DIR URL N``: checks that the directory is owned (opening it is refused), then spools N
  triggers to it and prints their dedup_keys.
- ``race DIR URL ROUNDS``: each round, threads enqueue, flush and read stats on one outbox while
  another closes it (twice at once); every call must end with a result, CancelledError or
  InvalidInputError("already closed"). Exits 1 with the odd outcomes.
"""

import sys
import threading
import time
from typing import Any, Dict, List

import pagerduty_ffi as pd

FAST: Dict[str, Any] = {"retry": {"base_delay": 0.002, "max_delay": 0.02}, "rate_limit": 0}


def extra_key(i: int) -> str:
    return f"pdmockextraintegration{i:010d}"


def crash(d: str, url: str, first: int, end: int) -> None:
    while True:
        try:
            outbox = pd.Outbox(d, url, **FAST)
            break
        except pd.InvalidInputError as e:
            print(f"open failed: {e}", flush=True)
            time.sleep(0.02)
    print("opened", flush=True)
    outbox.start()
    for seq in range(first, end):
        print(f"try {seq}", flush=True)
        outbox.trigger(extra_key(seq % 16), f"crash test {seq}", "outbox-test", "warning", custom_details={"seq": seq})
        print(f"ok {seq}", flush=True)
    while outbox.flush(1.0)["queued"] > 0:
        pass
    print("done", flush=True)
    outbox.close()


def spool(d: str, url: str, n: int) -> None:
    try:
        pd.Outbox(d, url)
    except pd.InvalidInputError as e:
        assert "owned by another process" in str(e), e
    else:
        raise AssertionError("a second owner was let in")
    for i in range(n):
        key = pd.spool(
            d,
            "pdmockintegrationkey000000000002",
            {"action": "trigger", "event": {"summary": f"spooled from Python {i}", "source": "py", "severity": "info"}},
            region=url,
        )
        print(key, flush=True)


def race(d: str, url: str, rounds: int) -> None:
    odd: List[str] = []
    outcomes: Dict[str, int] = {}
    lock = threading.Lock()

    def note(what: str) -> None:
        with lock:
            outcomes[what] = outcomes.get(what, 0) + 1

    for r in range(rounds):
        outbox = pd.Outbox(d, url, **FAST)
        if r % 2:
            outbox.start()
        start = threading.Barrier(7)

        def worker(kind: int) -> None:
            start.wait()
            while True:
                try:
                    if kind == 0:
                        outbox.flush(30.0)
                    elif kind == 1:
                        outbox.trigger("pdmockintegrationkey000000000001", "race", "py", "info")
                    else:
                        outbox.stats()
                        outbox.dead_letters()
                    note("result")
                except pd.CancelledError:
                    note("cancelled")
                    return
                except pd.InvalidInputError as e:
                    if "already closed" in str(e):
                        note("already closed")
                    else:
                        with lock:
                            odd.append(repr(e))
                    return
                except Exception as e:  # anything else is a bug
                    with lock:
                        odd.append(repr(e))
                    return

        threads = [threading.Thread(target=worker, args=(k % 3,)) for k in range(6)]
        for t in threads:
            t.start()
        start.wait()
        time.sleep(0.01 + 0.004 * (r % 10))
        closers = [threading.Thread(target=outbox.close) for _ in range(2)]
        for t in closers:
            t.start()
        for t in closers + threads:
            t.join(30)
            if t.is_alive():
                odd.append("a thread did not end")
    print(outcomes, flush=True)
    if odd:
        print("\n".join(odd), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    mode, d, url = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "crash":
        crash(d, url, int(sys.argv[4]), int(sys.argv[5]))
    elif mode == "spool":
        spool(d, url, int(sys.argv[4]))
    elif mode == "race":
        race(d, url, int(sys.argv[4]))
    else:
        sys.exit(f"unknown mode {mode}")
