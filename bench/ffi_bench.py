"""pagerduty_ffi vs the official Python client (pagerduty 7.x) vs a raw http.client loop, against
the simulator over loopback HTTP and HTTPS (its self-signed certificate trusted through each
client's own CA-file setting). Each measurement runs in its own process (for peak RSS); figures
are medians of several runs (min-max beside them). Prints figures; asserts nothing.

    scripts/bench-ffi.sh [RUNS]
"""

import json
import ssl
import os
import resource
import statistics
import subprocess
import sys
import threading
import time

ROUTING = "pdmockintegrationkey000000000001"
TOKEN = "pdmock_full_access_1"
EVENTS = 2000


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _ctx(cafile):
    return ssl.create_default_context(cafile=cafile)


def page_ffi(url, cafile):
    import pagerduty_ffi as pd

    with pd.RestClient(TOKEN, region=url, ca_file=cafile) as c:
        t = time.perf_counter()
        n = sum(1 for _ in c.iter_all("/incidents", {"limit": 100}))
        return n, time.perf_counter() - t


def page_official(url, cafile):
    import pagerduty

    c = pagerduty.RestApiV2Client(TOKEN, **({"verify": _ctx(cafile)} if cafile else {}))
    c._url = url  # the client refuses http:// base URLs; the simulator is plain HTTP on loopback
    t = time.perf_counter()
    n = sum(1 for _ in c.iter_all("incidents", params={"limit": 100}))
    return n, time.perf_counter() - t


def _raw_conn(url, cafile):
    import http.client
    from urllib.parse import urlparse

    u = urlparse(url)
    if u.scheme == "https":
        return http.client.HTTPSConnection(u.hostname, u.port, context=_ctx(cafile))
    return http.client.HTTPConnection(u.hostname, u.port)


def page_raw(url, cafile):
    conn = _raw_conn(url, cafile)
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


def events_ffi(url, cafile):
    import pagerduty_ffi as pd

    with pd.EventsClient(ROUTING, region=url, ca_file=cafile) as ev:
        t = time.perf_counter()
        for i in range(EVENTS):
            ev.trigger(f"bench {i}", source="bench", severity="info")
        return EVENTS, time.perf_counter() - t


def events_ffi_c16(url, cafile):
    """16 threads sharing one client, EVENTS in all."""
    import pagerduty_ffi as pd

    with pd.EventsClient(ROUTING, region=url, ca_file=cafile) as ev:

        def work(k):
            for i in range(k, EVENTS, 16):
                ev.trigger(f"bench {i}", source="bench", severity="info")

        threads = [threading.Thread(target=work, args=(k,)) for k in range(16)]
        t = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        return EVENTS, time.perf_counter() - t


def events_raw(url, cafile):
    """The floor: one kept-alive http.client connection, the same JSON body, the answer read and
    parsed."""
    conn = _raw_conn(url, cafile)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    t = time.perf_counter()
    for i in range(EVENTS):
        body = {
            "routing_key": ROUTING,
            "event_action": "trigger",
            "payload": {"summary": f"bench {i}", "source": "bench", "severity": "info"},
        }
        conn.request("POST", "/v2/enqueue", body=json.dumps(body), headers=headers)
        resp = conn.getresponse()
        answer = json.loads(resp.read())
        if resp.status != 202 or "dedup_key" not in answer:
            raise SystemExit(f"raw events: {resp.status} {answer}")
    return EVENTS, time.perf_counter() - t


def events_official(url, cafile):
    import pagerduty

    ev = pagerduty.EventsApiV2Client(ROUTING, **({"verify": _ctx(cafile)} if cafile else {}))
    ev._url = url
    t = time.perf_counter()
    for i in range(EVENTS):
        ev.trigger(f"bench {i}", "bench", severity="info")
    return EVENTS, time.perf_counter() - t


def first_ffi(url, cafile):
    """The first event of a fresh process, the client made beforehand: connection, TLS handshake
    and whatever the TLS library sets up once per process (part of every c1 figure above)."""
    import pagerduty_ffi as pd

    with pd.EventsClient(ROUTING, region=url, ca_file=cafile) as ev:
        t = time.perf_counter()
        ev.trigger("bench first", source="bench", severity="info")
        return 1, time.perf_counter() - t


def first_raw(url, cafile):
    conn = _raw_conn(url, cafile)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    body = {"routing_key": ROUTING, "event_action": "trigger", "payload": {"summary": "bench first", "source": "bench", "severity": "info"}}
    t = time.perf_counter()
    conn.request("POST", "/v2/enqueue", body=json.dumps(body), headers=headers)
    json.loads(conn.getresponse().read())
    return 1, time.perf_counter() - t


WORK = {f.__name__: f for f in (page_ffi, page_official, page_raw, events_ffi, events_official, events_raw, events_ffi_c16)}
FIRST = {f.__name__: f for f in (first_ffi, first_raw)}


def child(name, url, cafile):
    n, secs = {**WORK, **FIRST}[name](url, cafile or None)
    print(json.dumps({"n": n, "secs": secs, "rss_mb": rss_mb()}))


def run(name, url, cafile, python):
    out = subprocess.run([python, __file__, "--child", name, url, cafile], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def startup(python, code, runs):
    """A fresh interpreter running `code`: (wall ms, CPU ms) lists over `runs` processes. CPU
    time (user + system of the child) is what a loaded machine disturbs least."""
    wall, cpu = [], []
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([python, "-c", code], check=True)
        wall.append((time.perf_counter() - t) * 1000)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
    return wall, cpu


def main():
    url, runs, python_official = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    https_url, cafile = sys.argv[4], sys.argv[5]
    for scheme, u, ca in (("http", url, ""), ("https", https_url, cafile)):
        results = {}
        for name in WORK:
            py = python_official if name.endswith("official") else sys.executable
            rs = [run(name, u, ca, py) for _ in range(runs)]
            secs = [r["secs"] for r in rs]
            results[name] = {
                "n": rs[0]["n"],
                "secs": statistics.median(secs),
                "min": min(secs),
                "max": max(secs),
                "rss_mb": statistics.median(r["rss_mb"] for r in rs),
            }
        print(f"-- {scheme}")
        print(f"{'':28}{'median':>10}{'min-max':>16}{'rate':>17}{'peak RSS':>12}")
        for name, r in results.items():
            rate = f"{r['n'] / r['secs']:,.0f} {'events' if name.startswith('events') else 'items'}/s"
            span = f"{r['min']:.3f}-{r['max']:.3f}"
            print(f"{name:28}{r['secs']:>9.3f}s{span:>16}{rate:>17}{r['rss_mb']:>9.1f} MB")
        p, po, pr = results["page_ffi"]["secs"], results["page_official"]["secs"], results["page_raw"]["secs"]
        e, eo, er = results["events_ffi"]["secs"], results["events_official"]["secs"], results["events_raw"]["secs"]
        e16 = results["events_ffi_c16"]["secs"]
        print(
            f"{scheme} paging 10,000 incidents: pagerduty_ffi {p:.3f}s = {p / po:.2f}x the official client's time "
            f"({po / p:.2f}x faster), {p / pr:.2f}x the raw loop's"
        )
        print(
            f"{scheme} 2,000 triggers c1: pagerduty_ffi {EVENTS / e:,.0f}/s = {eo / e:.2f}x the official client "
            f"({EVENTS / eo:,.0f}/s), {er / e:.2f}x raw http.client ({EVENTS / er:,.0f}/s)"
        )
        print(f"{scheme} 2,000 triggers c16 (16 threads, one client): pagerduty_ffi {EVENTS / e16:,.0f}/s")
        first = {name: statistics.median(run(name, u, ca, sys.executable)["secs"] for _ in range(runs)) for name in FIRST}
        f, fr = first["first_ffi"] * 1000, first["first_raw"] * 1000
        print(
            f"{scheme} first trigger of a fresh process (client made before): pagerduty_ffi {f:.1f} ms, raw http.client "
            f"{fr:.1f} ms (in the c1 figures: {(f - fr) / EVENTS * 1000:+.1f} us per event for pagerduty_ffi)"
        )
    n = max(runs * 4, 21)
    clients = f"; pd.RestClient('{TOKEN}', region='{url}'); pd.EventsClient('{ROUTING}', region='{url}')"
    # The official client's venv is a clean interpreter (its site imports nothing more); the
    # system python3 here may preload modules in its site (typing, re, ...), hiding their cost.
    rows = [
        ("bare (clean venv python)", python_official, "pass"),
        ("import pagerduty_ffi", python_official, "import pagerduty_ffi"),
        ("import + RestClient + EventsClient", python_official, "import pagerduty_ffi as pd" + clients),
        ("import pagerduty (official)", python_official, "import pagerduty"),
        ("bare (system python3)", sys.executable, "pass"),
        ("import pagerduty_ffi (system python3)", sys.executable, "import pagerduty_ffi"),
    ]
    # Interleaved, so that a change in the machine's load touches every row alike.
    got = {label: ([], []) for label, _, _ in rows}
    for _ in range(n):
        for label, python, code in rows:
            w, c = startup(python, code, 1)
            got[label][0].extend(w)
            got[label][1].extend(c)
    print(f"-- start-up, median of {n} fresh processes each, interleaved: over the bare interpreter (min-max)")
    base = None
    for label, python, _ in rows:
        w, c = got[label]
        mw, mc = statistics.median(w), statistics.median(c)
        if label.startswith("bare"):
            base = (mw, mc)
            print(f"{label:40} wall {mw:6.1f} ms ({min(w):.1f}-{max(w):.1f})   CPU {mc:6.1f} ms")
        else:
            print(f"{label:40} wall +{mw - base[0]:5.1f} ms ({min(w):.1f}-{max(w):.1f} in all)   CPU +{mc - base[1]:5.1f} ms")

if __name__ == "__main__":
    if sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
