// The browser example in headless Chromium, for `make demo`: serves the page, lets it list the
// open incidents, prints what it shows, acknowledges the first triggered one (against the
// simulator only: never someone's real incident), and saves a screenshot.
//
//   node examples/browser/demo.mjs        (after scripts/build-npm.sh and wasm/tools' npm ci)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from '../../wasm/tools/node_modules/playwright-core/index.mjs';
import { serve, configFromEnv } from './serve.mjs';

const config = configFromEnv();
const site = await serve(config);
const browser = await chromium.launch({
  executablePath: execFileSync('sh', ['-c', 'command -v chromium']).toString().trim(),
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(site.url);
  await page.waitForSelector('body[data-ready]', { timeout: 60000 });
  console.log(`page says: ${await page.textContent('#status')}`);
  const rows = await page.$$eval('#incidents tr', (trs) => trs.slice(0, 5).map((tr) => [...tr.children].slice(0, 3).map((td) => td.textContent).join('  ')));
  for (const r of rows) console.log(`  ${r}`);
  const button = await page.$('#incidents button');
  if (config.baseUrl && button) {
    await button.click();
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Acknowledged') || document.getElementById('status').textContent.startsWith('Could not'));
    console.log(`clicked Acknowledge; page says: ${await page.textContent('#status')}`);
  }
  const shot = fileURLToPath(new URL('../../target/browser-demo.png', import.meta.url));
  await page.screenshot({ path: shot, fullPage: false });
  console.log(`screenshot: ${shot}`);
} finally {
  await browser.close();
  site.close();
}
