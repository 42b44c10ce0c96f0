// The outbox's figures in Node (issue 15): `node wasm/tests/node/outbox-bench.mjs [N]` after
// `make npm`. Enqueue latency (each call appends and fsyncs) on this machine's disk (the
// journal in $TMPDIR, or OBX_DIR's parent), then delivery to the simulator with pacing off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from 'pagerduty-wasm/outbox';
import { startSimulator } from './simulator.mjs';

const n = Number(process.argv[2] || 10_000);
const sim = await startSimulator(0);
const dir = mkdtempSync(join(process.env.OBX_DIR || tmpdir(), 'pd-outbox-bench-'));
const box = Outbox.open(dir, { baseUrl: sim.url, rateLimit: 0 });
const lat = new Float64Array(n);
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  const s = performance.now();
  box.trigger(`pdmockextraintegration${String(i % 16).padStart(10, '0')}`, { summary: `bench ${i}`, source: 'bench', severity: 'info', dedup_key: `bench-${i}`, custom_details: { seq: i } });
  lat[i] = performance.now() - s;
}
const enqueueMs = performance.now() - t0;
const journal = box.stats().journalBytes;
lat.sort();
const q = (p) => lat[Math.min(n - 1, Math.floor(p * n))].toFixed(3);
console.log(`enqueue (append + fsync): ${n} events, median ${q(0.5)} ms, p99 ${q(0.99)} ms, ${(n / (enqueueMs / 1000)).toFixed(0)}/s; journal ${journal} bytes (${(journal / n).toFixed(0)} per event)`);
const t1 = performance.now();
const s = await box.flush(600_000);
const deliverMs = performance.now() - t1;
console.log(`delivery (16 keys, 16 in flight, pacing off, an fsync per answer): ${s.delivered} in ${deliverMs.toFixed(0)} ms = ${(s.delivered / (deliverMs / 1000)).toFixed(0)}/s; journal after ${s.journalBytes} bytes`);
await box.close();
const t2 = performance.now();
const again = Outbox.open(dir, { baseUrl: sim.url });
console.log(`reopen: ${again.recovered.records} records in ${(performance.now() - t2).toFixed(1)} ms`);
await again.close();
sim.stop();
rmSync(dir, { recursive: true, force: true });
