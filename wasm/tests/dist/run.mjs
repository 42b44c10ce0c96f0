// The npm tarball in every JavaScript runtime (called by run.sh, which packs it and installs the
// runtimes): for each row, a fresh project in target/dist-tests/projects/ gets the tarball with
// `npm install`, is built the way that tool's users build (tsc, Vite, esbuild, a wrangler-style
// workerd bundle), and runs apps/exercise.mjs's calls against the simulator: an event triggered
// (then looked for in the simulator's /_mock/alerts), incidents walked page by page, a typed
// NotFoundError. Prints a table and exits non-zero if any row failed.
//
//   node wasm/tests/dist/run.mjs TARBALL [ROW-FILTER]
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../node/simulator.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const apps = fileURLToPath(new URL('./apps/', import.meta.url));
const tools = join(root, 'wasm/tools/node_modules');
const work = join(root, 'target/dist-tests');
const runtimes = join(work, 'runtimes');
const [tarball, only] = process.argv.slice(2);
if (!tarball || !existsSync(tarball)) throw new Error(`usage: run.mjs TARBALL [FILTER] (no tarball at ${tarball})`);
const TGZ = resolve(tarball);

const bin = {
  node18: join(runtimes, 'node18/node_modules/.bin/node'),
  node: process.execPath,
  deno: join(runtimes, 'deno/node_modules/.bin/deno'),
  bun: join(runtimes, 'bun/node_modules/.bin/bun'),
  workerd: join(runtimes, 'workerd/node_modules/.bin/workerd'),
  esbuild: join(tools, '.bin/esbuild'),
  tsc: join(tools, '.bin/tsc'),
  attw: join(tools, '.bin/attw'),
};
const quiet = {
  DENO_DIR: join(work, 'cache/deno'), DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1',
  BUN_INSTALL_CACHE_DIR: join(work, 'cache/bun'), NO_COLOR: '1',
};

/** Runs a command; resolves to {code, out, err}; kills it after `timeoutMs`. */
function run(cmd, args, { cwd, env = {}, timeoutMs = 120000 } = {}) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...quiet, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { err += `\n(killed after ${timeoutMs} ms)`; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); done({ code: -1, out, err: `${err}${e.message}` }); });
    child.on('close', (code) => { clearTimeout(timer); done({ code, out, err }); });
  });
}

async function must(cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd.split('/').pop()} ${args.join(' ')} exited ${r.code}: ${(r.err || r.out).trim().slice(-1500)}`);
  return r;
}

/** A fresh project: package.json, the named files from apps/, and the tarball installed. */
async function project(name, { type = 'module', files = [], extra = {} } = {}) {
  const dir = join(work, 'projects', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `dist-test-${name}`, private: true, type }, null, 2)}\n`);
  for (const f of files) {
    const [from, to = from] = Array.isArray(f) ? f : [f];
    cpSync(join(apps, from), join(dir, to));
  }
  for (const [to, text] of Object.entries(extra)) writeFileSync(join(dir, to), text);
  await must('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', TGZ], { cwd: dir });
  return dir;
}

/** A project made once per run, for rows that share it (import and require of one install). */
const made = new Map();
function shared(name, options) {
  if (!made.has(name)) made.set(name, project(name, options));
  return made.get(name);
}

/** The RESULT line a command printed (or throws with what it said instead). */
function resultOf(r) {
  const line = r.out.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.code !== 0 || !line) throw new Error(`exit ${r.code}: ${(r.err || r.out).trim().slice(-1500)}`);
  return JSON.parse(line.slice(7));
}

let sim;
const version = JSON.parse(readFileSync(join(root, 'target/npm/pagerduty-wasm/package.json'), 'utf8')).version;

/** What every row checks: the calls' answers, and the event as the simulator saw it. */
async function verify(result, label) {
  if (result.error) throw new Error(result.error);
  const wrong = [];
  if (result.label !== label) wrong.push(`label ${result.label}`);
  if (result.version !== version) wrong.push(`version() ${result.version}`);
  if (!(result.incidents >= 25)) wrong.push(`${result.incidents} incidents walked (25 or more expected)`);
  if (result.notFound !== true) wrong.push('no NotFoundError for an unknown incident');
  if (result.seen !== undefined) {
    // The worker rows: every message the page posted, once each, in order.
    const want = Array.from({ length: 40 }, (_, i) => i + 1).join(',');
    if (result.seen.join(',') !== want) wrong.push(`the worker saw messages ${result.seen.join(',')}`);
  }
  const alerts = await sim.alerts();
  if (!alerts.some((a) => a.alert_key === result.dedupKey && a.summary === result.summary)) {
    wrong.push(`the simulator has no alert ${result.dedupKey} "${result.summary}"`);
  }
  if (wrong.length) throw new Error(wrong.join('; '));
  const messages = result.seen ? ', 40/40 messages in order' : '';
  return `event ${result.dedupKey.slice(0, 8)}… seen by the simulator, ${result.incidents} incidents, NotFoundError${messages}`;
}

/** The outbox row: queued with its journal 0600, then delivered and seen by the simulator. */
async function outboxRow(cmd, cwd, label) {
  const r = resultOf(await run(cmd, ['outbox.mjs'], { cwd, env: { PD_SIM_URL: sim.url, PD_LABEL: label } }));
  if (r.error) throw new Error(r.error);
  const alerts = await sim.alerts();
  const wrong = [];
  if (r.mode !== '600') wrong.push(`journal mode ${r.mode}`);
  if (r.delivered !== 1 || r.queued !== 0) wrong.push(`delivered ${r.delivered}, queued ${r.queued}`);
  if (!alerts.some((a) => a.alert_key === r.dedupKey && a.summary === r.summary)) wrong.push(`the simulator has no alert ${r.dedupKey}`);
  if (wrong.length) throw new Error(wrong.join('; '));
  return `queued (journal 0600), flushed, event ${r.dedupKey.slice(0, 8)}… seen by the simulator`;
}

async function nodeLike(cmd, args, cwd, label) {
  const r = await run(cmd, args, { cwd, env: { PD_SIM_URL: sim.url, PD_LABEL: label } });
  return verify(resultOf(r), label);
}

// ---- static files and Chromium ----

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css' };
function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() })));
}

let browser;
async function chromium() {
  if (!browser) {
    const { chromium: c } = await import(join(tools, 'playwright-core/index.mjs'));
    const exe = (await must('sh', ['-c', 'command -v chromium'])).out.trim();
    browser = await c.launch({
      executablePath: exe,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }
  return browser;
}

/** Opens `page` of `dir` served on loopback; resolves to what it put on <body data-result>. */
async function inChromium(dir, page, label, query = {}) {
  const site = await serve(dir);
  const tab = await (await chromium()).newPage();
  const problems = [];
  tab.on('pageerror', (e) => problems.push(String(e)));
  try {
    const q = new URLSearchParams({ sim: sim.url, label, ...query });
    await tab.goto(`${site.url}${page}?${q}`);
    await tab.waitForSelector('body[data-result]', { state: 'attached', timeout: 30000 });
    const result = JSON.parse(await tab.getAttribute('body', 'data-result'));
    if (problems.length && !result.error) result.error = problems.join('; ');
    return result;
  } finally {
    await tab.close();
    site.close();
  }
}

async function freePort() {
  const s = createNetServer();
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

// ---- the rows ----

const NODE_FILES = ['exercise.mjs', 'node-esm.mjs', 'node-cjs.cjs', 'outbox.mjs'];
const esbuild = (dir, args) => must(bin.esbuild, ['--log-level=warning', ...args], { cwd: dir });

function tsProject(resolution, type) {
  return async (label) => {
    const bundler = resolution === 'bundler';
    const compilerOptions = bundler
      ? { target: 'ES2022', module: type === 'module' ? 'ESNext' : 'Preserve', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], types: [], noEmit: true }
      : { target: 'ES2022', module: resolution, moduleResolution: resolution, lib: ['ES2022'], types: ['node'], typeRoots: [join(tools, '@types')], outDir: 'dist' };
    const tsconfig = { compilerOptions: { ...compilerOptions, strict: true, skipLibCheck: false }, files: ['main.ts'] };
    const dir = await project(`ts-${resolution}-${type}`, { type, files: ['main.ts'], extra: { 'tsconfig.json': JSON.stringify(tsconfig, null, 2) } });
    await must(bin.tsc, ['-p', 'tsconfig.json'], { cwd: dir });
    if (!bundler) {
      // The emitted JavaScript, ESM or CommonJS as the project's type says.
      const emitted = readFileSync(join(dir, 'dist/main.js'), 'utf8');
      const cjs = /require\("pagerduty-wasm"\)/.test(emitted);
      if (cjs !== (type === 'commonjs')) throw new Error(`tsc emitted ${cjs ? 'CommonJS' : 'ESM'} for a ${type} project`);
      return nodeLike(bin.node, ['dist/main.js'], dir, label);
    }
    // Bundler resolution: tsc checks, a bundler builds.
    await esbuild(dir, ['main.ts', '--bundle', '--platform=node', `--format=${type === 'module' ? 'esm' : 'cjs'}`, `--outfile=dist/main.${type === 'module' ? 'mjs' : 'cjs'}`]);
    return nodeLike(bin.node, [`dist/main.${type === 'module' ? 'mjs' : 'cjs'}`], dir, label);
  };
}

/** An application bundled for Node by esbuild, run from a directory with no node_modules. */
function nodeBundle(entry, format, node) {
  return async (label) => {
    const name = `esbuild-node-${format}-${entry.split('.')[0]}`;
    const dir = await project(name, { files: ['exercise.mjs', entry] });
    const out = join(work, 'lambda', `${name}.${format === 'esm' ? 'mjs' : 'cjs'}`);
    rmSync(out, { force: true });
    await esbuild(dir, [entry, '--bundle', '--platform=node', `--format=${format}`, '--target=node18', `--outfile=${out}`]);
    return nodeLike(bin[node], [out], join(work, 'lambda'), label);
  };
}

function browserBundle(entry, { copyWasm }) {
  return async (label) => {
    const name = `esbuild-browser-${entry.replace('.mjs', '')}${copyWasm ? '-copied' : ''}`;
    const dir = await project(name, { files: ['exercise.mjs', entry, ['page.html', 'dist/index.html']] });
    writeFileSync(join(dir, 'dist/index.html'), readFileSync(join(dir, 'dist/index.html'), 'utf8').replace('./page.mjs', './bundle.js'));
    await esbuild(dir, [entry, '--bundle', '--platform=browser', '--format=esm', '--outfile=dist/bundle.js']);
    if (copyWasm) cpSync(join(dir, 'node_modules/pagerduty-wasm/pagerduty_wasm_bg.wasm'), join(dir, 'dist/pagerduty_wasm_bg.wasm'));
    return verify(await inChromium(join(dir, 'dist'), 'index.html', label), label);
  };
}

async function vitePage(label) {
  const dir = await project('vite-page', { files: ['exercise.mjs', 'page.mjs', ['page.html', 'index.html']] });
  const { build } = await import(join(tools, 'vite/dist/node/index.js'));
  await build({ root: dir, configFile: false, logLevel: 'warn', build: { outDir: join(dir, 'dist'), emptyOutDir: true } });
  return verify(await inChromium(join(dir, 'dist'), 'index.html', label), label);
}

async function viteDev(label) {
  const dir = await project('vite-dev', { files: ['exercise.mjs', 'page.mjs', ['page.html', 'index.html']] });
  const { createServer: createVite } = await import(join(tools, 'vite/dist/node/index.js'));
  const server = await createVite({ root: dir, configFile: false, logLevel: 'warn', server: { host: '127.0.0.1', port: 0 } });
  await server.listen();
  const tab = await (await chromium()).newPage();
  try {
    await tab.goto(`${server.resolvedUrls.local[0]}?${new URLSearchParams({ sim: sim.url, label })}`);
    await tab.waitForSelector('body[data-result]', { state: 'attached', timeout: 30000 });
    return await verify(JSON.parse(await tab.getAttribute('body', 'data-result')), label);
  } finally {
    await tab.close();
    await server.close();
  }
}

async function viteWorker(label) {
  const page = readFileSync(join(apps, 'worker-page.html'), 'utf8')
    .replace(/<script type="module">[\s\S]*<\/script>/, '<script type="module" src="./worker-vite-page.mjs"></script>');
  const dir = await project('vite-worker', { files: ['exercise.mjs', 'worker.mjs', 'worker-vite-page.mjs'], extra: { 'index.html': page } });
  const { build } = await import(join(tools, 'vite/dist/node/index.js'));
  // A worker that imports an ES module with top-level await must be built as one ('es').
  await build({ root: dir, configFile: false, logLevel: 'warn', worker: { format: 'es' }, build: { outDir: join(dir, 'dist'), emptyOutDir: true } });
  return verify(await inChromium(join(dir, 'dist'), 'index.html', label), label);
}

/** The worker page against the package as installed (no bundler): `worker` is the script. */
function nativeWorker(worker, query = {}) {
  return async (label) => {
    const dir = await project(`worker-native-${worker.replace(/\W+/g, '-')}`, { files: ['exercise.mjs', worker.split('?')[0], 'worker-page.html'] });
    return verify(await inChromium(dir, 'worker-page.html', label, { worker: `./${worker}`, pkg: '/node_modules/pagerduty-wasm/browser.js', ...query }), label);
  };
}

async function esbuildWorker(label) {
  const dir = await project('worker-esbuild-inline', { files: ['exercise.mjs', 'worker-inline.mjs', ['worker-page.html', 'dist/index.html']] });
  await esbuild(dir, ['worker-inline.mjs', '--bundle', '--platform=browser', '--format=esm', '--outfile=dist/worker.js']);
  return verify(await inChromium(join(dir, 'dist'), 'index.html', label, { worker: './worker.js' }), label);
}

async function esbuildNoWasm(label) {
  const dir = await project('esbuild-browser-missing-wasm', { files: ['exercise.mjs', 'page.mjs', ['page.html', 'dist/index.html']] });
  writeFileSync(join(dir, 'dist/index.html'), readFileSync(join(dir, 'dist/index.html'), 'utf8').replace('./page.mjs', './bundle.js'));
  await esbuild(dir, ['page.mjs', '--bundle', '--platform=browser', '--format=esm', '--outfile=dist/bundle.js']);
  const site = await serve(join(dir, 'dist'));
  const tab = await (await chromium()).newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  try {
    await tab.goto(`${site.url}index.html?${new URLSearchParams({ sim: sim.url, label })}`);
    await tab.waitForTimeout(1500);
  } finally {
    await tab.close();
    site.close();
  }
  const said = errors.join(' ');
  if (!/answered 404/.test(said) || !/pagerduty-wasm\/inline/.test(said)) throw new Error(`expected the error naming the fix, got: ${said || 'no error'}`);
  return 'fails at load with an error naming both fixes (copy the .wasm, or pagerduty-wasm/inline)';
}

async function workerd(label) {
  const dir = await project('workerd', { files: ['exercise.mjs', 'worker-fetch.mjs'] });
  // What wrangler does: esbuild with the conditions workerd, worker, browser; *.wasm imports left
  // as modules of their own (its default CompiledWasm rule).
  await esbuild(dir, ['worker-fetch.mjs', '--bundle', '--format=esm', '--platform=neutral', '--main-fields=browser,module,main',
    '--conditions=workerd,worker,browser', '--external:*.wasm', '--outfile=dist/worker.js']);
  const bundled = readFileSync(join(dir, 'dist/worker.js'), 'utf8');
  const m = /from\s*"([^"]*pagerduty_wasm_bg\.wasm)"/.exec(bundled);
  if (!m) throw new Error('the bundle does not import pagerduty_wasm_bg.wasm (was the workerd entry picked?)');
  cpSync(join(dir, 'node_modules/pagerduty-wasm/pagerduty_wasm_bg.wasm'), join(dir, 'dist/pagerduty_wasm_bg.wasm'));
  const port = await freePort();
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The simulator is on loopback, which workerd's default outbound refuses.
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "${m[1].replace(/^\.\//, '')}", wasm = embed "dist/pagerduty_wasm_bg.wasm"),
  ],
  compatibilityDate = "2025-06-01",
  globalOutbound = "loopback",
  bindings = [(name = "SIM_URL", text = "${sim.url}")],
);
`);
  const child = spawn(bin.workerd, ['serve', 'config.capnp'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  child.stdout.on('data', (d) => { said += d; });
  child.stderr.on('data', (d) => { said += d; });
  try {
    const deadline = Date.now() + 30000;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/?label=${label}`);
        const body = await res.json();
        return await verify(body, label);
      } catch (e) {
        if (!/ECONNREFUSED|fetch failed/.test(String(e.cause?.code || e.message)) || Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`${e.message}${said ? `; workerd said: ${said.trim().slice(-1000)}` : ''}`);
        }
        await new Promise((ok) => setTimeout(ok, 200));
      }
    }
  } finally {
    child.kill();
  }
}

/** arethetypeswrong over the tarball: the types each entry resolves to under node10, node16
 * (from CommonJS and from ESM) and bundler. `pagerduty-wasm/inline` is ESM-only by design (it
 * loads with top-level await), so its "require resolves to ESM" is expected. */
async function attw() {
  const r = await run(bin.attw, [TGZ, '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'table-flipped'], { env: { FORCE_COLOR: '0' } });
  if (r.code !== 0) throw new Error((r.out + r.err).trim().slice(-1500));
  return 'no problem in node10, node16 (CJS and ESM), bundler for ., ./inline, ./resources';
}

const N = `Node ${process.versions.node.split('.')[0]}`; // the machine's (20 here), beside the npm package's 18
const rows = [
  ['TypeScript types, every resolution (attw)', attw],
  ['Node 18, import', async (l) => nodeLike(bin.node18, ['node-esm.mjs'], await shared('node18', { files: NODE_FILES }), l)],
  ['Node 18, require', async (l) => nodeLike(bin.node18, ['node-cjs.cjs'], await shared('node18', { files: NODE_FILES }), l)],
  [`${N}, import`, async (l) => nodeLike(bin.node, ['node-esm.mjs'], await shared('node', { files: NODE_FILES }), l)],
  [`${N}, require`, async (l) => nodeLike(bin.node, ['node-cjs.cjs'], await shared('node', { files: NODE_FILES }), l)],
  ['Node 18, pagerduty-wasm/outbox', async (l) => outboxRow(bin.node18, await shared('node18', { files: NODE_FILES }), l)],
  [`${N}, pagerduty-wasm/outbox`, async (l) => outboxRow(bin.node, await shared('node', { files: NODE_FILES }), l)],
  ['TypeScript node16, ESM', tsProject('node16', 'module')],
  ['TypeScript node16, CommonJS', tsProject('node16', 'commonjs')],
  ['TypeScript nodenext, ESM', tsProject('nodenext', 'module')],
  ['TypeScript nodenext, CommonJS', tsProject('nodenext', 'commonjs')],
  ['TypeScript bundler, ESM', tsProject('bundler', 'module')],
  ['TypeScript bundler, CommonJS', tsProject('bundler', 'commonjs')],
  ['Vite 8 build, page in Chromium', vitePage],
  ['Vite 8 dev server, page in Chromium', viteDev],
  ['esbuild browser ESM, pagerduty-wasm/inline', browserBundle('page-inline.mjs', { copyWasm: false })],
  ['esbuild browser ESM, .wasm copied beside', browserBundle('page.mjs', { copyWasm: true })],
  ['esbuild browser ESM, .wasm not copied', esbuildNoWasm],
  ['esbuild Node CJS bundle (import), Node 18', nodeBundle('bundle-import.mjs', 'cjs', 'node18')],
  [`esbuild Node CJS bundle (import), ${N}`, nodeBundle('bundle-import.mjs', 'cjs', 'node')],
  [`esbuild Node CJS bundle (require), ${N}`, nodeBundle('bundle-require.cjs', 'cjs', 'node')],
  [`esbuild Node ESM bundle, ${N}`, nodeBundle('bundle-import.mjs', 'esm', 'node')],
  ['Cloudflare workerd', workerd],
  ['Deno 2, import (node_modules)', async (l) => nodeLike(bin.deno, ['run', '-A', '--no-lock', 'node-esm.mjs'], await project('deno', { files: NODE_FILES }), l)],
  ['Bun, import', async (l) => nodeLike(bin.bun, ['node-esm.mjs'], await shared('bun', { files: NODE_FILES }), l)],
  ['Bun, require', async (l) => nodeLike(bin.bun, ['node-cjs.cjs'], await shared('bun', { files: NODE_FILES }), l)],
  ['Chromium module Worker, onmessage after import', nativeWorker('worker-native.mjs')],
  ['Chromium module Worker, addEventListener after import', nativeWorker('worker-listener.mjs')],
  ['Chromium module Worker, onmessage before import()', nativeWorker('worker-dynamic.mjs')],
  ['Chromium module Worker, addEventListener before import()', nativeWorker('worker-dynamic.mjs?listener')],
  ['Chromium module Worker, Vite bundle', viteWorker],
  ['Chromium module Worker, esbuild + inline', esbuildWorker],
];

sim = await startSimulator(25);
const table = [];
try {
  for (const [name, fn] of rows) {
    if (only && !name.toLowerCase().includes(only.toLowerCase())) continue;
    const label = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const t = Date.now();
    let ok = true;
    let detail;
    try {
      detail = await fn(label);
    } catch (e) {
      ok = false;
      detail = String(e.message || e).replace(/\s+/g, ' ');
    }
    const secs = ((Date.now() - t) / 1000).toFixed(1);
    table.push([name, ok, secs, detail]);
    console.log(`${ok ? 'works ' : 'FAILED'} ${name} (${secs} s): ${detail}`);
  }
} finally {
  await browser?.close();
  sim.stop();
}

const w = Math.max(...table.map(([n]) => n.length));
console.log(`\n${'runtime'.padEnd(w)}  result`);
for (const [name, ok, secs, detail] of table) console.log(`${name.padEnd(w)}  ${ok ? 'works' : `FAILED: ${detail.slice(0, 300)}`}  (${secs} s)`);
const failed = table.filter(([, ok]) => !ok).length;
console.log(`\n${table.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
