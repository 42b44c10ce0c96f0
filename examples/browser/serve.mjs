// Serves examples/browser with the built package at /pkg/ and a /config.json saying where to
// go: PAGERDUTY_BASE_URL (the simulator; make demo sets it) or PagerDuty with PAGERDUTY_TOKEN
// (PAGERDUTY_REGION, PAGERDUTY_FROM). Loopback only: the page is handed the key.
//
//   node examples/browser/serve.mjs [port]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { extname, join, normalize } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const pkg = fileURLToPath(new URL('../../target/npm/pagerduty-wasm/', import.meta.url));
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

export function configFromEnv(env = process.env) {
  return {
    baseUrl: env.PAGERDUTY_TOKEN ? undefined : env.PAGERDUTY_BASE_URL,
    region: env.PAGERDUTY_REGION || 'us',
    token: env.PAGERDUTY_TOKEN || 'pdmock_full_access_1',
    from: env.PAGERDUTY_FROM || 'ada@example.com',
  };
}

/** Serves `root` (this directory, or a bundler's output of it) on loopback. */
export function serve(config, port = 0, root = here) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    try {
      if (path === '/config.json') {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(config));
        return;
      }
      const file = path.startsWith('/pkg/') ? join(pkg, path.slice(5)) : join(root, path === '/' ? 'index.html' : path);
      if (!file.startsWith(root) && !file.startsWith(pkg)) throw new Error('outside');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() }));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { url } = await serve(configFromEnv(), Number(process.argv[2] || 8000));
  console.log(`examples/browser at ${url} (Ctrl-C to stop)`);
}
