// pagerduty-wasm/outbox (Node): the journal on disk, the lock, spool files, dead letters,
// compaction. The guarantee under crashes and faults is outbox-crash.test.mjs.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Outbox, OutboxError } from 'pagerduty-wasm/outbox';
import { InvalidInputError, PagerDutyError } from 'pagerduty-wasm';
import { startSimulator } from './simulator.mjs';

const KEY = 'pdmockextraintegration0000000001';
let sim;
before(async () => { sim = await startSimulator(0); });
after(() => sim.stop());
beforeEach(() => sim.reset());

const fresh = () => mkdtempSync(join(tmpdir(), 'pd-outbox-'));
const open = (dir, o = {}) => Outbox.open(dir, { baseUrl: sim.url, rateLimit: 0, ...o });
const trig = (box, i) => box.trigger(KEY, { summary: `event ${i}`, source: 'test', severity: 'info', dedup_key: `ev-${i}` });

test('torn tail: a journal cut at every byte of its last record reopens with the earlier events', async () => {
  const dir = fresh();
  const box = open(dir);
  trig(box, 1);
  trig(box, 2);
  const before = box.stats().journalBytes;
  trig(box, 3);
  const full = box.stats().journalBytes;
  await box.close();
  const bytes = readFileSync(join(dir, 'journal'));
  assert.equal(bytes.length, full);
  for (let cut = before; cut < full; cut++) {
    const d = fresh();
    writeFileSync(join(d, 'journal'), bytes.subarray(0, cut), { mode: 0o600 });
    const b = open(d);
    assert.deepEqual(b.recovered, { validLen: before, tornBytes: cut - before, records: b.recovered.records }, `cut at ${cut}`);
    assert.equal(b.stats().queued, 2, `cut at ${cut}`);
    assert.equal(statSync(join(d, 'journal')).size, before, 'the torn bytes are cut off the file');
    // Appending after the repair makes a journal that reads whole.
    trig(b, 4);
    await b.close();
    const again = open(d);
    assert.equal(again.recovered.tornBytes, 0);
    assert.equal(again.stats().queued, 3);
    await again.close();
  }
  // Damage in the middle is not a torn tail: a DecodeError, and the lock is released.
  const d = fresh();
  const broken = Buffer.from(bytes);
  broken[before - 3] ^= 0xff;
  writeFileSync(join(d, 'journal'), broken);
  assert.throws(() => open(d), (e) => e instanceof PagerDutyError && e.code === 'decode');
  assert.ok(!existsSync(join(d, 'lock')));
});

test('the journal is 0600, the directory 0700, and a second open of the same directory fails clearly (here and from another process)', async () => {
  const parent = fresh();
  const dir = join(parent, 'queue');
  const box = open(dir);
  trig(box, 1);
  assert.equal(statSync(join(dir, 'journal')).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.throws(() => open(dir), (e) => e instanceof OutboxError && e instanceof PagerDutyError && e.code === 'outbox_locked' && /already open in this process/.test(e.message));
  const script = `import('pagerduty-wasm/outbox').then(({Outbox}) => { try { Outbox.open(${JSON.stringify(dir)}); console.log('opened'); } catch (e) { console.log(e.code + ' ' + e.message); } })`;
  const out = await new Promise((resolve, reject) => execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('.', import.meta.url)) }, (err, stdout) => (err ? reject(err) : resolve(stdout))));
  assert.match(out, new RegExp(`^outbox_locked .*locked by process ${process.pid}`));
  await box.close();
  assert.throws(() => box.trigger(KEY, { summary: 's', source: 's', severity: 'info' }), (e) => e.code === 'outbox_closed');
  // Closed: the next open takes it, with the event still queued.
  const again = open(dir);
  assert.equal(again.stats().queued, 1);
  await again.close();
  // A lock left by a dead process is taken over.
  writeFileSync(join(dir, 'lock'), `999999999\n${(await import('node:os')).hostname()}\n0\n`);
  const taken = open(dir);
  assert.equal(taken.stats().queued, 1);
  await taken.close();
  assert.ok(!existsSync(join(dir, 'lock')));
});

test('enqueue refuses what EventsClient refuses, with the same typed errors, and writes nothing', async () => {
  const dir = fresh();
  const box = open(dir);
  const size = box.stats().journalBytes;
  assert.throws(() => box.trigger(KEY, { summary: 's', source: 's' }), (e) => e instanceof InvalidInputError && e.details.field === 'payload.severity');
  assert.throws(() => box.trigger('short', { summary: 's', source: 's', severity: 'info' }), (e) => e.code === 'invalid_input' || e.code === 'wrong_key_kind');
  assert.throws(() => Outbox.open(fresh(), { nope: 1 }), (e) => e instanceof InvalidInputError);
  assert.equal(box.stats().journalBytes, size);
  const q = box.trigger(KEY, { summary: 's', source: 's', severity: 'info' });
  assert.match(q.dedupKey, /\S{16,}/, 'a generated dedup_key, fixed at enqueue');
  assert.equal(box.change(KEY, { summary: 'deployed', source: 'ci' }).dedupKey, null);
  assert.equal(box.v1('pdmockextraintegration0000000002', 'trigger', { description: 'legacy', incident_key: 'l-1' }).dedupKey, 'l-1');
  assert.equal(box.acknowledge(KEY, q.dedupKey).dedupKey, q.dedupKey);
  const s = await box.flush(10_000);
  assert.deepEqual([s.queued, s.delivered, s.dead], [0, 4, 0]);
  const alert = (await sim.alerts()).find((a) => a.alert_key === q.dedupKey);
  assert.equal(alert.status, 'acknowledged');
  await box.close();
});

test('spool files in DIR/incoming are taken in once, then removed; one that does not read is set aside', async () => {
  const dir = fresh();
  const a = Outbox.spool(dir, 'trigger', KEY, { summary: 'spooled', source: 'cron', severity: 'error', dedup_key: 'spooled-1' });
  assert.equal(a.dedupKey, 'spooled-1');
  assert.equal(statSync(a.file).mode & 0o777, 0o600);
  mkdirSync(join(dir, 'incoming'), { recursive: true });
  writeFileSync(join(dir, 'incoming', 'zz-broken.spool'), 'not a spool file');
  const box = open(dir);
  assert.equal(box.stats().queued, 1);
  assert.deepEqual(readdirSync(join(dir, 'incoming')).sort(), ['zz-broken.spool.bad']);
  // While open: the background sender takes new files in.
  box.start();
  Outbox.spool(dir, 'resolve', KEY, 'spooled-1');
  const deadline = Date.now() + 10_000;
  while (box.stats().delivered < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(box.stats().delivered, 2);
  await box.close();
  const alert = (await sim.alerts()).find((x) => x.alert_key === 'spooled-1');
  assert.equal(alert.status, 'resolved');
});

test('a refused event is a dead letter with PagerDuty\'s reason and no key; retryDead puts it back', async () => {
  const dir = fresh();
  const box = open(dir);
  const unknown = 'R0123456789ABCDEF0123456789ABCDE';
  box.trigger(unknown, { summary: 'to nowhere', source: 'test', severity: 'info', dedup_key: 'nowhere' });
  trig(box, 1);
  const s = await box.flush(10_000);
  assert.equal(s.dead, 1);
  assert.equal(s.delivered, 1);
  const [d] = box.deadLetters();
  assert.equal(d.dedupKey, 'nowhere');
  assert.equal(d.kind, 'v2');
  assert.equal(typeof d.code, 'string');
  assert.ok(d.status >= 400 && d.status < 500, JSON.stringify(d));
  assert.match(d.key, /^[0-9a-f]{12}$/);
  assert.ok(!JSON.stringify(box.deadLetters()).includes(unknown));
  assert.ok(readFileSync(join(dir, 'journal')).toString('latin1').split(unknown).length === 2, 'the key is in the journal once');
  assert.equal(box.retryDead([d.id]), 1);
  assert.equal(box.stats().queued, 1);
  await box.flush(5_000);
  assert.equal(box.deadLetters().length, 1, 'refused again');
  await box.close();
});

test('compaction: a journal of delivered events is rewritten small, and the counts survive a reopen', async () => {
  const dir = fresh();
  const box = open(dir, { maxInFlight: 16 });
  for (let i = 0; i < 2100; i++) box.trigger(`pdmockextraintegration${String(i % 16).padStart(10, '0')}`, { summary: `c ${i}`, source: 'c', severity: 'info', dedup_key: `c-${i}` });
  const big = box.stats().journalBytes;
  const s = await box.flush(60_000);
  assert.equal(s.queued, 0);
  assert.ok(s.journalBytes * 5 < big, `${s.journalBytes} bytes after compaction, ${big} before`);
  assert.ok(!existsSync(join(dir, 'journal.tmp')));
  assert.equal(statSync(join(dir, 'journal')).mode & 0o777, 0o600);
  await box.close();
  const again = open(dir);
  const t = again.stats();
  assert.deepEqual([t.queued, t.delivered], [0, 2100]);
  await again.close();
});
