import * as glue from '/work/main/target/npm/pagerduty-wasm/pagerduty_wasm.js';
import 'pagerduty-wasm';
import { webcrypto } from 'node:crypto';
const ev = new glue.EventsClient('pdmockintegrationkey000000000001', { base_url: 'http://127.0.0.1:9' });
const body = new TextEncoder().encode('{"status":"success","message":"Event processed","dedup_key":"0d716ea1-2251-4ed4-8521-57067dab8244"}');
const N = 20000;
const parts = { build: 0, start: 0, resp: 0 };
for (let round = 0; round < 2; round++) {
  parts.build = parts.start = parts.resp = 0;
  for (let i = 0; i < N; i++) {
    let t = performance.now();
    const ex = ev.trigger({ summary: `bench event ${i}`, source: 'bench', severity: 'info' }, webcrypto.getRandomValues(new Uint8Array(16)));
    let t2 = performance.now(); parts.build += t2 - t; t = t2;
    const step = JSON.parse(ex.start(performance.now()));
    t2 = performance.now(); parts.start += t2 - t; t = t2;
    const done = JSON.parse(ex.response(202, 'content-type\napplication/json\nx-request-id\nabc\n', body, performance.now(), Math.random()));
    ex.free();
    t2 = performance.now(); parts.resp += t2 - t;
  }
}
for (const [k, v] of Object.entries(parts)) console.log(k, (v / N * 1000).toFixed(1), 'us');
