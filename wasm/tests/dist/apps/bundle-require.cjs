// An application bundled for Node: CommonJS source (`require`), bundled by esbuild.
const { exercise } = require('./exercise.mjs');
const pd = require('pagerduty-wasm');

exercise(pd, process.env.PD_SIM_URL, process.env.PD_LABEL)
  .then((r) => console.log(`RESULT ${JSON.stringify(r)}`), (e) => { console.error(e); process.exitCode = 1; });
