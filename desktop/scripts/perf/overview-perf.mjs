// Overview performance in headless Chromium with software GL (--disable-gpu): first paint after
// login with the demo data, then the overview map with N generated sites changing 10 times a
// second (`?loadtest=N`): frame rate, worst frame and long tasks, idle and while panning.
// Optional CPU profile summary (--profile) to see where the main thread spends its time.
//
//   node desktop/scripts/perf/overview-perf.mjs [--ui DIR] [--sites 200] [--seconds 10] [--runs 3] [--profile] [--trace] [--query 'k=v&…' (extra URL parameters)] [--paint-only]
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { summariseProfile, summariseTrace } from './profile-summary.mjs';

const repo = new URL('../../../', import.meta.url).pathname;
const { values: opt } = parseArgs({
  options: {
    ui: { type: 'string', default: join(repo, 'desktop/dist/renderer') },
    sites: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
    query: { type: 'string', default: '' },
    'paint-only': { type: 'boolean', default: false },
  },
});
const PASSWORD = 'demo-pass-1234';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

function startCloud() {
  const child = spawn(join(repo, 'node_modules/.bin/tsx'), ['sync-server/src/main.ts', '--port', '0', '--demo', '--ui', opt.ui, '--data', mkdtempSync(join(tmpdir(), 'cr-perf-'))], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d) => {
      out += d;
      const m = /cloud listening on (http:\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`cloud exited ${code}: ${out.slice(-1500)}`)));
  });
}

// Page scripts as strings: the console's CSP has no unsafe-eval, but CDP evaluation is allowed.
const WATCH_LOGIN = `(() => {
  const w = window;
  document.querySelector('[data-testid="login-submit"]').addEventListener('click', () => (w.__t0 = performance.now()), { capture: true, once: true });
  new MutationObserver(() => {
    if (!w.__list && document.querySelector('[data-testid^="site-list-item-"]')) {
      w.__list = 1;
      requestAnimationFrame(() => setTimeout(() => (w.__listPainted = performance.now()), 0));
    }
    if (!w.__map && document.querySelector('[data-testid="overview-map"][data-ready="true"]')) {
      w.__map = 1;
      requestAnimationFrame(() => setTimeout(() => (w.__mapReady = performance.now()), 0));
    }
  }).observe(document.body, { childList: true, subtree: true, attributes: true });
})()`;

const LONG_TASKS = `(() => {
  window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(Math.round(e.duration)); }).observe({ type: 'longtask' });
})()`;

const countFrames = (ms) => `new Promise((resolve) => {
  window.__long = [];
  let frames = 0, worst = 0;
  const start = performance.now();
  let prev = start;
  const tick = (t) => {
    frames++;
    worst = Math.max(worst, t - prev);
    prev = t;
    if (t - start < ${ms}) requestAnimationFrame(tick);
    else resolve({ fps: Math.round((frames * 10000) / (t - start)) / 10, worstFrameMs: Math.round(worst), longTasks: window.__long.length, longestTaskMs: Math.max(0, ...window.__long) });
  };
  requestAnimationFrame(tick);
})`;

const waitFor = async (page, expr, ms = 30_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await page.evaluate(expr)) return;
    await page.waitForTimeout(20);
  }
  throw new Error(`timed out waiting for ${expr}`);
};

const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'toplevel', 'gpu'];

async function firstPaint(browser, url) {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  if (opt.trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await page.goto(`${url}/`);
  await page.getByTestId('login-email').fill('hq@demo.local');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.evaluate(WATCH_LOGIN);
  await page.getByTestId('login-submit').click();
  await waitFor(page, 'Boolean(window.__listPainted && window.__mapReady)');
  const r = await page.evaluate('({ list: Math.round(window.__listPainted - window.__t0), map: Math.round(window.__mapReady - window.__t0) })');
  return { page, ...r };
}

async function mapUnderLoad(page, url, seconds) {
  await page.goto(`${url}/?loadtest=${opt.sites}${opt.query ? `&${opt.query}` : ''}#/overview`);
  await waitFor(page, `Boolean(document.querySelector('[data-testid="overview-map"][data-ready="true"]'))`);
  await page.evaluate(LONG_TASKS);
  const afterFirstDraw = await page.evaluate(countFrames(1000));
  await page.waitForTimeout(1000);
  const cdp = opt.profile ? await page.context().newCDPSession(page) : undefined;
  if (cdp) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
  const idle = await page.evaluate(countFrames(seconds * 1000));
  const profile = cdp ? (await cdp.send('Profiler.stop')).profile : undefined;
  const box = await page.getByTestId('overview-map').boundingBox();
  const panning = page.evaluate(countFrames(3000));
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 0; i < 60; i++) await page.mouse.move(cx + Math.sin(i / 6) * 200, cy + Math.cos(i / 6) * 120, { steps: 2 });
  await page.mouse.up();
  return { afterFirstDraw, idle, panning: await panning, profile };
}

const cloud = await startCloud();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
try {
  for (let run = 1; run <= Number(opt.runs); run++) {
    const { page, list, map } = await firstPaint(browser, cloud.url);
    if (opt['paint-only']) {
      console.log(JSON.stringify({ run, firstPaint: { siteListMs: list, mapReadyMs: map } }));
      await page.context().close();
      continue;
    }
    const load = await mapUnderLoad(page, cloud.url, Number(opt.seconds));
    console.log(JSON.stringify({ run, firstPaint: { siteListMs: list, mapReadyMs: map }, sites: Number(opt.sites), afterFirstDraw: load.afterFirstDraw, updating: load.idle, panning: load.panning }));
    if (load.profile) console.log(summariseProfile(load.profile, 25));
    if (opt.trace) console.log(summariseTrace(JSON.parse((await browser.stopTracing()).toString()).traceEvents));
    await page.context().close();
  }
} finally {
  await browser.close();
  cloud.child.kill('SIGTERM');
}
