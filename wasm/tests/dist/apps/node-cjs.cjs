// Node / Bun, CommonJS: `require` by name (the exercise itself is shared ESM code).
const pd = require('pagerduty-wasm');

import('./exercise.mjs')
  .then(({ exercise }) => exercise(pd, process.env.PD_SIM_URL, process.env.PD_LABEL))
  .then((r) => console.log(`RESULT ${JSON.stringify(r)}`), (e) => { console.error(e); process.exitCode = 1; });
