// A module Worker importing the package statically, then setting onmessage: the page posts to
// it right after creating it, before the package has loaded.
import * as pd from '/node_modules/pagerduty-wasm/browser.js';
import { exercise } from './exercise.mjs';

const seen = [];
self.onmessage = async (e) => {
  seen.push(e.data.n);
  if (!e.data.last) return;
  try {
    self.postMessage({ ...(await exercise(pd, e.data.sim, e.data.label)), seen });
  } catch (err) {
    self.postMessage({ error: String((err && err.stack) || err) });
  }
};
