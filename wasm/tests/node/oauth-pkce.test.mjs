// OAuth for user apps (PKCE, issue 16): the RFC 7636 example, the authorize URL's parameters,
// the code-exchange and refresh requests' form fields, a dropped scope named by the typed error,
// and no secret in any error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as pd from 'pagerduty-wasm';

const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

test('pkce: RFC 7636 appendix B, and fresh verifiers', () => {
  assert.equal(pd.oauthChallenge(RFC_VERIFIER), RFC_CHALLENGE);
  const a = pd.oauthPkce();
  const b = pd.oauthPkce();
  assert.equal(a.verifier.length, 43);
  assert.equal(pd.oauthChallenge(a.verifier), a.challenge);
  assert.notEqual(a.verifier, b.verifier);
});

test('pkce: the authorize URL', () => {
  const url = new URL(pd.oauthAuthorizeUrl({
    clientId: 'cid', redirectUri: 'https://app.example/cb', scopes: ['incidents.read', 'services.read'],
    state: 'st4te', challenge: RFC_CHALLENGE, region: 'eu',
  }));
  assert.equal(url.origin + url.pathname, 'https://identity.eu.pagerduty.com/oauth/authorize');
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    client_id: 'cid', redirect_uri: 'https://app.example/cb', response_type: 'code',
    scope: 'incidents.read services.read', state: 'st4te', code_challenge: RFC_CHALLENGE,
    code_challenge_method: 'S256',
  });
});

test('pkce: the code exchange and refresh requests', () => {
  const r = pd.oauthCodeExchangeRequest({
    clientId: 'cid', clientSecret: 'sec-ret-value', code: 'auth-code-value', redirectUri: 'https://app.example/cb',
    verifier: RFC_VERIFIER, identityUrl: 'http://127.0.0.1:9',
  });
  assert.equal(r.method, 'POST');
  assert.equal(r.url, 'http://127.0.0.1:9/oauth/token');
  assert.ok(r.headers.some(([k, v]) => k === 'content-type' && v === 'application/x-www-form-urlencoded'));
  assert.deepEqual(Object.fromEntries(new URLSearchParams(r.body)), {
    grant_type: 'authorization_code', client_id: 'cid', code: 'auth-code-value', redirect_uri: 'https://app.example/cb',
    code_verifier: RFC_VERIFIER, client_secret: 'sec-ret-value',
  });
  const f = pd.oauthRefreshRequest({ clientId: 'cid', refreshToken: 'pdus+_refresh-value' });
  assert.equal(f.url, 'https://identity.pagerduty.com/oauth/token');
  assert.deepEqual(Object.fromEntries(new URLSearchParams(f.body)), {
    grant_type: 'refresh_token', client_id: 'cid', refresh_token: 'pdus+_refresh-value',
  });
});

const ANSWER = '{"access_token":"pdus+_user-token","token_type":"bearer","expires_in":86400,'
  + '"refresh_token":"pdus+_refresh-2","scope":"incidents.read"}';

test('pkce: a token answer, and a dropped scope named', () => {
  assert.deepEqual(pd.oauthParseToken({ status: 200, headers: { 'content-type': 'application/json' }, body: ANSWER }, ['incidents.read']), {
    access_token: 'pdus+_user-token', token_type: 'bearer', expires_in: 86400, scope: 'incidents.read',
    refresh_token: 'pdus+_refresh-2',
  });
  assert.throws(
    () => pd.oauthParseToken({ status: 200, body: new TextEncoder().encode(ANSWER) }, 'incidents.read incidents.write'),
    (e) => e instanceof pd.ScopeNotGrantedError && e.message.includes('incidents.write') && !e.message.includes('pdus+_'),
  );
  assert.throws(() => pd.oauthParseToken({ status: 401, body: '{"error":"invalid_grant"}' }), pd.UnauthorizedError);
});

test('pkce: an answer quoting the secrets sent is scrubbed, given the request', () => {
  const sent = pd.oauthRefreshRequest({ clientId: 'cid', clientSecret: 's3cr3t-value', refreshToken: 'pdus+_R3FR3SH' });
  // An identity server that quotes what it got, raw and form-encoded.
  const echo = JSON.stringify({ error: `invalid_grant: ${sent.body} (refresh token pdus+_R3FR3SH)` });
  const told = (request) => {
    try {
      pd.oauthParseToken({ status: 400, body: echo }, undefined, request);
    } catch (e) {
      assert.ok(e instanceof pd.PagerDutyError, String(e));
      return `${e.message} ${JSON.stringify(e.details ?? {})}`;
    }
    assert.fail('no error');
  };
  assert.ok(told(undefined).includes('R3FR3SH'));
  const scrubbed = told(sent);
  assert.ok(scrubbed.includes('<redacted>'), scrubbed);
  for (const secret of ['R3FR3SH', 's3cr3t-value']) assert.ok(!scrubbed.includes(secret), scrubbed);
  // A token answer that hands the same refresh token back (RFC 6749 §6) keeps it.
  const same = '{"access_token":"pdus+_new","token_type":"bearer","refresh_token":"pdus+_R3FR3SH"}';
  assert.equal(pd.oauthParseToken({ status: 200, body: same }, undefined, sent).refresh_token, 'pdus+_R3FR3SH');
  assert.throws(() => pd.oauthParseToken({ status: 400, body: echo }, undefined, { headers: [] }),
    (e) => e instanceof pd.InvalidInputError && e.message.includes('request.body'));
});

test('pkce: errors name the field and never a secret', () => {
  const secrets = ['sec-ret-value', 'auth-code-value', RFC_VERIFIER.slice(0, 12), 'pdus+_refresh'];
  const base = { clientId: 'c', code: 'auth-code-value', redirectUri: 'https://a.example/', verifier: RFC_VERIFIER };
  const cases = [
    ['client_secret', () => pd.oauthCodeExchangeRequest({ ...base, clientSecret: 'sec-ret-value x' })],
    ['code', () => pd.oauthCodeExchangeRequest({ ...base, code: 'auth-code-value x' })],
    ['verifier', () => pd.oauthCodeExchangeRequest({ ...base, verifier: RFC_VERIFIER.slice(0, 20) })],
    ['redirect_uri', () => pd.oauthCodeExchangeRequest({ ...base, redirectUri: undefined })],
    ['refresh_token', () => pd.oauthRefreshRequest({ clientId: 'c', refreshToken: 'pdus+_refresh-value x' })],
    ['challenge', () => pd.oauthAuthorizeUrl({ clientId: 'c', redirectUri: 'https://a.example/', scopes: 'read', state: 's', challenge: 'x' })],
  ];
  for (const [field, call] of cases) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof pd.InvalidInputError, `${field}: ${e}`);
      assert.equal(e.details.field, field);
      const text = `${e.message} ${JSON.stringify(e)} ${e.stack}`;
      for (const s of secrets) assert.ok(!text.includes(s), `${field}: ${s} in ${text}`);
      return true;
    });
  }
});
