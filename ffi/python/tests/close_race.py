"""close() racing calls on the same client, events client or pager from other threads.

Run by test_boundary.py in a child process (so that a crash is a failed test, not a dead suite):
``python close_race.py MOCK_URL ROUNDS``. Each round starts 8 threads calling one shared object
in a loop while a ninth closes it (twice at once, for good measure). Every call must end with a
result, CancelledError or InvalidInputError("already closed"); every thread must end; the
process must not crash. Exits 1 with the odd outcomes otherwise."""

import json
import random
import sys
import threading
import time
import urllib.request
from collections import Counter
from typing import Any, Callable, List

import pagerduty_ffi as pd

URL = sys.argv[1]
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 50
FULL = "pdmock_full_access_1"
ROUTING = "pdmockintegrationkey000000000001"
THREADS = 8
# Faults make some calls sit in a retry wait when close() comes: the case cancellation is for.
RETRY = {"base_delay": 0.01, "max_delay": 0.05, "deadline": 20, "max_attempts": 100}


def mock(method: str, path: str, body: Any) -> None:
    req = urllib.request.Request(URL + path, data=json.dumps(body).encode(), method=method)
    urllib.request.urlopen(req, timeout=10).read()


def race(make: Callable[[], Any], call: Callable[[Any], Any], close: Callable[[Any], None], tally: Counter, odd: List[str]) -> None:
    target = make()
    lock = threading.Lock()
    start = threading.Barrier(THREADS + 1)

    def note(what: str) -> None:
        with lock:
            tally[what] += 1

    def worker() -> None:
        start.wait()
        while True:
            try:
                call(target)
                note("result")
            except StopIteration:
                note("end")
                return
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
            except BaseException as e:  # noqa: BLE001 - anything else is the finding
                with lock:
                    odd.append(repr(e))
                return

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(THREADS)]
    for t in threads:
        t.start()
    start.wait()
    time.sleep(random.uniform(0, 0.03))
    closers = [threading.Thread(target=close, args=(target,)) for _ in range(2)]
    for t in closers:
        t.start()
    for t in closers + threads:
        t.join(30)
        if t.is_alive():
            odd.append("a thread did not end within 30 s of close()")


def main() -> int:
    mock("PUT", "/_mock/faults", [{"route": "/priorities", "server_error": 0.3}, {"route": "/v2/enqueue", "server_error": 0.3},
                                  {"route": "/incidents", "server_error": 0.3}])
    tally: Counter = Counter()
    odd: List[str] = []

    def rest() -> pd.RestClient:
        return pd.RestClient(FULL, region=URL, retry=RETRY)

    def pager_of_new_client() -> pd.Pager:
        return rest().pager("/incidents", {"limit": 5})  # the pager alone keeps its client

    kinds = {
        "RestClient": (rest, lambda c: c.get("/priorities"), lambda c: c.close()),
        "EventsClient": (lambda: pd.EventsClient(ROUTING, region=URL, retry=RETRY),
                         lambda e: e.trigger("race", source="py", severity="info"), lambda e: e.close()),
        "Pager": (pager_of_new_client, next, lambda p: p.close()),
        "Pager's client": (pager_of_new_client, next, lambda p: p._client.close()),
        "RestClient and its pager": (
            lambda: rest().pager("/incidents", {"limit": 5}),
            lambda p: next(p) if random.random() < 0.5 else p._client.get("/priorities"),
            lambda p: p._client.close(),
        ),
    }
    t0 = time.monotonic()
    for _ in range(ROUNDS):
        for make, call, close in kinds.values():
            race(make, call, close, tally, odd)
    mock("PUT", "/_mock/faults", [])
    print(f"{ROUNDS} rounds of {', '.join(kinds)} in {time.monotonic() - t0:.1f} s: {dict(tally)}")
    if odd:
        print("odd outcomes:", *odd[:20], sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
