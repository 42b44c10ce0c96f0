// Browser, worker and bundler entry (plain ESM): fetches and instantiates the .wasm next to
// this file (bundlers such as Vite and webpack follow `new URL(..., import.meta.url)`), then
// uses globalThis.fetch, looked up at each request. Never sets a User-Agent. In a dedicated
// Worker, the messages that arrive while it loads are kept for the handlers the worker sets
// once it has (hold-messages.js).
import init, { setErrorFactory } from './pagerduty_wasm.js';
import { makeError } from './errors.js';
import { platform } from './platform.js';
import { holdWorkerMessages } from './hold-messages.js';

const release = holdWorkerMessages();
try {
  const url = new URL('./pagerduty_wasm_bg.wasm', import.meta.url);
  const res = await fetch(url);
  if (!res.ok) {
    // What a bundler that does not follow `new URL(..., import.meta.url)` leaves (esbuild,
    // Bun.build, Rollup without a plugin): the .wasm was not copied beside the bundle.
    throw new Error(`pagerduty-wasm: ${url} answered ${res.status}: copy node_modules/pagerduty-wasm/pagerduty_wasm_bg.wasm `
      + "beside the bundle, or import 'pagerduty-wasm/inline' (the module carried in the JavaScript)");
  }
  await init({ module_or_path: res });
} finally {
  release();
}
setErrorFactory(makeError);
Object.assign(platform, { browser: typeof globalThis.document !== 'undefined' || typeof globalThis.WorkerGlobalScope !== 'undefined' });

export * from './client.js';
