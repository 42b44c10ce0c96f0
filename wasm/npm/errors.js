// Every error the package throws is a PagerDutyError subclass with a stable `code`.

export class PagerDutyError extends Error {
  constructor(message, { code = 'internal', status, requestId, details = {}, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.requestId = requestId;
    this.details = details;
    // Events only: the dedup_key that was sent (set on every error once a key was chosen), so
    // a caller who re-sends after an error cannot open a second incident.
    this.dedupKey = undefined;
  }
}

// <generated:errors> (scripts/gen-bindings.sh, from the core's ErrorCode: do not edit)
/** A field given by the caller is invalid; nothing was sent. */
export class InvalidInputError extends PagerDutyError {}
/** A key of one kind was given where another is needed; nothing was sent. */
export class WrongKeyKindError extends PagerDutyError {}
/** 401: the key is wrong, revoked, or for another region. */
export class UnauthorizedError extends PagerDutyError {}
/** 403: a read-only key, or a user token without the permission. */
export class ForbiddenError extends PagerDutyError {}
/** 404: no such resource. */
export class NotFoundError extends PagerDutyError {}
/** 429 (or Events API v1's 403): retry later. */
export class RateLimitedError extends PagerDutyError {
  get retryAfterMs() { return this.details.retryAfterMs; }
}
/** Events API 400: PagerDuty refused the event and said why. */
export class InvalidEventError extends PagerDutyError {}
/** Any other HTTP error status (a redirect included: never followed). */
export class HttpError extends PagerDutyError {}
/** No answer: connection, TLS or DNS failure. */
export class TransportError extends PagerDutyError {}
/** No answer in time. */
export class TimeoutError extends PagerDutyError {}
/** The answer could not be understood (or was larger than the size cap). */
export class DecodeError extends PagerDutyError {}
/** A webhook's signature did not verify. */
export class InvalidSignatureError extends PagerDutyError {}
/** The caller cancelled, or closed the client. */
export class CancelledError extends PagerDutyError {}
/** A bug in this library (a panic caught at the boundary): please report it. */
export class InternalError extends PagerDutyError {}
/** A list walk reached PagerDuty's 10,000-record offset cap with records left over. */
export class TruncatedError extends PagerDutyError {}
/** 400: it already exists (an open incident has this incident_key): nothing was created. */
export class AlreadyExistsError extends PagerDutyError {}
/** An OAuth token came without scopes that were asked for (PagerDuty drops invalid scopes). */
export class ScopeNotGrantedError extends PagerDutyError {}

const BY_CODE = {
  invalid_input: InvalidInputError,
  wrong_key_kind: WrongKeyKindError,
  unauthorized: UnauthorizedError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  rate_limited: RateLimitedError,
  invalid_event: InvalidEventError,
  http_error: HttpError,
  transport: TransportError,
  timeout: TimeoutError,
  decode: DecodeError,
  invalid_signature: InvalidSignatureError,
  cancelled: CancelledError,
  internal: InternalError,
  truncated: TruncatedError,
  already_exists: AlreadyExistsError,
  scope_not_granted: ScopeNotGrantedError,
};
// </generated:errors>

/** The factory the wasm module calls for every error of the core. */
export function makeError(code, message, status, requestId, details) {
  const Class = BY_CODE[code] || PagerDutyError;
  return new Class(message, { code, status, requestId, details: details || {} });
}

/** A trap in the wasm module (a Rust panic) as an InternalError; anything else unchanged. */
export function fromThrown(e) {
  if (e instanceof WebAssembly.RuntimeError) {
    return new InternalError(`pagerduty-wasm: internal error (${e.message}); please report it`, { code: 'internal', cause: e });
  }
  return e;
}
