// One journal format and one owner, whatever the runtime: a journal written by Node is read
// and delivered by the native `pagerduty` command, a spool file written by the command is
// taken in by Node, and a Node owner and a native owner refuse each other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Outbox } from 'pagerduty-wasm/outbox';
import { startSimulator } from './simulator.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = `${root}target/release/pagerduty`;
const KEY = 'pdmockextraintegration0000000003';
let sim;
before(async () => { sim = await startSimulator(0); });
after(() => sim.stop());

const cli = (args, key = KEY) => execFileSync(CLI, args, {
  env: { PAGERDUTY_BASE_URL: sim.url, PAGERDUTY_ROUTING_KEY: key }, encoding: 'utf8',
});

test('a Node journal is delivered by the native command, and a native spool file by Node', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pd-outbox-interop-'));
  try {
    const box = Outbox.open(dir, { baseUrl: sim.url, rateLimit: 0 });
    const { dedupKey } = box.trigger(KEY, { summary: 'from node', source: 'interop', severity: 'info' });
    await box.close();
    const status = JSON.parse(cli(['--json', 'queue', 'status', dir]));
    assert.equal(status.queued, 1);
    const flushed = JSON.parse(cli(['--json', 'queue', 'flush', dir, '--rate-limit', '0']));
    assert.equal(flushed.delivered, 1);
    const spooled = cli(['event', 'trigger', '--summary', 'from the cli', '--source', 'interop', '--severity', 'info', '--queue', dir]).trim();
    const again = Outbox.open(dir, { baseUrl: sim.url, rateLimit: 0 });
    const s = await again.flush(10_000);
    await again.close();
    assert.equal(s.queued, 0);
    assert.equal(s.delivered, 2);
    const keys = (await sim.call('GET', '/_mock/alerts')).alerts.map((a) => a.alert_key);
    assert.ok(keys.includes(dedupKey) && keys.includes(spooled), JSON.stringify(keys));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a native owner (pagerduty queue run) and a Node owner refuse each other', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pd-outbox-owners-'));
  try {
    const runner = spawn(CLI, ['queue', 'run', dir], { env: { PAGERDUTY_BASE_URL: sim.url }, stdio: ['ignore', 'ignore', 'pipe'] });
    // Owned once it says so.
    await new Promise((resolve, reject) => {
      runner.stderr.on('data', (d) => { if (String(d).includes('sending from')) resolve(); });
      runner.once('exit', (code) => reject(new Error(`queue run exited (${code})`)));
    });
    assert.throws(() => Outbox.open(dir, { baseUrl: sim.url }), (e) => e.code === 'outbox_locked' && /native process/.test(e.message));
    runner.kill('SIGKILL');
    await new Promise((r) => runner.once('exit', r));
    // The native owner died (its flock went with it): Node takes the directory, and now the
    // native command refuses.
    const box = Outbox.open(dir, { baseUrl: sim.url });
    assert.throws(() => cli(['queue', 'flush', dir]), (e) => e.status === 2 && /Node\.js outbox/.test(String(e.stderr)));
    await box.close();
    cli(['queue', 'flush', dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
