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

export class InvalidInputError extends PagerDutyError {}
export class WrongKeyKindError extends PagerDutyError {}
export class UnauthorizedError extends PagerDutyError {}
export class ForbiddenError extends PagerDutyError {}
export class NotFoundError extends PagerDutyError {}
export class RateLimitedError extends PagerDutyError {
  get retryAfterMs() { return this.details.retryAfterMs; }
}
export class InvalidEventError extends PagerDutyError {}
export class HttpError extends PagerDutyError {}
export class TransportError extends PagerDutyError {}
export class TimeoutError extends PagerDutyError {}
export class DecodeError extends PagerDutyError {}
export class InvalidSignatureError extends PagerDutyError {}
export class CancelledError extends PagerDutyError {}
export class InternalError extends PagerDutyError {}
/** A list walk reached PagerDuty's 10,000-record offset cap with records left over. */
export class TruncatedError extends PagerDutyError {}

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
};

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
