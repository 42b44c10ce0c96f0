"""A webhook v3 receiver with http.server: verifies the signature, skips re-deliveries
(X-Webhook-Id, a bounded replay guard) and dispatches by event type, answering at once (well
within PagerDuty's 5 seconds: slow work belongs on a queue, not in the handler).

    PAGERDUTY_WEBHOOK_SECRET=... python3 webhook_receiver.py [port]
"""

import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pagerduty_ffi as pd

router = pd.WebhookRouter(os.environ.get("PAGERDUTY_WEBHOOK_SECRET", "s3cret"), pd.ReplayGuard(10_000))


@router.on("incident.triggered")
def triggered(event):
    print(f"triggered {event['data']['id']}: {event['data'].get('title')}", flush=True)


@router.on("incident.acknowledged")
def acknowledged(event):
    print(f"acknowledged {event['data']['id']}", flush=True)


@router.on_other
def other(event):
    print(f"other {event['event_type']}", flush=True)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            status = router.handle(dict(self.headers.items()), body)
        except pd.InvalidSignatureError:
            status = 401
        except Exception as e:  # a handler failed: a 5xx makes PagerDuty deliver it again
            print(f"handler failed: {e}", file=sys.stderr, flush=True)
            status = 500
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 8099), Receiver)
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()
