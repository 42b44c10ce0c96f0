"""pagerduty_ffi from Python: trigger an event, stream open incidents, verify a webhook.

    PAGERDUTY_FFI_LIB=target/release/libpagerduty.so PYTHONPATH=ffi/python python3 examples/python/example.py

Against the simulator when PAGERDUTY_BASE_URL is set (make demo does this); against PagerDuty
when PAGERDUTY_TOKEN and PAGERDUTY_ROUTING_KEY are set (PAGERDUTY_REGION, PAGERDUTY_FROM).
Keys come from the environment and are never printed.
"""

import hashlib
import hmac
import os

import pagerduty_ffi as pd


def env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def main() -> None:
    region = os.environ.get("PAGERDUTY_BASE_URL") or env("PAGERDUTY_REGION", "us")
    token = env("PAGERDUTY_TOKEN", "pdmock_full_access_1")
    routing_key = env("PAGERDUTY_ROUTING_KEY", "pdmockintegrationkey000000000001")
    print(f"pagerduty_ffi over libpagerduty {pd.version()}, region {region}")

    with pd.EventsClient(routing_key, region=region) as events, pd.RestClient(
        token, region=region, from_email=env("PAGERDUTY_FROM", "ada@example.com")
    ) as rest:
        key = events.trigger(
            "Disk /var at 96% on db-1 (pagerduty_ffi Python example)",
            source="db-1.prod",
            severity="critical",
            custom_details={"free_percent": 4},
        )
        print(f"triggered      dedup_key={key}")

        count = 0
        for page in rest.iter_pages("/incidents", {"statuses": ["triggered", "acknowledged"], "limit": 100}):
            count += len(page)
        print(f"open incidents {count}")

        events.resolve(key)
        print(f"resolved       dedup_key={key}")

        try:
            rest.get("/services/PNOPE")
        except pd.NotFoundError as e:
            print(f"typed error    {type(e).__name__} status={e.status} request_id={e.request_id}")

    secret = "whsec-example"
    body = b'{"event":{"id":"E1","event_type":"incident.triggered","resource_type":"incident","occurred_at":"2026-11-23T16:00:00Z","agent":null,"client":null,"data":{"id":"P1"}}}'
    signature = "v1=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    event = pd.verify_webhook([secret], signature, body)
    print(f"webhook        verified {event['event_type']} for {event['data']['id']}")
    try:
        pd.verify_webhook(["another-secret"], signature, body)
    except pd.InvalidSignatureError:
        print("webhook        with the wrong secret: InvalidSignatureError")


if __name__ == "__main__":
    main()
