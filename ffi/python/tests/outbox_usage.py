"""Typed use of pagerduty_ffi.Outbox, checked by mypy --strict (never run): the verbs, the
TypedDicts they return, and spool / inspect_outbox."""

from pathlib import Path
from typing import List, Optional

import pagerduty_ffi as pd


def use(url: str, key: str) -> None:
    with pd.Outbox(Path("/tmp/pd-outbox-usage"), url, rate_limit=0, retry={"base_delay": 0.002}) as o:
        q: pd.Queued = o.trigger(key, "Disk full", "db-1", "critical", custom_details={"free": 0})
        ident: int = q["id"]
        dedup: Optional[str] = q["dedup_key"]
        o.acknowledge(key, dedup or "")
        o.resolve(key, dedup or "")
        o.change(key, "deployed", source="ci")
        o.v1(key, "trigger", description="legacy")
        o.enqueue(key, {"action": "resolve", "dedup_key": "k"})
        o.start()
        stats: pd.OutboxStats = o.flush(30)
        queued: int = stats["queued"]
        keys: List[pd.OutboxKeyStats] = o.stats()["keys"]
        last: Optional[str] = keys[0]["last_error"] if keys else None
        dead: List[pd.DeadLetter] = o.dead_letters()
        reasons = [(d["code"], d["reason"], d["status"], d["errors"]) for d in dead]
        again: int = o.retry_dead([d["id"] for d in dead]) + o.retry_dead()
        print(ident, queued, last, reasons, again, o.dir)
    spooled: Optional[str] = pd.spool("/tmp/pd-outbox-usage", key, {"action": "trigger", "event": {}}, region=url)
    seen: pd.OutboxInspection = pd.inspect_outbox("/tmp/pd-outbox-usage")
    print(spooled, seen["spooled"], seen["stats"]["dead"], seen["dead_letters"])
