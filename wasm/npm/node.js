// Node 18+ entry (also Deno's and Bun's, which read the `node` condition): instantiates the
// module synchronously at import, and uses node:http with keep-alive agents as the default
// transport (pass `fetch` in the options for another, e.g. `globalThis.fetch`). node.cjs, the
// `require` entry, is this file built as CommonJS by esbuild (scripts/build-npm.sh).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as nodeBuffer from 'node:buffer';
import { initSync, setErrorFactory, version } from './pagerduty_wasm.js';
import { makeError } from './errors.js';
import { platform } from './platform.js';
import { nodeTransport } from './node-http.js';

// node:crypto (for events) and node:zlib (for a bundle's inline module) are loaded when first
// needed, not at import: a script that only reads the REST API never pays for them (issue 17:
// start-up time and peak RSS). Built-in modules only, so any base will do (see node-http.js).
const builtin = createRequire(typeof import.meta.url === 'string' ? import.meta.url : process.execPath);

// Random bytes for generated dedup_keys, drawn from the OS 4 KB at a time (a getRandomValues
// call per event measured ~12 us here, most of it per-call overhead).
const pool = new Uint8Array(4096);
let used = pool.length;
let randomFillSync;
function random16() {
  if (used + 16 > pool.length) {
    randomFillSync ??= builtin('node:crypto').randomFillSync;
    randomFillSync(pool);
    used = 0;
  }
  const out = pool.slice(used, used + 16);
  pool.fill(0, used, used + 16);
  used += 16;
  return out;
}

/**
 * The module's bytes: the .wasm beside this file (the package as installed). A bundle of an
 * application for Node (esbuild, webpack: `import.meta.url` is then empty or the bundle's, and
 * no .wasm was copied there) carries them instead: the bundler took in wasm-inline.cjs (the
 * .wasm gzipped, in base64) through the `require` below, which plain Node never reaches.
 */
function wasmBytes() {
  const base = import.meta.url;
  if (typeof base === 'string' && base.startsWith('file:')) {
    try {
      return readFileSync(new URL('./pagerduty_wasm_bg.wasm', base));
    } catch (e) {
      if (!e || e.code !== 'ENOENT') throw e;
    }
  }
  let gzBase64;
  try {
    gzBase64 = require('./wasm-inline.cjs'); // eslint-disable-line no-undef
  } catch (e) {
    throw new Error(`pagerduty-wasm: pagerduty_wasm_bg.wasm is not beside ${base || 'this module'} and no bundler brought wasm-inline.cjs in`, { cause: e });
  }
  return builtin('node:zlib').gunzipSync(Buffer.from(gzBase64, 'base64'));
}

initSync({ module: wasmBytes() });
setErrorFactory(makeError);
Object.assign(platform, {
  transport: nodeTransport,
  random16,
  readFile: (path) => readFileSync(path, 'utf8'),
  // Node 18.14+ (simdutf: microseconds for a page); older ones use TextDecoder's check.
  isUtf8: nodeBuffer.isUtf8,
  userAgent: `pagerduty-wasm/${version()} node/${process.versions.node}`,
  browser: false,
});

export * from './client.js';
