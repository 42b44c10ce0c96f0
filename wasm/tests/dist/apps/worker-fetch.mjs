// Cloudflare workerd: a module worker whose fetch handler uses the package (bundled the way
// wrangler does: the `workerd` condition, the .wasm left as a module of its own).
import * as pd from 'pagerduty-wasm';
import { exercise } from './exercise.mjs';

export default {
  async fetch(request, env) {
    try {
      return Response.json(await exercise(pd, env.SIM_URL, new URL(request.url).searchParams.get('label')));
    } catch (e) {
      return Response.json({ error: String((e && e.stack) || e) }, { status: 500 });
    }
  },
};
