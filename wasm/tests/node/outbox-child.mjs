// The crash test's child (outbox-crash.test.mjs): opens the outbox in OBX_DIR, starts the
// background sender, queues triggers OBX_START..OBX_END-1 (each printed once `trigger` returned,
// i.e. once it is fsynced), then flushes. The parent SIGKILLs it at random points.
import { Outbox } from 'pagerduty-wasm/outbox';

const env = process.env;
const start = Number(env.OBX_START);
const end = Number(env.OBX_END);
const keys = Number(env.OBX_KEYS);
const out = (line) => process.stdout.write(`${line}\n`); // a pipe: synchronous on Linux
const box = Outbox.open(env.OBX_DIR, {
  baseUrl: env.OBX_URL, rateLimit: 0, timeoutMs: 2000, retry: { baseDelayMs: 20, maxDelayMs: 400 },
});
out(`opened ${JSON.stringify(box.recovered)}`);
box.start();
for (let seq = start; seq < end; seq++) {
  box.trigger(`pdmockextraintegration${String(seq % keys).padStart(10, '0')}`, {
    summary: `crash test ${seq}`, source: 'outbox-crash', severity: 'error',
    dedup_key: `crash-${seq}`, custom_details: { seq },
  });
  out(seq);
  // Let the sender run between enqueues, so kills land during sends too.
  if (seq % 4 === 0) await new Promise((r) => setImmediate(r));
}
const stats = await box.flush(Number(env.OBX_FLUSH_MS || 120000));
out(`flushed ${JSON.stringify(stats)}`);
await box.close();
