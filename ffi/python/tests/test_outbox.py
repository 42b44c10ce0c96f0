"""pagerduty_ffi.Outbox against the simulator: every verb, the journal's mode, the lock, spooling
from a second process, dead letters, close() racing other threads, and the crash test (a child
process SIGKILLed at random points at least 20 times and restarted, under 20% 5xx, 10% 429, 5%
lost answers and a full outage in the middle: every seq whose enqueue returned has exactly one
alert, no seq two).

PD_OUTBOX_CRASH=N: events in the crash test (default 800). PD_SOAK=1: 10,000 events and a 60 s
outage. PD_SEED: the kill schedule's seed (printed).
"""

import os
import queue
import random
import stat
import subprocess
import sys
import threading
import time
from typing import Dict, Iterator, List, Optional

import pytest

import pagerduty_ffi as pd

from conftest import ROUTING, Mock, start_mock

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "outbox_child.py")
ROUTING_2 = "pdmockintegrationkey000000000002"
UNKNOWN_KEY = "R0123456789ABCDEF0123456789ABCDE"  # well-formed; no integration has it: a 400
FAST = {"retry": {"base_delay": 0.002, "max_delay": 0.02}, "rate_limit": 0}
FAULTS = {"route": "/v2/enqueue", "server_error": 0.2, "rate_limit": 0.1, "drop_after": 0.05}
OUTAGE = {"route": "/v2/enqueue", "server_error": 1.0}


@pytest.fixture(scope="module")
def omock() -> Iterator[Mock]:
    """A simulator of this module's own (its faults and alerts are the outbox tests')."""
    m = start_mock()
    yield m
    m.stop()


@pytest.fixture
def sim(omock: Mock) -> Mock:
    omock.faults()
    omock.call("POST", "/_mock/reset", b"{}")
    return omock


def seqs(alerts: List[dict]) -> Dict[int, int]:
    out: Dict[int, int] = {}
    for a in alerts:
        seq = a["body"].get("custom_details", {}).get("seq")
        if isinstance(seq, int):
            out[seq] = out.get(seq, 0) + 1
    return out


def test_every_verb_then_flush(sim: Mock, tmp_path) -> None:
    with pd.Outbox(tmp_path / "ob", sim.url, **FAST) as o:
        q = o.trigger(ROUTING, "py verbs", "py", "error", dedup_key="py-verbs-1", class_="disk")
        assert q == {"id": q["id"], "dedup_key": "py-verbs-1"}
        generated = o.trigger(ROUTING, "py generated", "py", "info")
        assert generated["id"] == q["id"] + 1 and generated["dedup_key"]
        o.acknowledge(ROUTING, "py-verbs-1")
        o.resolve(ROUTING, "py-verbs-1")
        assert o.change(ROUTING_2, "deployed", source="py")["dedup_key"] is None
        assert o.v1(ROUTING_2, "trigger", description="v1 from Python", incident_key="py-v1")["dedup_key"] == "py-v1"
        o.enqueue(ROUTING_2, {"action": "v1_resolve", "event": {"incident_key": "py-v1"}})
        stats = o.stats()
        assert stats["queued"] == 7 and stats["delivered"] == 0
        assert all(ROUTING not in str(k) and ROUTING_2 not in str(k) for k in stats["keys"])
        stats = o.flush(30)
        assert (stats["queued"], stats["delivered"], stats["dead"]) == (0, 7, 0)
        assert o.dir == str(tmp_path / "ob")
    alerts = {a["alert_key"]: a for a in sim.alerts()}
    assert alerts["py-verbs-1"]["status"] == "resolved"
    assert alerts["py-v1"]["status"] == "resolved"
    # Closed by the with block: the directory is free again, nothing left to send.
    with pd.Outbox(tmp_path / "ob", sim.url) as o:
        assert o.stats()["queued"] == 0
    with pytest.raises(pd.InvalidInputError, match="already closed"):
        o.stats()


def test_the_journal_is_private_and_a_second_open_is_refused(sim: Mock, tmp_path) -> None:
    d = tmp_path / "ob"
    with pd.Outbox(d, sim.url, **FAST) as o:
        o.trigger(ROUTING, "private", "py", "info")
        assert stat.S_IMODE(os.stat(d / "journal").st_mode) == 0o600
        assert stat.S_IMODE(os.stat(d).st_mode) == 0o700
        with pytest.raises(pd.InvalidInputError, match="owned by another process") as e:
            pd.Outbox(d, sim.url)
        assert e.value.field == "dir"
        # The journal holds the key; nothing the outbox reports does.
        assert ROUTING.encode() in (d / "journal").read_bytes()
        assert ROUTING not in repr(o.stats())


def test_bad_inputs_are_typed_errors(sim: Mock, tmp_path) -> None:
    with pytest.raises(pd.InvalidInputError, match="outbox.rate_limt"):
        pd.Outbox(tmp_path / "a", sim.url, options={"outbox": {"rate_limt": 1}})
    with pytest.raises(pd.InvalidInputError, match="NUL"):
        pd.Outbox("bad\x00dir", sim.url)
    with pytest.raises(pd.InvalidInputError):
        pd.Outbox(tmp_path / "a", sim.url, fsync="yes")  # type: ignore[arg-type]
    with pd.Outbox(tmp_path / "b", options={"region": sim.url, "outbox": {"rate_limit": 0}}) as o:
        assert o.stats()["rate_limit"] == 0
        with pytest.raises(pd.WrongKeyKindError):
            o.trigger("pdmock_full_access_1", "s", "py", "info")
        with pytest.raises(pd.InvalidInputError, match="v1_resolve"):
            o.enqueue(ROUTING, {"action": "explode"})
        with pytest.raises(pd.InvalidInputError, match="dedup_key"):
            o.enqueue(ROUTING, {"action": "resolve"})
        with pytest.raises(pd.InvalidInputError):
            o.enqueue(ROUTING, [1, 2])  # type: ignore[arg-type]
        with pytest.raises(pd.InvalidInputError):
            o.trigger(ROUTING, "s", "py", "loud")  # type: ignore[arg-type]
        with pytest.raises(pd.InvalidInputError, match="timeout"):
            o.flush(-1)
        with pytest.raises(pd.InvalidInputError):
            o.retry_dead(["x"])  # type: ignore[list-item]
        assert o.stats()["queued"] == 0
    # Keywords over the options object; rate_window in seconds.
    with pd.Outbox(tmp_path / "c", sim.url, options={"outbox": {"rate_limit": 5}}, rate_window=2) as o:
        assert (o.stats()["rate_limit"], o.stats()["rate_window_ms"]) == (5, 2000)


def test_spool_from_a_second_process_while_the_owner_runs(sim: Mock, tmp_path) -> None:
    d = tmp_path / "ob"
    with pd.Outbox(d, sim.url, **FAST) as o:
        o.start()
        o.start()  # idempotent
        out = subprocess.run([sys.executable, CHILD, "spool", str(d), sim.url, "5"], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        keys = out.stdout.split()
        assert len(keys) == 5
        deadline = time.monotonic() + 20
        while o.stats()["delivered"] < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert o.stats()["delivered"] == 5
        assert pd.inspect_outbox(d)["spooled"] == 0
    assert set(keys) <= {a["alert_key"] for a in sim.alerts()}
    # Spooled while nobody owns it: the next opener takes it in.
    assert pd.spool(d, ROUTING, {"action": "change", "event": {"summary": "later"}}, region=sim.url) is None
    assert pd.inspect_outbox(d)["spooled"] == 1
    with pd.Outbox(d, sim.url, **FAST) as o:
        assert o.flush(30)["delivered"] == 6


def test_dead_letters_with_reasons_and_no_key(sim: Mock, tmp_path) -> None:
    with pd.Outbox(tmp_path / "ob", sim.url, **FAST) as o:
        o.trigger(UNKNOWN_KEY, "nobody listens", "py", "info")
        o.trigger(ROUTING, "fine", "py", "info")
        stats = o.flush(30)
        assert (stats["queued"], stats["delivered"], stats["dead"]) == (0, 1, 1)
        dead = o.dead_letters()
        assert len(dead) == 1
        d = dead[0]
        assert (d["code"], d["status"], d["kind"]) == ("invalid_event", 400, "v2")
        assert d["errors"] and d["reason"]
        assert d["event"]["payload"]["summary"] == "nobody listens"
        assert UNKNOWN_KEY not in repr(dead) and UNKNOWN_KEY not in repr(pd.inspect_outbox(tmp_path / "ob"))
        assert o.retry_dead([d["id"] + 1000]) == 0
        assert o.retry_dead([d["id"]]) == 1
        assert o.stats()["queued"] == 1
        assert o.flush(30)["dead"] == 1
        assert o.retry_dead() == 1
        assert o.flush(30)["dead"] == 1


def test_a_flush_that_times_out_keeps_the_event_and_close_ends_a_flush_in_another_thread(sim: Mock, tmp_path) -> None:
    sim.faults(OUTAGE)
    d = tmp_path / "ob"
    for with_sender in (False, True):
        o = pd.Outbox(d, sim.url, **FAST)
        if not with_sender:
            o.trigger(ROUTING, "later", "py", "info")
            stats = o.flush(0.3)
            assert stats["queued"] == 1
            assert "50" in (stats["keys"][0]["last_error"] or "")
        else:
            o.start()
        result: List[object] = []
        t = threading.Thread(target=lambda: result.append(_flush(o)))
        t.start()
        time.sleep(0.3)
        started = time.monotonic()
        o.close()
        t.join(10)
        assert not t.is_alive()
        assert time.monotonic() - started < 5
        assert isinstance(result[0], pd.CancelledError), result
        with pytest.raises(pd.InvalidInputError, match="already closed"):
            o.trigger(ROUTING, "x", "py", "info")
        o.close()  # idempotent
    sim.faults()
    with pd.Outbox(d, sim.url, **FAST) as o:
        stats = o.flush(30)
        assert (stats["queued"], stats["delivered"]) == (0, 1)


def _flush(o: pd.Outbox) -> object:
    try:
        return o.flush(60)
    except pd.PagerDutyError as e:
        return e


def test_close_racing_calls_from_other_threads_never_crashes(sim: Mock, tmp_path) -> None:
    sim.faults({"route": "/v2/enqueue", "server_error": 0.5})
    out = subprocess.run(
        [sys.executable, CHILD, "race", str(tmp_path / "ob"), sim.url, "30"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "cancelled" in out.stdout or "already closed" in out.stdout


class Child:
    """One run of the crash child: its lines read on a thread into a queue."""

    def __init__(self, d: str, url: str, first: int, total: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, CHILD, "crash", d, url, str(first), str(total)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.lines: "queue.Queue[Optional[str]]" = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def next_line(self, deadline: float) -> Optional[str]:
        """The next line, "" at the deadline, None at the end."""
        try:
            return self.lines.get(timeout=max(deadline - time.monotonic(), 0.0))
        except queue.Empty:
            return ""


def test_crash_every_returned_enqueue_opens_exactly_one_alert(omock: Mock, tmp_path) -> None:
    sim = omock
    sim.call("POST", "/_mock/reset", b"{}")
    soak = bool(os.environ.get("PD_SOAK"))
    total = 10_000 if soak else int(os.environ.get("PD_OUTBOX_CRASH") or 800)
    outage = 60.0 if soak else 4.0
    seed = int(os.environ.get("PD_SEED") or random.randrange(1 << 32))
    rng = random.Random(seed)
    print(f"crash test: {total} events, seed {seed}")
    sim.faults(FAULTS)
    d = str(tmp_path / "ob")

    def outage_thread() -> None:
        time.sleep(2)
        sim.faults(OUTAGE)
        time.sleep(outage)
        sim.faults(FAULTS)

    ot = threading.Thread(target=outage_thread)
    ot.start()
    started = time.monotonic()
    tried: List[int] = []
    returned: List[int] = []
    kills, nxt, done = 0, 0, False
    try:
        while not done:
            child = Child(d, sim.url, nxt, total)
            killing = kills < 20
            # Killed at a random point after it opened: while it enqueues, while it sends, or
            # between a send and its record. Half the kills (while seqs are left) come as it
            # enqueues a random seq, so that enqueues are cut short in many runs, not only the
            # first.
            left = total - nxt
            kill_at_try = nxt + rng.randrange(left // 4 + 1) if killing and left > 0 and rng.random() < 0.5 else None
            deadline = time.monotonic() + 300
            while True:
                line = child.next_line(deadline)
                if line is None or line == "":
                    break
                if line == "opened" and killing:
                    deadline = time.monotonic() + 0.02 + rng.random() * 0.6
                elif line.startswith("try "):
                    tried.append(int(line[4:]))
                    if kill_at_try is not None and tried[-1] >= kill_at_try:
                        break
                elif line.startswith("ok "):
                    returned.append(int(line[3:]))
                elif line == "done":
                    done = True
                    break
            if not done:
                child.proc.kill()  # SIGKILL
                kills += 1
            child.proc.wait(30)
            child.reader.join(10)
            while True:
                try:
                    line = child.lines.get_nowait()
                except queue.Empty:
                    break
                if line and line.startswith("try "):
                    tried.append(int(line[4:]))
                elif line and line.startswith("ok "):
                    returned.append(int(line[3:]))
            if tried:
                nxt = tried[-1] + 1
            if not done and not killing:
                pytest.fail(f"the child ended without `done` (exit {child.proc.returncode})")
            assert time.monotonic() - started < (3600 if soak else 240)
    finally:
        ot.join()
        sim.faults()
    by_seq = seqs(sim.alerts())
    assert kills >= 20
    wrong = {s: by_seq.get(s, 0) for s in returned if by_seq.get(s, 0) != 1}
    assert not wrong, f"returned enqueues without exactly one alert: {dict(list(wrong.items())[:10])}"
    twice = {s: n for s, n in by_seq.items() if n > 1}
    assert not twice, f"seqs with more than one alert: {dict(list(twice.items())[:10])}"
    assert len(returned) >= total - 30, len(returned)
    seen = pd.inspect_outbox(d)
    assert (seen["stats"]["queued"], seen["stats"]["dead"], seen["dead_letters"], seen["spooled"]) == (0, 0, [], 0)
    print(
        f"crash test: {len(returned)} enqueues returned, {len(by_seq)} alerts, {kills} kills, "
        f"{time.monotonic() - started:.1f} s, faults {sim.counters().get('faults')}"
    )
