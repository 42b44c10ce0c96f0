// A browser page (bundled by Vite or esbuild): the simulator's URL comes in the query string;
// the result (or the error) is put on <body data-result> for the runner to read.
import * as pd from 'pagerduty-wasm';
import { exercise } from './exercise.mjs';

const params = new URLSearchParams(location.search);
exercise(pd, params.get('sim'), params.get('label'))
  .then((r) => { document.body.dataset.result = JSON.stringify(r); })
  .catch((e) => { document.body.dataset.result = JSON.stringify({ error: String((e && e.stack) || e) }); });
