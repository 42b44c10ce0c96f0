// Cloudflare workerd / Workers entry (the `workerd` export condition, which wrangler sets):
// the .wasm is imported as a compiled WebAssembly.Module, which is how workerd loads wasm
// (a `wasm` module in a workerd config; wrangler's default `CompiledWasm` rule for *.wasm).
// Workers refuse to compile wasm from bytes at run time and have no file beside the code to
// fetch, so neither browser.js nor the inline entry can start there. Transport: the Workers
// runtime's fetch, looked up at each request.
import wasmModule from './pagerduty_wasm_bg.wasm';
import { initSync, setErrorFactory, version } from './pagerduty_wasm.js';
import { makeError } from './errors.js';
import { platform } from './platform.js';

initSync({ module: wasmModule });
setErrorFactory(makeError);
Object.assign(platform, { userAgent: `pagerduty-wasm/${version()} workerd`, browser: false });

export * from './client.js';
