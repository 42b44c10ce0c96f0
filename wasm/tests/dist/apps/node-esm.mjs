// Node / Deno / Bun, ESM: `import` by name.
import * as pd from 'pagerduty-wasm';
import { exercise } from './exercise.mjs';

console.log(`RESULT ${JSON.stringify(await exercise(pd, process.env.PD_SIM_URL, process.env.PD_LABEL))}`);
