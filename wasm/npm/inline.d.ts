// `pagerduty-wasm/inline`: the same API as the main entry (the wasm module carried in the JavaScript).
export * from './index.js';
