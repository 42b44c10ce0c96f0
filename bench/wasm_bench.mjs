// One measurement per process (so peak RSS is the mode's own): prints one JSON line.
//   node bench/wasm_bench.mjs <mode> <base-url> [extra-ca]
// modes: wasm-page, wasm-page-undici, pdjs-page, raw-page, wasm-events, wasm-events-undici,
//        pdjs-events, raw-events, import; an events mode with a -c16 suffix keeps 16 in flight
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';

const [modeArg, base] = process.argv.slice(2);
// `-c16`: the same 2,000 events, 16 at a time.
const c16 = modeArg.endsWith('-c16');
const mode = c16 ? modeArg.slice(0, -4) : modeArg;
const CONCURRENCY = c16 ? 16 : 1;
/** Runs send(i) for i in [0, EVENTS), CONCURRENCY at a time; resolves to the count. */
async function each(send) {
  let next = 0;
  let done = 0;
  const worker = async () => { while (next < EVENTS) { const i = next++; await send(i); done++; } };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done;
}
const require = createRequire(new URL('../wasm/tools/', import.meta.url));
const TOKEN = 'pdmock_full_access_1';
const ROUTING = 'pdmockintegrationkey000000000001';
const PAGES = 100; const EVENTS = 2000;
const event = (i) => ({ summary: `bench event ${i}`, source: 'bench', severity: 'info' });

async function main() {
  const t0 = performance.now();
  let n = 0;
  if (mode === 'import') {
    await import('pagerduty-wasm');
    return { seconds: (performance.now() - t0) / 1000 };
  }
  if (mode.startsWith('wasm')) {
    const pd = await import('pagerduty-wasm');
    const opts = { baseUrl: base, ...(mode.endsWith('undici') ? { fetch: globalThis.fetch } : {}) };
    const start = performance.now();
    if (mode.startsWith('wasm-page')) {
      const rest = new pd.RestClient(TOKEN, opts);
      for await (const page of rest.pages('/incidents', { limit: 100 })) n += page.length;
    } else {
      const ev = new pd.EventsClient(ROUTING, opts);
      n = await each((i) => ev.trigger(event(i)));
    }
    return { seconds: (performance.now() - start) / 1000, n };
  }
  if (mode === 'pdjs-page') {
    const { api } = require('@pagerduty/pdjs');
    const pd = api({ token: TOKEN });
    const start = performance.now();
    let r = await pd.get(`${base}/incidents`, { url: `${base}/incidents`, queryParameters: { limit: 100, offset: 0 } });
    for (;;) {
      n += r.data.incidents.length;
      if (!r.next) break;
      r = await r.next();
    }
    return { seconds: (performance.now() - start) / 1000, n };
  }
  if (mode === 'pdjs-events') {
    const { event: send } = require('@pagerduty/pdjs');
    const server = new URL(base).host;
    const start = performance.now();
    n = await each((i) => send({ server, data: { routing_key: ROUTING, event_action: 'trigger', payload: event(i) } }));
    return { seconds: (performance.now() - start) / 1000, n };
  }
  if (mode.startsWith('raw')) {
    const u = new URL(base);
    const mod = u.protocol === 'https:' ? https : http;
    const agent = new mod.Agent({ keepAlive: true });
    const call = (method, path, body) => new Promise((resolve, reject) => {
      const req = mod.request({ host: u.hostname, port: u.port, path, method, agent, headers: {
        authorization: `Token token=${TOKEN}`, accept: 'application/vnd.pagerduty+json;version=2', 'content-type': 'application/json',
        ...(body ? { 'content-length': Buffer.byteLength(body) } : {}),
      } }, (res) => { const c = []; res.on('data', (d) => c.push(d)); res.on('end', () => resolve(JSON.parse(Buffer.concat(c).toString()))); });
      req.on('error', reject); req.end(body);
    });
    const start = performance.now();
    if (mode === 'raw-page') {
      for (let offset = 0; ; offset += 100) {
        const page = await call('GET', `/incidents?limit=100&offset=${offset}`);
        n += page.incidents.length;
        if (!page.more) break;
      }
    } else {
      n = await each((i) => call('POST', '/v2/enqueue', JSON.stringify({ routing_key: ROUTING, event_action: 'trigger', payload: event(i) })));
    }
    return { seconds: (performance.now() - start) / 1000, n };
  }
  throw new Error(`unknown mode ${mode}`);
}

const out = await main();
out.maxRssMb = process.resourceUsage().maxRSS / 1024;
out.mode = modeArg;
void PAGES;
console.log(JSON.stringify(out));
