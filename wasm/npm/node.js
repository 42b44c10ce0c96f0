// Node 18+ entry: instantiates the module synchronously at import, and uses node:http with
// keep-alive agents as the default transport (pass `fetch` in the options for another, e.g.
// `globalThis.fetch`).
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { initSync, setErrorFactory, version } from './pagerduty_wasm.js';
import { makeError } from './errors.js';
import { platform } from './platform.js';
import { nodeTransport } from './node-http.js';

initSync({ module: readFileSync(new URL('./pagerduty_wasm_bg.wasm', import.meta.url)) });
setErrorFactory(makeError);
Object.assign(platform, {
  transport: nodeTransport,
  random16: () => webcrypto.getRandomValues(new Uint8Array(16)),
  userAgent: `pagerduty-wasm/${version()} node/${process.versions.node}`,
  browser: false,
});

export * from './client.js';
