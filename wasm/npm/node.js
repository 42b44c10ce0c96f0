// Node 18+ entry: instantiates the module synchronously at import, and uses node:http with
// keep-alive agents as the default transport (pass `fetch` in the options for another, e.g.
// `globalThis.fetch`).
import { readFileSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { initSync, setErrorFactory, version } from './pagerduty_wasm.js';
import { makeError } from './errors.js';
import { platform } from './platform.js';
import { nodeTransport } from './node-http.js';

// Random bytes for generated dedup_keys, drawn from the OS 4 KB at a time (a getRandomValues
// call per event measured ~12 us here, most of it per-call overhead).
const pool = new Uint8Array(4096);
let used = pool.length;
function random16() {
  if (used + 16 > pool.length) { randomFillSync(pool); used = 0; }
  const out = pool.slice(used, used + 16);
  pool.fill(0, used, used + 16);
  used += 16;
  return out;
}

initSync({ module: readFileSync(new URL('./pagerduty_wasm_bg.wasm', import.meta.url)) });
setErrorFactory(makeError);
Object.assign(platform, {
  transport: nodeTransport,
  random16,
  readFile: (path) => readFileSync(path, 'utf8'),
  userAgent: `pagerduty-wasm/${version()} node/${process.versions.node}`,
  browser: false,
});

export * from './client.js';
