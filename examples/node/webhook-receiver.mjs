// A webhook v3 receiver with node:http: verifies the signature, skips re-deliveries
// (X-Webhook-Id, a bounded replay guard) and dispatches by event type, answering at once (well
// within PagerDuty's 5 seconds: slow work belongs on a queue, not in the handler).
//
//   PAGERDUTY_WEBHOOK_SECRET=... node webhook-receiver.mjs [port]
import { createServer } from 'node:http';
import { WebhookRouter, ReplayGuard, InvalidSignatureError } from 'pagerduty-wasm';

const router = new WebhookRouter({ secrets: process.env.PAGERDUTY_WEBHOOK_SECRET ?? 's3cret', guard: new ReplayGuard(10000) })
  .on('incident.triggered', (e) => console.log(`triggered ${e.data.id}: ${e.data.title}`))
  .on('incident.acknowledged', (e) => console.log(`acknowledged ${e.data.id}`))
  .onOther((e) => console.log(`other ${e.event_type}`));

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    let status;
    try {
      ({ status } = await router.handle(req.headers, new Uint8Array(Buffer.concat(chunks))));
    } catch (e) {
      status = e instanceof InvalidSignatureError ? 401 : 500; // a 5xx: PagerDuty delivers it again
    }
    res.writeHead(status).end();
  });
});
server.listen(Number(process.argv[2] ?? 8099), '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
