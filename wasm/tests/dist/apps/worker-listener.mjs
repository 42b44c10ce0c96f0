// As worker-native.mjs, with addEventListener (what Comlink's expose() does) instead of onmessage.
import * as pd from '/node_modules/pagerduty-wasm/browser.js';
import { exercise } from './exercise.mjs';

const seen = [];
self.addEventListener('message', async (e) => {
  seen.push(e.data.n);
  if (!e.data.last) return;
  try {
    self.postMessage({ ...(await exercise(pd, e.data.sim, e.data.label)), seen });
  } catch (err) {
    self.postMessage({ error: String((err && err.stack) || err) });
  }
});
