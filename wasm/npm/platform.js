// What differs between runtimes; the entry point (node.js, browser.js) fills it in before the
// client module runs.
export const platform = {
  // Looked up at each request, so a fetch installed later (a polyfill, a test double) is used.
  fetch: (url, init) => globalThis.fetch(url, init),
  random16: () => globalThis.crypto.getRandomValues(new Uint8Array(16)),
  // A transport factory (userAgent, {ca}) => transport that replaces fetch by default (Node's
  // node:http); `ca` is extra PEM to trust beside the system's roots.
  transport: undefined,
  // Reads a text file (Node: the `caFile` option); undefined where there are no files.
  readFile: undefined,
  userAgent: undefined,
  // Whether a Buffer is UTF-8 (Node's buffer.isUtf8); undefined elsewhere (TextDecoder checks).
  isUtf8: undefined,
  browser: false,
};
