// pagerduty-wasm/outbox from the installed tarball: a trigger queued on disk, then delivered
// to the simulator by a flush (its own .wasm module beside the package's).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from 'pagerduty-wasm/outbox';

const dir = mkdtempSync(join(tmpdir(), 'pd-dist-outbox-'));
try {
  const box = Outbox.open(dir, { baseUrl: process.env.PD_SIM_URL, rateLimit: 0 });
  const summary = `outbox ${process.env.PD_LABEL}`;
  const { dedupKey } = box.trigger('pdmockintegrationkey000000000001', { summary, source: 'dist', severity: 'info' });
  const mode = (statSync(join(dir, 'journal')).mode & 0o777).toString(8);
  const stats = await box.flush(10_000);
  await box.close();
  console.log(`RESULT ${JSON.stringify({ dedupKey, summary, mode, delivered: stats.delivered, queued: stats.queued })}`);
} catch (e) {
  console.log(`RESULT ${JSON.stringify({ error: String(e && e.stack || e) })}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
