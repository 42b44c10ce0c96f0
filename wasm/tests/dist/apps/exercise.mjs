// What every test project does with the installed package, whatever the runtime: triggers an
// event (the runner then looks for it in the simulator's /_mock/alerts), walks incidents with
// the typed pager, and gets a typed error back. Resolves to what the runner checks.
export async function exercise(pd, baseUrl, label) {
  const summary = `dist-test ${label} ${Math.random().toString(36).slice(2, 10)}`;
  const events = new pd.EventsClient('pdmockintegrationkey000000000001', { baseUrl });
  const dedupKey = await events.trigger({ summary, source: 'dist-test', severity: 'info' });
  const rest = new pd.RestClient('pdmock_full_access_1', { baseUrl, from: 'ada@example.com' });
  let incidents = 0;
  for await (const incident of rest.listIncidents({ limit: 10 })) {
    if (typeof incident.id === 'string') incidents += 1;
  }
  let notFound = false;
  try {
    await rest.getIncident('PNOSUCH');
  } catch (e) {
    notFound = e instanceof pd.NotFoundError && e instanceof pd.PagerDutyError && e.code === 'not_found';
  }
  return { label, version: pd.version(), summary, dedupKey, incidents, notFound };
}
