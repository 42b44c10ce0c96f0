// TypeScript: the package's types under the project's module resolution; compiled, then run.
import { EventsClient, RestClient, NotFoundError, PagerDutyError, version } from 'pagerduty-wasm';
import type { ClientOptions, ErrorCode } from 'pagerduty-wasm';
import type { Incident } from 'pagerduty-wasm/resources';

declare const process: { env: { [name: string]: string | undefined } };

async function main(): Promise<void> {
  const baseUrl = process.env.PD_SIM_URL;
  const label = process.env.PD_LABEL ?? 'ts';
  const options: ClientOptions = { baseUrl, timeoutMs: 10000 };
  const summary = `dist-test ${label} ${Math.random().toString(36).slice(2, 10)}`;
  const events = new EventsClient('pdmockintegrationkey000000000001', options);
  const dedupKey: string = await events.trigger({ summary, source: 'dist-test', severity: 'info' });
  // @ts-expect-error: severity is one of PagerDuty's four levels (the types are real, not `any`).
  void (() => events.trigger({ summary, source: 'dist-test', severity: 'loud' }));
  const rest = new RestClient('pdmock_full_access_1', { ...options, from: 'ada@example.com' });
  let incidents = 0;
  for await (const incident of rest.listIncidents({ limit: 10 })) {
    const i: Incident = incident;
    if (typeof i.id === 'string') incidents += 1;
  }
  let notFound = false;
  try {
    await rest.getIncident('PNOSUCH');
  } catch (e) {
    const code: ErrorCode | undefined = e instanceof PagerDutyError ? e.code : undefined;
    notFound = e instanceof NotFoundError && code === 'not_found';
  }
  console.log(`RESULT ${JSON.stringify({ label, version: version(), summary, dedupKey, incidents, notFound })}`);
}

main().catch((e: unknown) => { console.error(e); throw e; });
