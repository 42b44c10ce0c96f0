// Starts pagerduty-mock (target/release/pagerduty-mock) on a free port for a test file.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export const FULL = 'pdmock_full_access_1';
export const READ_ONLY = 'pdmock_read_only_key';
export const USER = 'pdmock_user_token_01';
export const ROUTING = 'pdmockintegrationkey000000000001';

export async function startSimulator(incidents = 250, extraArgs = []) {
  const proc = spawn(`${root}target/release/pagerduty-mock`, ['--port', '0', '--incidents', String(incidents), ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout });
    rl.once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`pagerduty-mock exited (${code})`)));
  });
  const m = /listening on (\S+)/.exec(line);
  if (!m) throw new Error(`unexpected first line from pagerduty-mock: ${line}`);
  const url = m[1].replace(/\/$/, '');
  const call = async (method, path, body) => {
    const res = await fetch(url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  };
  return {
    url,
    call,
    faults: (rules) => call('PUT', '/_mock/faults', rules),
    reset: async () => {
      await call('PUT', '/_mock/faults', []);
      await call('POST', '/_mock/reset', {});
      await fetch(`${url}/_mock/stray`, { method: 'DELETE' });
    },
    // The stray listener: a second host the simulator runs (on 127.0.0.2), where redirects
    // point; a key or an event that reaches it has gone where it must not.
    stray: () => call('GET', '/_mock/stray'),
    counters: () => call('GET', '/_mock/counters'),
    alerts: async () => (await call('GET', '/_mock/alerts')).alerts,
    stop: () => proc.kill(),
  };
}
