// A module Worker that sets its handler first and imports the package on the first message
// (by onmessage, or with ?listener by addEventListener): the messages that arrive while it
// loads reach the handler as usual, each once.
import { exercise } from './exercise.mjs';

const seen = [];
let loading;
async function handle(e) {
  seen.push(e.data.n);
  loading ??= import(e.data.pkg);
  const pd = await loading;
  if (!e.data.last) return;
  try {
    self.postMessage({ ...(await exercise(pd, e.data.sim, e.data.label)), seen });
  } catch (err) {
    self.postMessage({ error: String((err && err.stack) || err) });
  }
}
if (new URL(import.meta.url).searchParams.has('listener')) self.addEventListener('message', handle);
else self.onmessage = handle;
