// An application bundled for Node (AWS Lambda style): ESM source, bundled by esbuild.
import { EventsClient, RestClient, NotFoundError, PagerDutyError, version } from 'pagerduty-wasm';
import { exercise } from './exercise.mjs';

exercise({ EventsClient, RestClient, NotFoundError, PagerDutyError, version }, process.env.PD_SIM_URL, process.env.PD_LABEL)
  .then((r) => console.log(`RESULT ${JSON.stringify(r)}`), (e) => { console.error(e); process.exitCode = 1; });
