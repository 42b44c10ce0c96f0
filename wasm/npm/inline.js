// `pagerduty-wasm/inline`: the same package with the wasm module carried in the JavaScript
// (wasm-inline.cjs: the .wasm gzipped, in base64), for bundlers that do not copy a `.wasm`
// referenced by `new URL(..., import.meta.url)` (esbuild, Bun.build, Rollup without a plugin)
// and for any place a file beside the code cannot be fetched. It makes the bundle a third
// larger than the gzipped .wasm (about the same once the bundle is served gzipped), costs some
// milliseconds at start (decode, gunzip, no streaming compile), and needs DecompressionStream
// (every current browser, Deno, Bun; Node 18+, where the main entry is the better choice:
// DecompressionStream is slow there). Not for Cloudflare Workers,
// which refuse to compile wasm from bytes: there the `workerd` condition picks workerd.js.
import init, { setErrorFactory } from './pagerduty_wasm.js';
import { makeError } from './errors.js';
import { platform } from './platform.js';
import { holdWorkerMessages } from './hold-messages.js';
import gzBase64 from './wasm-inline.cjs';

function fromBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const release = holdWorkerMessages();
try {
  const gz = new Blob([fromBase64(gzBase64)]).stream().pipeThrough(new DecompressionStream('gzip'));
  await init({ module_or_path: await new Response(gz).arrayBuffer() });
} finally {
  release();
}
setErrorFactory(makeError);
Object.assign(platform, { browser: typeof globalThis.document !== 'undefined' || typeof globalThis.WorkerGlobalScope !== 'undefined' });

export * from './client.js';
