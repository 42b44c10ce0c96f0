// Compiled with `tsc --noEmit` in CI: the declarations must describe real use, and the
// expect-error lines below prove they refuse wrong use.
import {
  RestClient, EventsClient, WebhookVerifier, buildRequest, parseResponse, parseWebhookEvent,
  PagerDutyError, RateLimitedError, NotFoundError, TruncatedError, type Incident, type JsonObject,
  type ErrorCode, type FetchLike, type ClientOptions,
} from 'pagerduty-wasm';

export async function usage(signal: AbortSignal): Promise<void> {
  const rest = new RestClient('y_NbAkKc66ryYTWUXYEu', {
    region: 'eu', from: 'ada@example.com', timeoutMs: 10_000, retry: { maxAttempts: 3 },
  });
  const incident: Incident = await rest.getIncident('PABC123', { signal });
  const title: string | null | undefined = incident.title;
  void title;
  await rest.updateIncident('PABC123', { status: 'acknowledged' });
  for await (const item of rest.iterate('/incidents', { statuses: ['triggered'], limit: 100 })) {
    const obj: JsonObject = item;
    void obj;
  }
  // The README's example, verbatim.
  for await (const incident of rest.listIncidents({ statuses: ['triggered'] }, { signal })) {
    await rest.updateIncident(incident.id, { status: 'acknowledged' });
  }
  for await (const i of rest.listIncidents({ statuses: ['triggered'] })) {
    const who: string | null | undefined = i.assignments?.[0]?.assignee?.summary;
    void who;
    // @ts-expect-error a typo in a resource's field
    void i.asignments;
  }
  // @ts-expect-error a status PagerDuty does not have
  rest.listIncidents({ statuses: ['open'] });
  // @ts-expect-error a filter the operation does not take
  rest.listTeams({ team_ids: ['PT1'] });
  // @ts-expect-error an operation that does not exist
  rest.getIncidnet('PABC123');
  const rules = await rest.listNotificationRules('PUSER01', { urgency: 'high' });
  void rules[0]?.id;
  const allowed: boolean = await rest.testAbility('teams');
  void allowed;
  try {
    for await (const page of rest.pages('/incidents')) void page;
  } catch (e) {
    if (e instanceof TruncatedError) {
      const code: ErrorCode = e.code;
      void code;
    }
  }
  const trusting: ClientOptions = { caPem: '-----BEGIN CERTIFICATE-----', maxResponseBytes: 1 << 20 };
  new RestClient('y_NbAkKc66ryYTWUXYEu', { ...trusting, caFile: undefined });
  new EventsClient('R0123456789abcdef0123456789abcde', { caFile: '/etc/ssl/private-ca.pem' });
  // @ts-expect-error caPem is PEM text
  new RestClient('y_NbAkKc66ryYTWUXYEu', { caPem: new Uint8Array() });

  const events = new EventsClient('R0123456789abcdef0123456789abcde', { truncateSummary: true });
  const key: string = await events.trigger({ summary: 'disk full', source: 'db-1', severity: 'critical' }, { signal })
    .catch((e: unknown) => {
      // Re-send with the dedup_key that was sent: never a second incident.
      if (e instanceof PagerDutyError && e.dedupKey !== undefined) {
        return events.trigger({ summary: 'disk full', source: 'db-1', severity: 'critical', dedup_key: e.dedupKey });
      }
      throw e;
    });
  const same: string = await events.acknowledge(key);
  void same;
  await events.resolve(key);
  // @ts-expect-error severity must be one of PagerDuty's four
  await events.trigger({ summary: 's', source: 'x', severity: 'loud' });
  // @ts-expect-error unknown option names are refused at compile time too
  new RestClient('y_NbAkKc66ryYTWUXYEu', { timeout: 5 });

  const myFetch: FetchLike = (url, init) => fetch(url, init);
  const wrapped: FetchLike = async (url, init) => {
    const res = await fetch(url, { ...init, redirect: init.redirect });
    return res;
  };
  void wrapped;
  new EventsClient('R0123456789abcdef0123456789abcde', { fetch: myFetch });

  const verifier = new WebhookVerifier(['secret-a', 'secret-b']);
  const event = verifier.verifyAndParse('v1=abc', '{}');
  const type: string = event.event_type;
  void type;
  void parseWebhookEvent(new Uint8Array());

  const built = buildRequest({ api: 'rest', token: 'y_NbAkKc66ryYTWUXYEu', method: 'GET', path: '/incidents' });
  void parseResponse(built.api, { status: 200, body: '{}' });

  try {
    await rest.get('/incidents');
  } catch (e) {
    if (e instanceof RateLimitedError) {
      const wait: number | undefined = e.retryAfterMs;
      void wait;
    } else if (e instanceof NotFoundError || e instanceof PagerDutyError) {
      const code: ErrorCode = e.code;
      const status: number | undefined = e.status;
      const requestId: string | undefined = e.requestId;
      void code; void status; void requestId;
    }
  }
}

// pagerduty-wasm/outbox (Node): the durable outbox's declarations.
import { Outbox, OutboxError } from 'pagerduty-wasm/outbox';
import type { OutboxStats, DeadLetter, Queued } from 'pagerduty-wasm/outbox';
async function outboxUsage(): Promise<void> {
  const box: Outbox = Outbox.open('/var/lib/app/pd-queue', { rateLimit: 120, maxAgeMs: 3_600_000, maxInFlight: 8, retry: { baseDelayMs: 100 } });
  const q: Queued = box.trigger('R0123456789ABCDEF0123456789ABCDE', { summary: 's', source: 'x', severity: 'critical' });
  const id: number = q.id;
  const dedup: string | null = q.dedupKey;
  box.resolve('R0123456789ABCDEF0123456789ABCDE', dedup ?? 'k');
  box.v1('R0123456789ABCDEF0123456789ABCDE', 'trigger', { description: 'd' });
  box.start({ keepAlive: true });
  const s: OutboxStats = await box.flush(5000);
  const age: number = s.oldestAgeMs + s.keys.reduce((n, k) => n + k.queued, 0);
  const dead: DeadLetter[] = box.deadLetters();
  const code: string = dead[0]?.code ?? '';
  box.retryDead([id]);
  Outbox.spool('/var/lib/app/pd-queue', 'trigger', 'R0123456789ABCDEF0123456789ABCDE', { summary: 's', source: 'x', severity: 'info' });
  Outbox.spool('/var/lib/app/pd-queue', 'v1', 'R0123456789ABCDEF0123456789ABCDE', { description: 'd' }, { action: 'trigger' });
  try { Outbox.open('/x'); } catch (e) { if (e instanceof OutboxError && e.code === 'outbox_locked') console.log(e.details.pid, age, code); }
  // @ts-expect-error: the retry option the outbox does not take (it retries until maxAgeMs)
  Outbox.open('/x', { retry: { maxAttempts: 3 } });
  await box.close();
}
void outboxUsage;

async function history(rest: RestClient): Promise<number> {
  let n = 0;
  for await (const incident of rest.iterateHistory('/incidents', '2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', { statuses: ['resolved'] })) {
    if (typeof incident.id === 'string') n += 1;
  }
  return n;
}
void history;

// OAuth for user apps (PKCE): the typed helpers.
import {
  oauthPkce, oauthChallenge, oauthAuthorizeUrl, oauthCodeExchangeRequest, oauthRefreshRequest, oauthParseToken,
  type OAuthToken, type OAuthTokenRequest,
} from 'pagerduty-wasm';

export function pkceUsage(): string | null {
  const { verifier, challenge } = oauthPkce();
  const same: boolean = oauthChallenge(verifier) === challenge;
  void same;
  const url: string = oauthAuthorizeUrl({ clientId: 'c', redirectUri: 'https://a.example/cb', scopes: ['incidents.read'], state: 's', challenge, region: 'eu' });
  void url;
  const req: OAuthTokenRequest = oauthCodeExchangeRequest({ clientId: 'c', code: 'x', redirectUri: 'https://a.example/cb', verifier });
  void req.body;
  const token: OAuthToken = oauthParseToken({ status: 200, body: '{}' }, 'incidents.read');
  oauthRefreshRequest({ clientId: 'c', refreshToken: token.refresh_token ?? '', identityUrl: 'http://127.0.0.1:8080' });
  // @ts-expect-error: the verifier is required for the code exchange
  oauthCodeExchangeRequest({ clientId: 'c', code: 'x', redirectUri: 'https://a.example/cb' });
  // @ts-expect-error: only us or eu
  oauthAuthorizeUrl({ clientId: 'c', redirectUri: 'r', scopes: [], state: 's', challenge, region: 'mars' });
  return token.refresh_token;
}
