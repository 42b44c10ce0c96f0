// A module Worker that imports this package runs its own top level (where it sets `onmessage`
// or calls `addEventListener('message', ...)`) only once the package has loaded the wasm module
// (top-level await); a message posted to the worker meanwhile reaches no handler and is lost.
// So, in a dedicated worker, while the package loads (and one task more, for the importing
// module to run), every message that arrives is recorded, and a handler set or added in that
// time is given, before anything else, the messages that arrived before it was there: each
// handler gets each message once, in order. Handlers that were there before the package began
// to load (a worker that imports it dynamically) see their messages as usual and nothing twice.
// Nothing is done anywhere else (pages, Node, service and shared workers).

/** Starts recording; returns the function that ends it (after one more task). */
export function holdWorkerMessages() {
  const scope = globalThis;
  const Dedicated = scope.DedicatedWorkerGlobalScope;
  if (typeof Dedicated !== 'function' || !(scope instanceof Dedicated)) return () => {};
  const add = scope.addEventListener;
  const remove = scope.removeEventListener;
  // The messages that arrived: each with the `onmessage` of that moment, and whether the
  // `onmessage` handler set later has had it.
  const held = [];
  // The message listeners added while recording: each owed the messages before `upto`.
  const added = [];

  const copy = (e) => {
    const c = new MessageEvent('message', { data: e.data, origin: e.origin, lastEventId: e.lastEventId, source: e.source, ports: [...e.ports] });
    Object.defineProperties(c, { target: { value: scope }, currentTarget: { value: scope } });
    return c;
  };
  const call = (listener, e) => {
    try {
      if (typeof listener === 'function') listener.call(scope, e);
      else if (listener && typeof listener.handleEvent === 'function') listener.handleEvent(e);
    } catch (err) {
      // As an exception in a handler called by the runtime: reported, the others still called.
      if (typeof scope.reportError === 'function') scope.reportError(err);
      else setTimeout(() => { throw err; });
    }
  };
  const captureOf = (options) => (typeof options === 'boolean' ? options : Boolean(options && options.capture));

  /** Gives the handlers that came late the messages they missed (oldest first). */
  const flush = () => {
    const slot = scope.onmessage;
    if (typeof slot === 'function') {
      for (const h of held) {
        if (h.slot === null && !h.toSlot) { h.toSlot = true; call(slot, copy(h.event)); }
      }
    }
    for (const a of added) {
      while (!a.gone && a.next < a.upto) {
        if (a.signal && a.signal.aborted) { a.gone = true; break; }
        const h = held[a.next++];
        if (a.once) { a.gone = true; remove.call(scope, 'message', a.listener, a.capture); }
        call(a.listener, copy(h.event));
      }
    }
  };

  // Registered now, so it runs before any handler set or added from here on: a live message
  // reaches a late handler only after the older ones it missed.
  const record = (e) => {
    if (!e.isTrusted) return;
    flush();
    held.push({ event: e, slot: scope.onmessage, toSlot: false });
  };
  add.call(scope, 'message', record);

  function addEventListener(type, listener, options) {
    add.call(this, type, listener, options);
    if (this !== scope || type !== 'message' || !listener) return;
    const capture = captureOf(options);
    if (added.some((a) => !a.gone && a.listener === listener && a.capture === capture)) return;
    const o = typeof options === 'object' && options !== null ? options : {};
    added.push({ listener, capture, once: Boolean(o.once), signal: o.signal, next: 0, upto: held.length, gone: false });
  }
  function removeEventListener(type, listener, options) {
    remove.call(this, type, listener, options);
    if (this !== scope || type !== 'message') return;
    const capture = captureOf(options);
    for (const a of added) if (a.listener === listener && a.capture === capture) a.gone = true;
  }
  const own = (value) => ({ value, configurable: true, writable: true, enumerable: false });
  Object.defineProperties(scope, { addEventListener: own(addEventListener), removeEventListener: own(removeEventListener) });

  return () => {
    setTimeout(() => {
      flush();
      remove.call(scope, 'message', record);
      if (scope.addEventListener === addEventListener) delete scope.addEventListener;
      if (scope.removeEventListener === removeEventListener) delete scope.removeEventListener;
      held.length = 0;
      added.length = 0;
    }, 0);
  };
}
