// The naive worker code as a Vite app writes it (Vite bundles worker.mjs, and the package in it,
// because of `new URL(..., import.meta.url)`), posting as worker-page.html does: ten messages at
// once, thirty more every 2 ms; the answer to the last must list 1..40 exactly, in order.
const params = new URLSearchParams(location.search);
const worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
const COUNT = 40;
const message = (n) => ({ n, last: n === COUNT, sim: params.get('sim'), label: params.get('label') });
let n = 0;
while (n < 10) worker.postMessage(message(++n));
const more = () => { worker.postMessage(message(++n)); if (n < COUNT) setTimeout(more, 2); };
setTimeout(more, 2);
const done = (r) => { if (!document.body.dataset.result) document.body.dataset.result = JSON.stringify(r); };
worker.onmessage = (e) => done(e.data);
worker.onerror = (e) => done({ error: `worker failed: ${e.message || 'unknown error'}` });
setTimeout(() => done({ error: 'no answer from the worker in 15 s: a message was lost' }), 15000);
