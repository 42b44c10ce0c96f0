"""pagerduty_ffi vs the official Python client (pagerduty 7.x) vs a raw http.client loop, against
the simulator over loopback HTTP. Each measurement runs in its own process (for peak RSS); figures
are medians of several runs. Prints figures; asserts nothing.

    scripts/bench-ffi.sh [RUNS]
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time

ROUTING = "pdmockintegrationkey000000000001"
TOKEN = "pdmock_full_access_1"
EVENTS = 2000


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def page_ffi(url):
    import pagerduty_ffi as pd

    with pd.RestClient(TOKEN, region=url) as c:
        t = time.perf_counter()
        n = sum(1 for _ in c.iter_all("/incidents", {"limit": 100}))
        return n, time.perf_counter() - t


def page_official(url):
    import pagerduty

    c = pagerduty.RestApiV2Client(TOKEN)
    c._url = url  # the client refuses http:// base URLs; the simulator is plain HTTP on loopback
    t = time.perf_counter()
    n = sum(1 for _ in c.iter_all("incidents", params={"limit": 100}))
    return n, time.perf_counter() - t


def page_raw(url):
    import http.client
    from urllib.parse import urlparse

    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port)
    headers = {"Authorization": f"Token token={TOKEN}", "Accept": "application/vnd.pagerduty+json;version=2"}
    t = time.perf_counter()
    n, offset, more = 0, 0, True
    while more:
        conn.request("GET", f"/incidents?limit=100&offset={offset}", headers=headers)
        page = json.loads(conn.getresponse().read())
        n += len(page["incidents"])
        offset += len(page["incidents"])
        more = page["more"] and offset < 10000
    return n, time.perf_counter() - t


def events_ffi(url):
    import pagerduty_ffi as pd

    with pd.EventsClient(ROUTING, region=url) as ev:
        t = time.perf_counter()
        for i in range(EVENTS):
            ev.trigger(f"bench {i}", source="bench", severity="info")
        return EVENTS, time.perf_counter() - t


def events_official(url):
    import pagerduty

    ev = pagerduty.EventsApiV2Client(ROUTING)
    ev._url = url
    t = time.perf_counter()
    for i in range(EVENTS):
        ev.trigger(f"bench {i}", "bench", severity="info")
    return EVENTS, time.perf_counter() - t


WORK = {f.__name__: f for f in (page_ffi, page_official, page_raw, events_ffi, events_official)}


def child(name, url):
    n, secs = WORK[name](url)
    print(json.dumps({"n": n, "secs": secs, "rss_mb": rss_mb()}))


def run(name, url, python):
    out = subprocess.run([python, __file__, "--child", name, url], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    url, runs, python_official = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    results = {}
    for name in WORK:
        py = python_official if name.endswith("official") else sys.executable
        rs = [run(name, url, py) for _ in range(runs)]
        results[name] = {
            "n": rs[0]["n"],
            "secs": statistics.median(r["secs"] for r in rs),
            "rss_mb": statistics.median(r["rss_mb"] for r in rs),
        }
    print(f"{'':28}{'median':>10}{'rate':>16}{'peak RSS':>12}")
    for name, r in results.items():
        rate = f"{r['n'] / r['secs']:,.0f} {'events' if name.startswith('events') else 'items'}/s"
        print(f"{name:28}{r['secs']:>9.3f}s{rate:>16}{r['rss_mb']:>9.1f} MB")
    p, po, pr = results["page_ffi"]["secs"], results["page_official"]["secs"], results["page_raw"]["secs"]
    e, eo = results["events_ffi"]["secs"], results["events_official"]["secs"]
    print(f"paging 10,000 incidents: pagerduty_ffi {p:.3f}s = {po / p:.2f}x faster than the official client, {p / pr:.2f}x the raw loop")
    print(f"2,000 triggers: pagerduty_ffi {EVENTS / e:,.0f}/s = {eo / e:.2f}x the official client ({EVENTS / eo:,.0f}/s)")


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
