// Browser, worker and bundler entry (plain ESM): fetches and instantiates the .wasm next to
// this file (bundlers such as Vite follow `new URL(..., import.meta.url)`), then uses
// globalThis.fetch, looked up at each request. Never sets a User-Agent.
import init, { setErrorFactory } from './pagerduty_wasm.js';
import { makeError } from './errors.js';
import { platform } from './platform.js';

await init({ module_or_path: new URL('./pagerduty_wasm_bg.wasm', import.meta.url) });
setErrorFactory(makeError);
Object.assign(platform, { browser: typeof globalThis.document !== 'undefined' || typeof globalThis.WorkerGlobalScope !== 'undefined' });

export * from './client.js';
