// Browser tests for DB Lab in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): the home page, the playground terminal (help, the virtual clock, the AWS
// CLI with and without credentials, CloudShell, `aws configure`), the first lesson completed
// through "show me", persistence across a reload, axe-core accessibility checks, screenshots
// and the first-render budget.
//
//   node tests/browser/run.mjs
//
// Environment:
//   DBLAB_URL        app to test (default: serve DBLAB_DIST with serve.mjs on port 8123 or a free one)
//   DBLAB_DIST       build to serve (default: <repo>/dist)
//   DBLAB_ARTIFACTS  where screenshots go (default: <repo>/artifacts)
//   CHROMIUM         browser binary (default: /usr/bin/chromium)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const DIST = path.resolve(process.env.DBLAB_DIST || path.join(ROOT, 'dist'));
const ARTIFACTS = path.resolve(process.env.DBLAB_ARTIFACTS || path.join(ROOT, 'artifacts'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE_PATH = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');

const WAIT_MS = 10_000; // default for every wait
const STEP_DONE_MS = 5_000; // a lesson step must turn .done this fast after "run solution"
const FIRST_RENDER_BUDGET_MS = 1_000;
const WATCHDOG_MS = 10 * 60_000;
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 375, height: 740 };
const LESSON_STEPS = 8;

const t0 = Date.now();
const results = []; // { name, ok, ms, error?, skipped? }
const consoleErrors = [];
const failedRequests = [];
const facts = {}; // values carried between steps
const typed = {}; // tab name -> last command typed in it (for the history check)

setTimeout(() => {
  console.error(`\nWATCHDOG: browser tests still running after ${WATCHDOG_MS / 1000} s, giving up`);
  process.exit(2);
}, WATCHDOG_MS).unref();

// ---------------------------------------------------------------------------------------------
// Small utilities

class StepError extends Error {}
const fail = (msg) => {
  throw new StepError(msg);
};
const assert = (cond, msg) => {
  if (!cond) fail(msg);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const short = (s, n = 300) => {
  const t = String(s ?? '').replace(/\s+$/, '');
  return t.length > n ? `${t.slice(0, n)}... (${t.length} chars)` : t;
};

/**
 * Polls `fn` until it returns a truthy value; fails after `timeout` ms with `what` (a string, or a
 * function giving one, so the message can show the state at the time of failure).
 */
async function waitUntil(fn, what, timeout = WAIT_MS, interval = 50) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) {
      const desc = typeof what === 'function' ? await Promise.resolve(what()).catch((e) => `? (${e.message})`) : what;
      fail(`timed out after ${timeout} ms waiting for ${desc}${last ? ` (${last.message.split('\n')[0]})` : ''}`);
    }
    await sleep(interval);
  }
}

const MONTHS = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
/** Parses `date` output such as "Thu Nov 26 09:00:00 UTC 2026" to epoch milliseconds. */
function parseDate(text) {
  const m = /\b[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})\b/.exec(text);
  assert(m && m[1] in MONTHS, `cannot parse date output ${JSON.stringify(short(text))} (expected like "Thu Nov 26 09:00:00 UTC 2026")`);
  return Date.UTC(Number(m[6]), MONTHS[m[1]], Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** The JSON object in a command's output (tolerates text around it). */
function parseJson(text, what) {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  assert(start >= 0 && end > start, `${what}: no JSON object in output ${JSON.stringify(short(text))}`);
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch (err) {
    return fail(`${what}: output is not valid JSON (${err.message}): ${short(text)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Browser

let server = null;
let baseUrl = process.env.DBLAB_URL ? process.env.DBLAB_URL.replace(/\/+$/, '') : null;
if (!baseUrl) {
  try {
    server = await startServer({ root: DIST, port: 8123 });
  } catch (err) {
    console.error(`cannot start the static server: ${err.message}`);
    process.exit(1);
  }
  baseUrl = server.url;
}
mkdirSync(ARTIFACTS, { recursive: true });
for (const f of readdirSync(ARTIFACTS)) {
  if (/^fail-.*\.png$/.test(f)) rmSync(path.join(ARTIFACTS, f)); // from an earlier run
}
const profileDir = mkdtempSync(path.join(os.tmpdir(), 'dblab-chromium-'));

console.log(`DB Lab browser tests against ${baseUrl}${server ? ` (serving ${DIST})` : ''}`);
console.log(`browser ${CHROMIUM}, profile ${profileDir}, artifacts ${ARTIFACTS}\n`);

let context;
try {
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: DESKTOP,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
} catch (err) {
  console.error(`cannot launch Chromium (${CHROMIUM}): ${err.message}`);
  await server?.close();
  rmSync(profileDir, { recursive: true, force: true });
  process.exit(1);
}
const page = context.pages()[0] || (await context.newPage());
page.setDefaultTimeout(WAIT_MS);
page.setDefaultNavigationTimeout(30_000);

let currentStep = 'startup';
page.on('console', (msg) => {
  if (msg.type() !== 'error') return;
  // A chunk's fetch cut short because the test moved to another page (the split loader logs
  // it as it gives up): the page that asked is gone, nothing failed for a learner.
  if (/Response body loading was aborted/.test(msg.text())) return;
  const loc = msg.location();
  const where = loc?.url ? ` (${loc.url}${loc.lineNumber ? `:${loc.lineNumber}` : ''})` : '';
  consoleErrors.push(`[${currentStep}] console.error on ${page.url()}: ${msg.text()}${where}`);
});
page.on('pageerror', (err) => {
  consoleErrors.push(`[${currentStep}] uncaught exception on ${page.url()}: ${err.stack || err.message}`);
});
page.on('requestfailed', (req) => {
  failedRequests.push(`[${currentStep}] ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
});
page.on('response', (res) => {
  if (res.status() >= 400) failedRequests.push(`[${currentStep}] HTTP ${res.status()} ${res.url()}`);
});

// Records when the first <h1> appears, relative to navigation start (performance.now()).
await page.addInitScript(() => {
  const check = () => {
    if (window.__dblabFirstH1 === undefined && document.querySelector('h1')) {
      window.__dblabFirstH1 = performance.now();
    }
  };
  check();
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
});

const url = (p) => `${baseUrl}${p}`;

// ---------------------------------------------------------------------------------------------
// Terminal helpers (they act on the terminal that is currently shown)

const termInput = () => page.locator('input.terminal-input:visible').first();
// The last one: the prompt next to the input comes after the scrollback in the page.
const termPrompt = () => page.locator('.terminal-prompt:visible').last();

/** State of the shown scrollback (.terminal-output): echoed inputs and output chunks. */
function termState() {
  return page.evaluate(() => {
    const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const all = [...document.querySelectorAll('.terminal-output')];
    const out = all.find(shown) || all[0];
    if (!out) return null;
    return {
      inputs: out.querySelectorAll('.term-input').length,
      outputs: [...out.querySelectorAll('.term-output')].map((e) => e.innerText),
    };
  });
}

/** The last command typed at a shell prompt (ending in $ or #) in the shown scrollback. */
function lastShellCommand() {
  return page.evaluate(() => {
    const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const all = [...document.querySelectorAll('.terminal-output')];
    const out = all.find(shown) || all[0];
    const lines = out ? [...out.querySelectorAll('.term-input')] : [];
    for (let i = lines.length - 1; i >= 0; i--) {
      const prompt = lines[i].querySelector('.term-prompt, .terminal-prompt')?.textContent ?? '';
      if (/[$#]\s*$/.test(prompt)) return lines[i].textContent.slice(prompt.length).trim();
    }
    return null;
  });
}

async function selectLaptopTab() {
  if ((await activeTabIndex()) !== 0) {
    await page.locator('.term-tab').first().click();
    await waitUntil(async () => (await activeTabIndex()) === 0, 'the first (laptop) tab to be .active');
  }
}

async function promptText() {
  const p = termPrompt();
  return (await p.count()) ? (await p.innerText()).trim() : null;
}

/**
 * Types `cmd` in the shown terminal and presses Enter. Waits for its echo (a new .term-input),
 * then until the output stops changing. Returns the text of the new .term-output chunks
 * (joined by newlines; '' when the command printed nothing).
 */
async function runCommand(cmd, tab) {
  const before = await waitUntil(termState, 'the terminal scrollback (.terminal-output)');
  const input = termInput();
  await input.click();
  await input.fill(cmd);
  await input.press('Enter');
  await waitUntil(
    async () => ((await termState())?.inputs ?? 0) > before.inputs,
    `the echo of "${cmd}" (.term-input count to grow past ${before.inputs})`,
  );
  // Settle: the output is stable for 100 ms.
  let prev = JSON.stringify(await termState());
  for (let i = 0; i < 40; i++) {
    await sleep(100);
    const now = JSON.stringify(await termState());
    if (now === prev) break;
    prev = now;
  }
  const after = JSON.parse(prev);
  assert(after, `the terminal scrollback disappeared after "${cmd}"`);
  if (tab) typed[tab] = cmd;
  const text = after.outputs.slice(before.outputs.length).join('\n');
  console.log(`    $ ${cmd}${text ? `\n      ${short(text, 400).replace(/\n/g, '\n      ')}` : ''}`);
  return text;
}

/** Answers an interactive prompt (e.g. of `aws configure`) whose text starts with `expected`. */
async function answerPrompt(expected, value) {
  const text = await waitUntil(
    async () => {
      const t = await promptText();
      return t !== null && t.startsWith(expected) ? t : null;
    },
    async () => `the prompt "${expected}..." in .terminal-prompt (it shows ${JSON.stringify(await promptText())})`,
  );
  const input = termInput();
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await waitUntil(async () => (await promptText()) !== text, `the prompt "${text}" to be answered`);
  console.log(`    ${text} ${expected.includes('Secret') ? '****' : value}`);
}

async function activeTabIndex() {
  return page.locator('.term-tab').evaluateAll((tabs) => tabs.findIndex((t) => t.classList.contains('active')));
}

async function stepsState() {
  return page.locator('.step').evaluateAll((els) => els.map((e) => e.classList.contains('done')));
}

async function gotoAndWait(p, selector) {
  await page.goto(url(p));
  await page.locator(selector).first().waitFor({ state: 'visible' });
}

async function screenshot(name) {
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file });
  console.log(`    screenshot ${file}`);
}

async function axeCheck(label) {
  try {
    await page.addScriptTag({ path: AXE_PATH });
  } catch {
    // A Content-Security-Policy may refuse injected script tags; evaluate bypasses it.
    await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  }
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document);
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
  const bad = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = res.filter((v) => !bad.includes(v));
  if (minor.length) {
    console.log(`    axe ${label}: ${minor.length} minor/moderate: ${minor.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
  }
  if (bad.length) {
    const lines = bad.flatMap((v) => [
      `${v.impact}: ${v.id}: ${v.help} (${v.helpUrl})`,
      ...v.nodes.slice(0, 5).map((n) => `    at ${n.target}: ${short(n.summary, 200).replace(/\n/g, ' ')}`),
      ...(v.nodes.length > 5 ? [`    ... and ${v.nodes.length - 5} more`] : []),
    ]);
    fail(`axe on ${label}: ${bad.length} serious/critical violation(s):\n      ${lines.join('\n      ')}`);
  }
  console.log(`    axe ${label}: no serious or critical violations`);
}

// ---------------------------------------------------------------------------------------------
// Steps

async function step(name, needs, fn) {
  const missing = needs.filter((n) => !results.find((r) => r.name === n && r.ok));
  if (missing.length) {
    results.push({ name, ok: false, skipped: true, ms: 0, error: `skipped: needs ${missing.join(', ')}` });
    console.log(`SKIP ${name} (needs ${missing.join(', ')})`);
    return;
  }
  currentStep = name;
  console.log(`---- ${name}`);
  const start = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - start });
    console.log(`ok   ${name} (${Date.now() - start} ms)`);
  } catch (err) {
    const msg = err instanceof StepError ? err.message : err.stack || String(err);
    results.push({ name, ok: false, ms: Date.now() - start, error: msg });
    console.log(`FAIL ${name}: ${msg}`);
    const shot = path.join(ARTIFACTS, `fail-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    console.log(`     page ${page.url()}, screenshot ${shot}`);
  }
}

await step('a. home page', [], async () => {
  const navStart = Date.now();
  await page.goto(url('/'));
  await page.locator('h1').first().waitFor({ state: 'attached' });
  const nodeSide = Date.now() - navStart;
  const inPage = await page.evaluate(() => window.__dblabFirstH1);
  facts.firstRenderMs = Math.round(typeof inPage === 'number' ? inPage : nodeSide);
  console.log(`    first render (navigation start to <h1>): ${facts.firstRenderMs} ms`);
  const heading = page.getByRole('heading', { name: /DB Lab/ }).first();
  await heading.waitFor({ state: 'visible' }).catch(async () => {
    const hs = await page.locator('h1, h2, h3').allInnerTexts();
    fail(`no heading containing "DB Lab" on / (headings: ${JSON.stringify(hs)})`);
  });
  await page.locator('a[href="/playground"]').first().click();
  await page.waitForURL(/\/playground$/);
});

await step('first render budget', ['a. home page'], async () => {
  assert(
    facts.firstRenderMs <= FIRST_RENDER_BUDGET_MS,
    `first render took ${facts.firstRenderMs} ms, budget ${FIRST_RENDER_BUDGET_MS} ms`,
  );
});

await step('b. playground terminal', ['a. home page'], async () => {
  await termInput().waitFor({ state: 'visible' });
  await termInput().click();
  await waitUntil(termState, 'the terminal scrollback (.terminal-output)');
  const tabs = await page.locator('.term-tab').count();
  assert(tabs >= 1, 'no terminal tab (.term-tab) on /playground');
});

await step('c. help and the clock', ['b. playground terminal'], async () => {
  const help = await runCommand('help', 'laptop');
  assert(help.includes('aws'), `help output does not mention "aws": ${short(help)}`);
  const d1 = await runCommand('date', 'laptop');
  facts.firstDate = parseDate(d1);
  await runCommand('sleep 90', 'laptop');
  const d2 = await runCommand('date', 'laptop');
  const diff = (parseDate(d2) - facts.firstDate) / 1000;
  console.log(`    clock moved ${diff} s across sleep 90`);
  assert(diff >= 90 && diff < 120, `date moved ${diff} s across "sleep 90", expected 90 <= diff < 120 ("${d1}" -> "${d2}")`);
});

await step('d. aws without credentials', ['b. playground terminal'], async () => {
  const out = await runCommand('aws sts get-caller-identity', 'laptop');
  assert(out.includes('Unable to locate credentials'), `expected "Unable to locate credentials" on the laptop, got: ${short(out)}`);
});

await step('e. cloudshell access key', ['b. playground terminal'], async () => {
  const tabsBefore = await page.locator('.term-tab').count();
  const activeBefore = await activeTabIndex();
  await page.locator('button.term-new').first().click();
  await page.locator('button[data-host="cloudshell"]').first().click();
  await waitUntil(async () => (await page.locator('.term-tab').count()) > tabsBefore, 'a new .term-tab after choosing cloudshell');
  await waitUntil(
    async () => {
      const a = await activeTabIndex();
      return a >= 0 && a !== activeBefore;
    },
    async () => `the new cloudshell tab to be .active (active .term-tab index is still ${await activeTabIndex()})`,
  );
  await termInput().waitFor({ state: 'visible' });
  const out = await runCommand('aws iam create-access-key', 'cloudshell');
  const json = parseJson(out, 'aws iam create-access-key');
  const key = json.AccessKey || json;
  assert(/^AKIA[A-Z0-9]{12,}$/.test(key.AccessKeyId || ''), `no AccessKeyId (AKIA...) in ${short(out)}`);
  assert(typeof key.SecretAccessKey === 'string' && key.SecretAccessKey.length >= 20, `no SecretAccessKey in ${short(out)}`);
  facts.accessKeyId = key.AccessKeyId;
  facts.secretAccessKey = key.SecretAccessKey;
  const who = await runCommand('aws sts get-caller-identity', 'cloudshell');
  assert(who.includes('"Arn"'), `get-caller-identity in CloudShell has no "Arn": ${short(who)}`);
});

await step('f. aws configure on the laptop', ['e. cloudshell access key'], async () => {
  await page.locator('.term-tab').first().click();
  await waitUntil(async () => (await activeTabIndex()) === 0, 'the first (laptop) tab to be .active');
  await termInput().waitFor({ state: 'visible' });
  await runCommand('aws configure', 'laptop');
  await answerPrompt('AWS Access Key ID', facts.accessKeyId);
  await answerPrompt('AWS Secret Access Key', facts.secretAccessKey);
  await answerPrompt('Default region name', 'us-east-1');
  await answerPrompt('Default output format', 'json');
  const out = await runCommand('aws sts get-caller-identity', 'laptop');
  const json = parseJson(out, 'aws sts get-caller-identity after aws configure');
  assert('Account' in json, `no "Account" in get-caller-identity output: ${short(out)}`);
});

await step('g. lesson lab-basics via show me', ['a. home page'], async () => {
  await page.locator('a[href="/lessons"]').first().click();
  await page.waitForURL(/\/lessons\/?$/);
  await page.locator('a[href="/lessons/lab-basics"]').first().click();
  await page.waitForURL(/\/lessons\/lab-basics$/);
  await page.locator('.step').first().waitFor({ state: 'visible' });
  for (let i = 0; i < (await page.locator('.step').count()); i++) {
    const s = page.locator('.step').nth(i);
    const title = short((await s.locator('h2, h3, h4').first().innerText().catch(() => '')) || `#${i + 1}`, 60);
    await s.scrollIntoViewIfNeeded();
    const isDone = () => s.evaluate((el) => el.classList.contains('done'));
    const wasDone = await isDone();
    if (wasDone && (await s.locator('button.show-me').count()) === 0) {
      console.log(`    step ${i + 1} "${title}" was already done (no show-me button)`);
      continue;
    }
    await s.locator('button.show-me').first().click().catch((err) => {
      fail(`step ${i + 1} "${title}": cannot click button.show-me: ${err.message.split('\n')[0]}`);
    });
    await s.locator('button.run-solution').first().click().catch((err) => {
      fail(`step ${i + 1} "${title}": cannot click button.run-solution after show-me: ${err.message.split('\n')[0]}`);
    });
    await waitUntil(isDone, `step ${i + 1} "${title}" to get class "done" after running its solution`, STEP_DONE_MS);
    if (wasDone) console.log(`    step ${i + 1} "${title}" was already done (the lab is shared); ran its solution anyway`);
    else console.log(`    step ${i + 1} "${title}" done`);
  }
  const done = await stepsState();
  assert(done.length === LESSON_STEPS, `expected ${LESSON_STEPS} .step elements, found ${done.length}`);
  assert(done.every(Boolean), `steps not done: ${done.map((d, i) => (d ? null : i + 1)).filter(Boolean).join(', ')}`);
  await page.locator('.lesson-complete').first().waitFor({ state: 'visible' }).catch(() => {
    fail('all steps are done but no visible .lesson-complete');
  });
});

await step('h. persistence after reload', ['c. help and the clock', 'g. lesson lab-basics via show me'], async () => {
  // The lesson's solutions run in the shared terminal tabs, so the laptop tab's last command is
  // whatever ran there last: read it from its scrollback before reloading.
  await selectLaptopTab();
  const expected = await lastShellCommand();
  assert(expected, 'no shell command in the laptop tab scrollback before reload');
  if (expected !== typed.laptop) {
    console.log(`    last laptop command before reload: ${JSON.stringify(expected)} (from the lesson's solutions)`);
  }
  await page.reload();
  await waitUntil(async () => {
    const d = await stepsState();
    return d.length === LESSON_STEPS && d.every(Boolean);
  }, async () => `all ${LESSON_STEPS} steps to be .done after reload (done flags: ${JSON.stringify(await stepsState())})`);
  await gotoAndWait('/playground', 'input.terminal-input');
  const active = await activeTabIndex();
  assert(active === 0, `after reload the active terminal tab is #${active}, expected the laptop tab (#0) selected before`);
  const input = termInput();
  await input.focus();
  await input.press('ArrowUp');
  const got = await waitUntil(
    async () => {
      const v = await input.inputValue();
      return v === expected ? v : null;
    },
    async () => `ArrowUp to recall the laptop tab's last command ${JSON.stringify(expected)} (input holds ${JSON.stringify(await input.inputValue())})`,
    3_000,
  );
  console.log(`    ArrowUp recalled ${JSON.stringify(got)}`);
  await input.fill('');
  const d = await runCommand('date', 'laptop');
  const diff = (parseDate(d) - facts.firstDate) / 1000;
  console.log(`    clock is ${diff} s after the first date`);
  assert(diff >= 90 + 300, `the clock is only ${diff} s after the first date, expected >= 390 s (sleep 90 + the lesson's sleep 300)`);
});

await step('i/j. home: screenshot and axe', [], async () => {
  await page.setViewportSize(DESKTOP);
  await gotoAndWait('/', 'h1');
  await screenshot('home.png');
  await axeCheck('/');
});

await step('i/j. playground: screenshot and axe', [], async () => {
  await page.setViewportSize(DESKTOP);
  await gotoAndWait('/playground', 'input.terminal-input');
  await screenshot('playground.png');
  await axeCheck('/playground');
});

await step('i/j. lesson: screenshots and axe', [], async () => {
  await page.setViewportSize(DESKTOP);
  await page.setViewportSize(MOBILE);
  await gotoAndWait('/lessons/lab-basics', '.step');
  await screenshot('lesson-mobile.png');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `at ${MOBILE.width} px the page scrolls sideways by ${overflow} px`);
  await page.setViewportSize(DESKTOP);
  await gotoAndWait('/lessons/lab-basics', '.step');
  await screenshot('lesson.png');
  await axeCheck('/lessons/lab-basics');
});

await step('k. keyboard: completion, history, Ctrl+L', ['b. playground terminal'], async () => {
  await page.setViewportSize(DESKTOP);
  await gotoAndWait('/playground', 'input.terminal-input');
  const input = termInput();
  await input.click();
  await input.fill('hist');
  await input.press('Tab');
  assert((await input.inputValue()) === 'history ', `Tab completed "hist" to "${await input.inputValue()}"`);
  await input.fill('aws st');
  await input.press('Tab');
  assert((await input.inputValue()) === 'aws sts ', `Tab completed "aws st" to "${await input.inputValue()}"`);
  await input.fill('');
  await input.press('Control+l');
  await waitUntil(async () => (await page.locator('.terminal-output .term-input:visible').count()) === 0, 'Ctrl+L clears the screen');
  // Focus returns to the input after clicking anywhere in the terminal.
  await page.locator('.terminal-output').first().click();
  assert(await input.evaluate((el) => el === document.activeElement), 'clicking the terminal focuses the input');
});

await step('l. dark theme: screenshot and axe', [], async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize(DESKTOP);
  await gotoAndWait('/lessons/lab-basics', '.step');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert(bg !== 'rgb(247, 248, 250)', `the dark theme applies (body background ${bg})`);
  await screenshot('lesson-dark.png');
  await axeCheck('/lessons/lab-basics (dark)');
  await page.emulateMedia({ colorScheme: 'light' });
});

await step('m. a damaged, older or newer save shows a notice, never a blank page', [], async () => {
  await page.setViewportSize(DESKTOP);
  await gotoAndWait('/playground', 'input.terminal-input');
  for (const [n, [save, words]] of [
    ['{"format":"dblab-lab","version":1,"lab":42', 'not valid JSON'],
    ['{"format":"dblab-lab","version":99,"lab":{}}', 'newer version'],
    ['{"format":"dblab-lab","version":1,"lab":{}}', 'older version'],
    ['{"format":"dblab-lab","version":2,"active":1,"speed":"X1","lab":"AAAA"}', 'older version'],
    ['{"format":"dblab-lab","version":3,"active":1,"speed":"X1","lab":"AAAA"}', 'older version'],
    ['{"format":"dblab-lab","version":4,"active":1,"speed":"X1","lab":"AAAA"}', 'older version'],
    ['{"format":"dblab-lab","version":5,"active":1,"speed":"X1","lab":"AAAA"}', 'damaged'],
  ].entries()) {
    // The app saves on pagehide, so the damaged save is planted in the next document before the
    // app starts (once: the guard key makes the script a no-op on later loads).
    const guard = `planted-${n}`;
    await page.addInitScript(({ text, guard }) => {
      if (!sessionStorage.getItem(guard)) {
        sessionStorage.setItem(guard, '1');
        localStorage.setItem('dblab.lab', text);
      }
    }, { text: save, guard });
    await page.reload();
    await page.waitForSelector('.notice', { timeout: WAIT_MS });
    const notice = await page.locator('.notice').innerText();
    assert(notice.includes('could not be restored') && notice.includes(words), `notice reads: ${short(notice)}`);
    assert(await page.locator('input.terminal-input').isVisible(), 'the workspace still renders');
    const kept = await page.evaluate(() => localStorage.getItem('dblab.lab.rejected'));
    assert(kept === save, 'the old data is kept aside');
    await page.getByRole('button', { name: 'Dismiss' }).click();
  }
});

await step('n. pasting several lines runs them one by one', ['b. playground terminal'], async () => {
  await page.setViewportSize(DESKTOP);
  await gotoAndWait('/playground', 'input.terminal-input');
  const input = termInput();
  await input.click();
  const before = await page.locator('.terminal-output .term-input:visible').count();
  await input.evaluate((el) => {
    const data = new DataTransfer();
    data.setData('text', 'echo pasted-one\necho pasted-two\necho partial');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await waitUntil(async () => (await page.locator('.terminal-output .term-input:visible').count()) >= before + 2, 'two pasted lines ran');
  const outputs = await page.locator('.terminal-output .term-output:visible').allInnerTexts();
  assert(outputs.slice(-2).join('|') === 'pasted-one|pasted-two', `outputs: ${outputs.slice(-2).join('|')}`);
  assert((await input.inputValue()) === 'echo partial', 'the unfinished last line stays in the input');
  await input.fill('');
});

await step('o. a fault shows in the topology and its button undoes it', ['b. playground terminal'], async () => {
  await page.setViewportSize(DESKTOP);
  await gotoAndWait('/playground', 'input.terminal-input');
  const out = await runCommand('fault az-down us-east-1b');
  assert(out.includes('fault: injected') || out.includes('us-east-1b'), `fault output: ${short(out)}`);
  await waitUntil(async () => (await page.locator('.topology .zone.down').count()) > 0, 'a zone marked down in the topology');
  const down = await page.locator('.topology .zone.down .zone-name').first().innerText();
  assert(down.includes('us-east-1b') && down.includes('down'), `down zone label: ${down}`);
  await page.getByRole('button', { name: 'Recover us-east-1b' }).click();
  await waitUntil(async () => (await page.locator('.topology .zone.down').count()) === 0, 'the zone back after Recover');
  await page.getByRole('button', { name: 'Fail us-east-1b' }).waitFor({ state: 'visible' });
  const list = await runCommand('fault list');
  assert(list.includes('no faults'), `fault list after recovery: ${short(list)}`);
});

await step('p. a password prompt masks what is typed and does not echo it', ['b. playground terminal'], async () => {
  await page.setViewportSize(DESKTOP);
  await gotoAndWait('/playground', 'input.terminal-input');
  await selectLaptopTab();
  await runCommand('mysql -u root -p shop');
  await waitUntil(async () => (await promptText()) === 'Enter password:', 'the prompt "Enter password:"');
  assert((await termInput().getAttribute('type')) === 'password', 'the input masks the password');
  await answerPrompt('Enter password:', 'not-the-password');
  const outputs = await page.locator('.terminal-output .term-output:visible').allInnerTexts();
  assert(outputs.at(-1).includes('Access denied'), `after a wrong password: ${short(outputs.at(-1))}`);
  const echoed = await page.locator('.terminal-output .term-input:visible').allInnerTexts();
  assert(!echoed.some((t) => t.includes('not-the-password')), 'the password is not echoed');
  assert((await termInput().getAttribute('type')) === 'text', 'the input is plain again at the shell');
});

await step('q. a lab that cannot be saved says so, and the last save stays', ['b. playground terminal'], async () => {
  await page.setViewportSize(DESKTOP);
  // Storage that is full for the lab's key while the test's flag is set (inert otherwise).
  await page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (key === 'dblab.lab' && window.sessionStorage.getItem('dblab-test-storage-full') === '1') {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return setItem.call(this, key, value);
    };
  });
  await gotoAndWait('/playground', 'input.terminal-input');
  await runCommand('echo before');
  await page.evaluate(() => sessionStorage.setItem('dblab-test-storage-full', '1'));
  // From here no save can land: this is the last good one.
  const before = await page.evaluate(() => localStorage.getItem('dblab.lab'));
  await runCommand('echo not-saved');
  await waitUntil(async () => (await page.locator('.notice').count()) > 0, 'a notice that the lab could not be saved');
  const notice = await page.locator('.notice').innerText();
  assert(notice.includes('could not be saved') && notice.includes('full'), `notice reads: ${short(notice)}`);
  const after = await page.evaluate(() => localStorage.getItem('dblab.lab'));
  assert(after === before, 'the last good save is kept');
  await page.evaluate(() => sessionStorage.removeItem('dblab-test-storage-full'));
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await waitUntil(async () => (await page.locator('.notice').count()) === 0, 'the notice dismissed');
});

// ---------------------------------------------------------------------------------------------
// Python: real CPython (Pyodide) with boto3 and redis-py, in Web Workers

/** The shown scrollback's text. */
const termText = () =>
  page.evaluate(() => {
    const shown = (el) => el.getClientRects().length > 0;
    const all = [...document.querySelectorAll('.terminal-output')];
    return (all.find(shown) || all[0])?.innerText ?? '';
  });

/** Types a line without waiting for what it prints (a program may take a while). */
async function typeLine(text) {
  const input = termInput();
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

/** Waits until the shown scrollback, past `from` characters, matches `pattern`. */
async function waitForOutput(pattern, from, what, timeout = 30_000) {
  return waitUntil(
    async () => (await termText()).slice(from).match(pattern),
    async () => `${what} (the terminal shows ${JSON.stringify(short((await termText()).slice(from), 600))})`,
    timeout,
  );
}

async function openTab(host) {
  const before = await page.locator('.term-tab').count();
  await page.locator('button.term-new').first().click();
  await page.locator(`button[data-host="${host}"]`).first().click();
  await waitUntil(async () => (await page.locator('.term-tab').count()) > before, `a new ${host} tab`);
  await termInput().waitFor({ state: 'visible' });
  return before; // its index
}

async function selectTab(index) {
  await page.locator('.term-tab').nth(index).click();
  await waitUntil(async () => (await activeTabIndex()) === index, `tab ${index} to be .active`);
}

const PYTHON = {}; // measured numbers, reported at the end

await step('x. the console: a table with a GSI and its items, a Multi-AZ database failed over, a cache with a replica, a VPC and an instance in it, an access key, the export', ['b. playground terminal'], async () => {
  await page.setViewportSize(DESKTOP);
  await gotoAndWait('/playground', 'input.terminal-input');
  try {
    await consoleSteps();
  } finally {
    // The workspace remembers its view: the steps after this one type in the terminal.
    await page.setViewportSize(DESKTOP);
    await page.evaluate(() => localStorage.setItem('dblab.workspace', 'terminal'));
    await page.locator('#view-terminal').click().catch(() => {});
  }
});

async function consoleSteps() {
  const console_ = page.locator('.console');
  const t0 = Date.now();
  await page.locator('#view-console').click();
  await console_.waitFor({ state: 'visible' });
  facts.consoleFirstOpenMs = Date.now() - t0;
  const nextEvent = async (times) => {
    for (let i = 0; i < times && (await page.locator('.next-event').isEnabled()); i++) await page.locator('.next-event').click();
  };

  // DynamoDB: Create table with a sort key and a global secondary index, in the console alone.
  // A page switch, timed in the page: from the click to the new page in the DOM.
  facts.consoleSwitchMs = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const root = document.querySelector('.console');
        const button = [...root.querySelectorAll('.console-service')].find((b) => b.textContent === 'DynamoDB');
        const drawn = () => [...root.querySelectorAll('h2')].some((h) => h.textContent === 'Tables');
        const t = performance.now();
        const finish = (ms) => {
          observer.disconnect();
          resolve(ms);
        };
        const observer = new MutationObserver(() => drawn() && finish(Math.round((performance.now() - t) * 10) / 10));
        observer.observe(root, { subtree: true, childList: true, characterData: true });
        button.click();
        setTimeout(() => finish(-1), 2000);
      }),
  );
  assert(facts.consoleSwitchMs >= 0 && facts.consoleSwitchMs <= 50, `switching to DynamoDB took ${facts.consoleSwitchMs} ms (budget 50)`);
  await console_.getByRole('button', { name: 'Create table' }).first().click();
  await console_.getByLabel('Table name').fill('Music');
  await console_.getByLabel('Partition key', { exact: true }).fill('Artist');
  await console_.getByLabel('Sort key - optional').fill('SongTitle');
  await console_.getByText('Customize settings').click();
  await console_.getByRole('button', { name: 'Create global index' }).click();
  await console_.getByLabel('Index name').fill('AlbumIndex');
  await console_.locator('.index-form').getByLabel('Partition key').fill('AlbumTitle');
  const cli = await console_.locator('.cli-text').innerText();
  assert(cli.startsWith('aws dynamodb create-table') && cli.includes('--global-secondary-indexes') && cli.includes('IndexName'), `CLI equivalent: ${short(cli)}`);
  await console_.locator('form button[type=submit]').click();
  await console_.locator('.flash.good').waitFor();
  await console_.getByRole('button', { name: 'Music' }).waitFor();
  await nextEvent(3);
  await console_.getByRole('button', { name: 'Music' }).click();
  await console_.getByRole('tab', { name: 'Indexes' }).click();
  await console_.getByText('AlbumIndex').waitFor();
  // Explore items: create an item in DynamoDB JSON, scan, edit it.
  await console_.getByRole('tab', { name: 'Explore items' }).click();
  await console_.getByRole('button', { name: 'Create item' }).click();
  const editor = page.locator('dialog.console-dialog textarea');
  await editor.fill('{"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}, "AlbumTitle": {"S": "Songs"}}');
  await page.locator('dialog.console-dialog').getByRole('button', { name: 'Save' }).click();
  await console_.locator('.resource-table td', { hasText: 'Happy Day' }).first().waitFor();
  await console_.getByRole('button', { name: 'Edit' }).first().click();
  await editor.fill('{"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}, "AlbumTitle": {"S": "Songs, Remastered"}}');
  await page.locator('dialog.console-dialog').getByRole('button', { name: 'Save' }).click();
  await console_.locator('.resource-table td', { hasText: 'Songs, Remastered' }).first().waitFor();
  await screenshot('console-dynamodb.png');
  await axeCheck('the console (DynamoDB items)');
  // Additional settings: Time to Live turned on, with its command; the Monitor tab's charts.
  await console_.getByRole('tab', { name: 'Additional settings' }).click();
  await console_.getByLabel('TTL attribute name (epoch seconds)').fill('expires_at');
  assert((await console_.locator('.cli-text').nth(1).innerText()).includes('aws dynamodb update-time-to-live --table-name Music'), 'the TTL command');
  await console_.getByRole('button', { name: 'Turn on TTL' }).click();
  await console_.locator('.flash.good', { hasText: 'Time to Live turned on' }).waitFor();
  await console_.locator('dd', { hasText: /^On$/ }).waitFor();
  await axeCheck('the console (DynamoDB additional settings)');
  await console_.getByRole('tab', { name: 'Monitor' }).click();
  await console_.getByRole('heading', { name: 'CloudWatch metrics' }).waitFor();
  // The terminal sees the same table: the CLI and the console are one lab.
  await page.locator('#view-terminal').click();
  await openTab('cloudshell');
  const got = await runCommand('aws dynamodb get-item --table-name Music --key \'{"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}}\'');
  assert(got.includes('Songs, Remastered'), `get-item after the console's edit: ${short(got)}`);
  await page.locator('#view-console').click();

  // VPC: "VPC and more", its preview and its CLI equivalent, then the subnets it made.
  await console_.getByRole('button', { name: 'VPC', exact: true }).click();
  await console_.getByRole('button', { name: 'Create VPC' }).click();
  await console_.getByLabel('Name tag auto-generation').fill('shop');
  await console_.locator('.vpc-preview', { hasText: 'shop-subnet-private2-us-east-1b' }).waitFor();
  const vpcCli = await console_.locator('.cli-equivalent').innerText();
  assert(vpcCli.includes('VPC_ID=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16') && vpcCli.includes('--vpc-id "$VPC_ID"'), `the VPC's CLI equivalent: ${short(vpcCli)}`);
  await axeCheck('the console (Create VPC)');
  await console_.locator('form button[type=submit]').click();
  await console_.locator('.flash.good', { hasText: 'You successfully created shop-vpc' }).waitFor();
  await console_.getByRole('button', { name: 'Subnets' }).click();
  const subnetRows = await console_.locator('.resource-table').innerText();
  assert(/shop-subnet-public1-us-east-1a[\s\S]*Yes \(public\)/.test(subnetRows) && /shop-subnet-private1-us-east-1a[\s\S]*No \(private\)/.test(subnetRows), `the subnets: ${short(subnetRows)}`);

  // EC2: a security group with an SSH rule in that VPC, and an instance in its public subnet.
  await console_.getByRole('button', { name: 'EC2', exact: true }).click();
  await console_.getByRole('button', { name: 'Security Groups' }).click();
  await console_.getByRole('button', { name: 'Create security group' }).click();
  await console_.getByLabel('Security group name').fill('web');
  await console_.getByLabel('Description').fill('web server');
  const vpcOption = await console_.getByRole('combobox', { name: /^VPC\b/ }).locator('option', { hasText: 'shop-vpc' }).getAttribute('value');
  await console_.getByRole('combobox', { name: /^VPC\b/ }).selectOption(vpcOption);
  await console_.getByRole('button', { name: 'Add rule' }).click();
  await console_.getByRole('group', { name: 'Inbound rule 1' }).getByLabel('Source (CIDR block or security group id)').fill('203.0.113.0/24');
  const sgCli = await console_.locator('.cli-equivalent').innerText();
  assert(sgCli.includes('aws ec2 authorize-security-group-ingress --group-id "$SG_ID" --protocol tcp --port 22 --cidr 203.0.113.0/24'), `the group's CLI equivalent: ${short(sgCli)}`);
  await console_.locator('form button[type=submit]').click();
  await console_.locator('.flash.good', { hasText: 'Security group web was created' }).waitFor();
  await console_.getByRole('button', { name: 'Instances' }).click();
  await console_.getByRole('button', { name: 'Launch instances' }).click();
  await console_.getByLabel('Name', { exact: true }).fill('web');
  const subnetOption = await console_.getByRole('combobox', { name: /^Subnet\b/ }).locator('option', { hasText: 'shop-subnet-public1' }).getAttribute('value');
  await console_.getByRole('combobox', { name: /^Subnet\b/ }).selectOption(subnetOption);
  await console_.getByRole('group', { name: 'Security groups' }).getByLabel(/^web \(sg-/).check();
  await axeCheck('the console (Launch an instance)');
  await console_.locator('form button[type=submit]').click();
  const webRow = console_.locator('tr', { hasText: 'web' });
  await webRow.waitFor();
  assert(/10\.0\.\d+\.\d+/.test(await webRow.innerText()), `the instance has an address of the VPC: ${await webRow.innerText()}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot('console-ec2.png');

  // RDS: a DB subnet group of the VPC's private subnets, in two zones.
  await console_.getByRole('button', { name: 'RDS' }).click();
  await console_.getByRole('button', { name: 'Subnet groups' }).click();
  await console_.getByRole('button', { name: 'Create DB subnet group' }).click();
  await console_.getByLabel('Name', { exact: true }).fill('shop-private');
  await console_.getByLabel('Description').fill('the shop database, private');
  const groupVpc = await console_.getByRole('combobox', { name: /^VPC\b/ }).locator('option', { hasText: 'shop-vpc' }).getAttribute('value');
  await console_.getByRole('combobox', { name: /^VPC\b/ }).selectOption(groupVpc);
  await console_.getByRole('group', { name: 'Subnets' }).getByLabel(/shop-subnet-private1/).check();
  await console_.getByRole('group', { name: 'Subnets' }).getByLabel(/shop-subnet-private2/).check();
  await axeCheck('the console (Create DB subnet group)');
  await console_.locator('form button[type=submit]').click();
  await console_.locator('tr', { hasText: 'shop-private' }).getByText('us-east-1b').waitFor();

  // RDS: a Multi-AZ MySQL database in that private network, then Actions → Reboot with failover.
  await console_.locator('.console-services').getByRole('button', { name: 'RDS' }).click();
  await console_.getByRole('button', { name: 'Create database' }).first().click();
  await console_.getByText('Dev/Test').click();
  await console_.getByLabel('DB instance identifier').fill('shop-db');
  await console_.getByLabel('Master password', { exact: true }).fill('Secret123!');
  await console_.getByLabel('Confirm master password').fill('Secret123!');
  await console_.getByLabel(/^Multi-AZ/).check();
  await console_.getByRole('combobox', { name: /^DB subnet group/ }).selectOption('shop-private');
  const rdsCli = await console_.locator('.cli-text').innerText();
  assert(rdsCli.includes('aws rds create-db-instance --db-instance-identifier shop-db') && rdsCli.includes('--multi-az') && rdsCli.includes('--db-subnet-group-name shop-private'), `RDS CLI equivalent: ${short(rdsCli)}`);
  await console_.locator('form button[type=submit]').click();
  await console_.locator('.flash.good', { hasText: 'Creating database shop-db' }).waitFor();
  await nextEvent(6);
  await waitUntil(async () => (await console_.locator('tr', { hasText: 'shop-db' }).innerText()).includes('Available'), 'shop-db available');
  await console_.getByRole('button', { name: 'shop-db' }).click();
  await console_.getByText('Actions').click();
  await console_.getByRole('menuitem', { name: 'Reboot' }).click();
  const dialog = page.locator('dialog.console-dialog');
  await dialog.getByLabel(/Reboot with failover/).check();
  assert((await dialog.locator('.cli-text').innerText()).includes('--force-failover'), 'the reboot dialog shows --force-failover');
  await dialog.getByRole('button', { name: 'Reboot DB instance' }).click();
  await console_.locator('.flash.good', { hasText: 'Rebooting DB instance shop-db' }).waitFor();
  await screenshot('console-rds.png');
  await axeCheck('the console (an RDS database)');
  await console_.getByRole('tab', { name: 'Monitoring' }).click();
  await console_.locator('.monitor-charts .chart', { hasText: 'CPU' }).waitFor();
  await console_.getByRole('tab', { name: 'Connectivity & security' }).click();
  const rdsDetails = await console_.locator('.console-tab-panel').innerText();
  assert(rdsDetails.includes('shop-private') && /us-east-1[ab]/.test(rdsDetails), `shop-db is in its subnet group: ${short(rdsDetails)}`);
  assert(/Security group rules[\s\S]*default/.test(rdsDetails), `the Connectivity tab lists its security group's rules: ${short(rdsDetails)}`);
  // Modify, once the reboot is over (RDS refuses it while rebooting): only what changed is sent, now.
  await waitUntil(async () => {
    await nextEvent(1);
    return (await console_.locator('.console-head .badge').innerText()) === 'Available';
  }, 'shop-db available after its reboot');
  await console_.getByText('Actions').click();
  await console_.getByRole('menuitem', { name: 'Modify' }).click();
  await console_.getByLabel('Backup retention period (days)').fill('14');
  await console_.getByLabel('Apply immediately').check();
  const modifyCli = await console_.locator('.cli-text').innerText();
  assert(modifyCli.trim() === 'aws rds modify-db-instance --db-instance-identifier shop-db --backup-retention-period 14 --apply-immediately', `Modify's CLI equivalent: ${short(modifyCli)}`);
  await axeCheck('the console (Modify DB instance)');
  await console_.locator('form button[type=submit]').click();
  await console_.locator('.flash.good', { hasText: 'Modifying DB instance shop-db' }).waitFor();
  await console_.getByRole('button', { name: 'Automated backups' }).click();
  await console_.locator('tr', { hasText: 'shop-db' }).getByText('14 days').waitFor();

  // ElastiCache: a cache with a replica.
  await console_.getByRole('button', { name: 'ElastiCache' }).click();
  await console_.getByRole('button', { name: 'Create Redis OSS cache' }).click();
  await console_.getByLabel('Name', { exact: true }).fill('sessions');
  await console_.locator('form button[type=submit]').click();
  await console_.getByRole('button', { name: 'sessions' }).waitFor();
  // Modify shows what it would send (the cache is still being created: it is sent later, natively tested).
  await console_.getByRole('button', { name: 'sessions' }).click();
  await console_.getByRole('button', { name: 'Modify' }).click();
  await console_.getByLabel('Backup retention period (days, 0: off)').fill('3');
  const cacheCli = await console_.locator('.cli-text').innerText();
  assert(cacheCli.trim() === 'aws elasticache modify-replication-group --replication-group-id sessions --snapshot-retention-limit 3 --no-apply-immediately', `Modify's CLI equivalent: ${short(cacheCli)}`);
  await axeCheck('the console (Modify a cache)');
  await console_.getByRole('button', { name: 'Cancel' }).click();

  // IAM: the learner's access key, shown once, then deactivated.
  await console_.getByRole('button', { name: 'IAM' }).click();
  await console_.getByRole('button', { name: 'learner' }).click();
  await console_.getByRole('button', { name: 'Create access key' }).click();
  const keyDialog = page.locator('dialog.console-dialog');
  await keyDialog.getByText('This is the only time').waitFor();
  const keyId = (await keyDialog.locator('dd.mono').first().innerText()).trim();
  assert(/^AKIA[A-Z0-9]{16}$/.test(keyId), `the new access key id: ${keyId}`);
  await keyDialog.getByRole('button', { name: 'Done' }).click();
  await console_.locator('tr', { hasText: keyId }).getByRole('button', { name: 'Deactivate' }).click();
  await console_.locator('tr', { hasText: keyId }).getByText('Inactive').waitFor();

  // Export as script: what the console made, as commands for a real account, and its cost.
  await console_.getByRole('button', { name: 'Export' }).click();
  const exported = await console_.locator('.export-script').first().innerText();
  for (const line of ['aws rds create-db-instance --db-instance-identifier shop-db', 'aws dynamodb create-table', 'aws elasticache create-replication-group --replication-group-id sessions', 'aws ec2 create-vpc --cidr-block 10.0.0.0/16', 'aws ec2 run-instances']) {
    assert(exported.includes(line), `the export has "${line}": ${short(exported)}`);
  }
  const total = await console_.locator('tr', { hasText: 'Total' }).innerText();
  assert(/Total\s+0\.\d{4}/.test(total) && !total.includes('0.0000'), `the hourly total: ${total}`);
  await screenshot('console-export.png');
  await axeCheck('the console (Export as script)');

  // Event history: the console's calls, by name and source.
  await console_.getByRole('button', { name: 'CloudTrail' }).click();
  const history = await console_.locator('.resource-table').innerText();
  for (const name of ['CreateTable', 'PutItem', 'CreateDBInstance', 'RebootDBInstance', 'CreateReplicationGroup', 'GetItem', 'CreateAccessKey', 'UpdateAccessKey', 'CreateVpc', 'AuthorizeSecurityGroupIngress', 'RunInstances']) {
    assert(history.includes(name), `Event history lists ${name}: ${short(history)}`);
  }
  assert(history.includes('console') && history.includes('cloudshell'), 'Event history names the console and CloudShell as sources');
  // On a phone the lists are cards.
  await page.setViewportSize(MOBILE);
  await console_.getByRole('button', { name: 'DynamoDB' }).click();
  // The clock bar fits one row on a phone, down to 360 px.
  for (const width of [MOBILE.width, 360]) {
    await page.setViewportSize({ ...MOBILE, width });
    const tops = await page.evaluate(() =>
      ['.clock', '.clock-bar .segmented', '.next-event', '.lab-menu'].map((s) => Math.round(document.querySelector(s).getBoundingClientRect().top)),
    );
    assert(Math.max(...tops) - Math.min(...tops) <= 8, `the clock bar is one row at ${width} px: tops ${tops}`);
  }
  await page.setViewportSize(MOBILE);
  await screenshot('console-phone.png');
  await axeCheck('the console on a phone');
  // The dark theme: a list, a form with its CLI equivalent, the export.
  await page.emulateMedia({ colorScheme: 'dark' });
  try {
    await axeCheck('the console on a phone (dark)');
    await page.setViewportSize(DESKTOP);
    await console_.getByRole('button', { name: 'VPC', exact: true }).click();
    await console_.getByRole('button', { name: 'Create VPC' }).click();
    await axeCheck('the console (Create VPC, dark)');
    await console_.getByRole('button', { name: 'Export' }).click();
    await screenshot('console-dark.png');
    await axeCheck('the console (Export as script, dark)');
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
  }
}

await step('y. by keyboard: skip links, the terminal from the console, Tab completes, Esc then Tab leaves', ['b. playground terminal'], async () => {
  await page.setViewportSize(DESKTOP);
  // A fresh page that opens on the console (as the workspace remembers it).
  await page.evaluate(() => localStorage.setItem('dblab.workspace', 'console'));
  try {
    await keyboardSteps();
  } finally {
    await page.evaluate(() => localStorage.setItem('dblab.workspace', 'terminal'));
  }
});

async function keyboardSteps() {
  await gotoAndWait('/playground', '.console');
  const active = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || '');
  // From the top of the page: the skip links come first; the second brings the terminal back.
  await page.keyboard.press('Tab');
  assert((await active()) === 'Skip to content', `the first stop is the skip link: ${await active()}`);
  await page.keyboard.press('Tab');
  assert((await active()) === 'Skip to the terminal', `the second stop: ${await active()}`);
  await page.keyboard.press('Enter');
  await waitUntil(async () => (await active()) === 'terminal-input', 'the terminal has the keyboard');
  assert((await page.locator('#view-terminal').getAttribute('aria-selected')) === 'true', 'the workspace shows the terminal');
  // Tab completes and keeps the keyboard in the terminal; Esc then Tab moves on.
  await page.keyboard.type('aws dynam');
  await page.keyboard.press('Tab');
  assert((await termInput().inputValue()).startsWith('aws dynamodb'), `Tab completed: ${await termInput().inputValue()}`);
  assert((await active()) === 'terminal-input', 'Tab alone stays in the terminal');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert((await active()) !== 'terminal-input', 'Esc then Tab leaves the terminal');
  await termInput().fill('');
}

await step('r. python3 starts in the background; boto3 against the lab from the laptop', ['b. playground terminal'], async () => {
  await page.setViewportSize(DESKTOP);
  // A fresh lab, and no cached Python: this is a first visit's cold start. (The page saves
  // the lab on its way out: the old save goes in the next document, before the app starts.)
  await page.evaluate(async () => {
    for (const key of await caches.keys()) await caches.delete(key);
  });
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('fresh-lab-for-r')) {
      sessionStorage.setItem('fresh-lab-for-r', '1');
      localStorage.removeItem('dblab.lab');
    }
  });
  const loadStart = Date.now();
  await gotoAndWait('/playground', 'input.terminal-input');
  assert(await page.evaluate(() => self.crossOriginIsolated), 'the page is cross-origin isolated (COOP/COEP)');
  let from = (await termText()).length;
  await typeLine(`python3 -c 'import boto3; print("boto3", boto3.__version__)'`);
  await waitUntil(async () => /^Starting Python 3\.14 \.\.\./.test((await promptText()) ?? ''), 'the input line to say "Starting Python 3.14 ..."');
  await waitForOutput(/\nboto3 1\.44\.8/, from, 'boto3 imported');
  PYTHON.coldMs = Date.now() - loadStart;
  PYTHON.coldBoot = await page.evaluate(() => self.__dblabPythonBoots?.[0]);
  await waitUntil(async () => /\$$/.test((await promptText()) ?? ''), 'the shell prompt back after the program');

  // Credentials from CloudShell, configured on the laptop, then a script written with a
  // here-document: the table made, waited for, loaded with batch_writer and queried.
  const shell = await openTab('cloudshell');
  const keys = (await runCommand('aws iam create-access-key --query "AccessKey.[AccessKeyId,SecretAccessKey]" --output text')).trim().split(/\s+/);
  assert(keys.length === 2 && keys[0].startsWith('AKIA'), `an access key from CloudShell, got ${JSON.stringify(keys)}`);
  await selectTab(0);
  await runCommand(`aws configure set aws_access_key_id ${keys[0]}`);
  await runCommand(`aws configure set aws_secret_access_key ${keys[1]}`);
  await runCommand('aws configure set region us-east-1');
  const script = [
    "cat > movies.py <<'EOF'",
    'import json, time',
    'import boto3',
    'from boto3.dynamodb.conditions import Key',
    'from decimal import Decimal',
    'table = boto3.resource("dynamodb").create_table(TableName="Movies",',
    '    KeySchema=[{"AttributeName": "year", "KeyType": "HASH"}, {"AttributeName": "title", "KeyType": "RANGE"}],',
    '    AttributeDefinitions=[{"AttributeName": "year", "AttributeType": "N"}, {"AttributeName": "title", "AttributeType": "S"}],',
    '    BillingMode="PAY_PER_REQUEST")',
    'table.wait_until_exists()',
    'movies = json.load(open("samples/moviedata.json"), parse_float=Decimal)',
    'start = time.perf_counter()',
    'with table.batch_writer() as batch:',
    '    for movie in movies:',
    '        batch.put_item(Item=movie)',
    'print(f"loaded {len(movies)} movies in {time.perf_counter() - start:.2f} s")',
    'print("1999:", table.query(KeyConditionExpression=Key("year").eq(1999))["Count"])',
    'EOF',
  ];
  for (const line of script) await typeLine(line);
  from = (await termText()).length;
  await typeLine('python3 movies.py && echo ok');
  const loaded = await waitForOutput(/loaded (\d+) movies in ([\d.]+) s[\s\S]*1999: (\d+)[\s\S]*\nok/, from, 'the movies loaded and queried', 60_000);
  PYTHON.movies = Number(loaded[1]);
  PYTHON.loadSeconds = Number(loaded[2]);
  const count = parseJson(await runCommand('aws dynamodb scan --table-name Movies --select COUNT'), 'scan COUNT');
  assert(count.Count === PYTHON.movies, `the CLI counts ${count.Count} items, the script loaded ${PYTHON.movies}`);
  const query = parseJson(await runCommand('aws dynamodb query --table-name Movies --key-condition-expression "#y = :y" --expression-attribute-names \'{"#y":"year"}\' --expression-attribute-values \'{":y":{"N":"1999"}}\' --select COUNT'), 'query COUNT');
  assert(query.Count === Number(loaded[3]), `the CLI finds ${query.Count} films of 1999, the script ${loaded[3]}`);
  facts.pythonCloudshellTab = shell;
});

await step('s. redis-py: a subscriber in one tab gets what a publisher in another sends; Ctrl+C stops it', ['r. python3 starts in the background; boto3 against the lab from the laptop'], async () => {
  await selectTab(0);
  let from = (await termText()).length;
  await typeLine(`python3 -c 'import redis; p = redis.Redis().pubsub(); p.subscribe("news"); print("listening", flush=True); [print(m["data"].decode(), flush=True) for m in p.listen() if m["type"] == "message"]'`);
  await waitForOutput(/\nlistening/, from, 'the subscriber listening');
  const publisher = await openTab('laptop');
  await runCommand(`python3 -c 'import redis; print("receivers:", redis.Redis().publish("news", "hello from tab 2"))'`);
  const published = await waitForOutput(/\nreceivers: (\d+)/, 0, 'the publisher done');
  assert(published[1] === '1', `PUBLISH reached ${published[1]} subscribers, expected 1`);
  await selectTab(0);
  await waitForOutput(/\nhello from tab 2/, from, 'the message in the subscriber tab', 5_000);
  // Ctrl+C: the subscriber, blocked on the lab in listen(), gets a KeyboardInterrupt.
  from = (await termText()).length;
  const pressed = Date.now();
  await termInput().press('Control+c');
  await waitForOutput(/KeyboardInterrupt/, from, 'KeyboardInterrupt in the subscriber', 5_000);
  PYTHON.interruptBlockedMs = Date.now() - pressed;
  assert(PYTHON.interruptBlockedMs < 1500, `Ctrl+C took ${PYTHON.interruptBlockedMs} ms to interrupt listen() (at most a second)`);
  await waitUntil(async () => /\$$/.test((await promptText()) ?? ''), 'the shell prompt back after Ctrl+C');
  await page.locator('.term-close').nth(publisher).click();
});

await step('t. Ctrl+C stops a busy loop; the prompt of a warm start comes at once', ['s. redis-py: a subscriber in one tab gets what a publisher in another sends; Ctrl+C stops it'], async () => {
  await selectTab(0);
  let from = (await termText()).length;
  await typeLine(`python3 -c 'print("spinning", flush=True); exec("while True: pass")'`);
  await waitForOutput(/\nspinning/, from, 'the busy loop running');
  await sleep(300);
  const pressed = Date.now();
  await termInput().press('Control+c');
  await waitForOutput(/KeyboardInterrupt/, from, 'KeyboardInterrupt in the busy loop', 5_000);
  PYTHON.interruptBusyMs = Date.now() - pressed;
  assert(PYTHON.interruptBusyMs < 1500, `Ctrl+C took ${PYTHON.interruptBusyMs} ms to interrupt a busy loop (at most a second)`);
  await waitUntil(async () => /\$$/.test((await promptText()) ?? ''), 'the shell prompt back');
  assert((await runCommand('echo $?')).trim() === '130', 'the status after Ctrl+C is 130');
  // A spare worker has booted meanwhile: the REPL's prompt is there at once.
  await waitUntil(async () => page.evaluate(() => self.__dblabPythonSpareReady?.()), 'a spare Python booted', 30_000);
  const typed = Date.now();
  await typeLine('python3');
  await waitUntil(async () => (await promptText()) === '>>>', 'the >>> prompt', 10_000);
  PYTHON.replPromptMs = Date.now() - typed;
  from = (await termText()).length;
  await typeLine('6 * 7');
  await waitForOutput(/\n42\b/, from, 'the REPL answering');
  await typeLine('exit()');
  await waitUntil(async () => /\$$/.test((await promptText()) ?? ''), 'the shell prompt after exit()');
  await screenshot('python-1280.png');
  // Warm start: a reload, Python from the browser's cache.
  const warmStart = Date.now();
  await gotoAndWait('/playground', 'input.terminal-input');
  from = (await termText()).length;
  await typeLine(`python3 -c 'import boto3; print("warm", boto3.__version__)'`);
  await waitForOutput(/\nwarm 1\.44\.8/, from, 'boto3 imported after a reload');
  PYTHON.warmMs = Date.now() - warmStart;
  PYTHON.warmBoot = await page.evaluate(() => self.__dblabPythonBoots?.[0]);
  console.log(`    python: ${JSON.stringify(PYTHON)}`);
});

await step('u. lesson sdk-python via show me: its scripts run in the browser', ['r. python3 starts in the background; boto3 against the lab from the laptop'], async () => {
  await page.setViewportSize(DESKTOP);
  // A fresh lab: the lesson makes its own key and table. (The page saves the lab on its way
  // out, so the old save goes in the next document, before the app starts; once.)
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('fresh-lab-for-u')) {
      sessionStorage.setItem('fresh-lab-for-u', '1');
      localStorage.removeItem('dblab.lab');
    }
  });
  await gotoAndWait('/lessons/sdk-python', '.step');
  const count = await page.locator('.step').count();
  for (let i = 0; i < count; i++) {
    const s = page.locator('.step').nth(i);
    const title = short((await s.locator('h2').first().innerText().catch(() => '')) || `#${i + 1}`, 60);
    await s.scrollIntoViewIfNeeded();
    await s.locator('button.show-me').first().click();
    const started = Date.now();
    await s.locator('button.run-solution').first().click();
    await waitUntil(() => s.evaluate((el) => el.classList.contains('done')), `step ${i + 1} "${title}" to be done after its solution ran`, 60_000);
    console.log(`    step ${i + 1} "${title}" done in ${Date.now() - started} ms`);
  }
  await page.locator('.lesson-complete').first().waitFor({ state: 'visible' });
  await screenshot('lesson-sdk-python-1280.png');
});

await step('v. nano opens a file in the editor; Ctrl+S saves it, Esc closes it, python3 runs it; offline', ['t. Ctrl+C stops a busy loop; the prompt of a warm start comes at once'], async () => {
  await page.setViewportSize(DESKTOP);
  await gotoAndWait('/playground', 'input.terminal-input');
  await runCommand('rm -f hello.py');
  await typeLine('nano hello.py');
  const editor = page.locator('.editor .cm-content');
  await editor.waitFor({ state: 'visible', timeout: 15_000 });
  await waitUntil(async () => page.evaluate(() => document.activeElement?.closest('.cm-editor') !== null), 'the focus in the editor');
  assert(!(await page.locator('.editor-modified').count()), 'a new file is not marked modified');
  // Enter after a colon indents the block; Shift+Tab ends it; Tab indents by four spaces.
  await page.keyboard.type('import sys\nfor word in ["edited", "in", "nano"]:\n');
  await page.keyboard.type('print(word, end=" ")\n');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.type('print(sys.argv[1:])\n');
  await page.keyboard.press('Tab');
  await page.keyboard.type('# indented by Tab');
  await page.locator('.editor-modified').waitFor({ state: 'visible' });
  await screenshot('editor-1280.png');
  await axeCheck('the editor');
  await page.keyboard.press('Control+s');
  await waitUntil(async () => /Wrote 5 lines/.test(await page.locator('.editor-status').innerText()), 'nano\'s [ Wrote 5 lines ]');
  assert(!(await page.locator('.editor-modified').count()), 'the mark goes once the file is saved');
  await page.setViewportSize(MOBILE);
  await screenshot('editor-390.png');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert(overflow <= 0, `with the editor open at ${MOBILE.width} px the page scrolls sideways by ${overflow} px`);
  await page.setViewportSize(DESKTOP);
  await page.keyboard.press('Escape');
  await termInput().waitFor({ state: 'visible' });
  assert(!(await page.locator('.editor').count()), 'Esc closes the editor');
  const saved = await runCommand('cat hello.py');
  assert(saved.includes('\n    print(word, end=" ")\nprint(sys.argv[1:])\n    # indented by Tab'), `the file holds what was typed, indents as four spaces: ${JSON.stringify(saved)}`);
  let from = (await termText()).length;
  await typeLine('python3 hello.py a b');
  await waitForOutput(/edited in nano \['a', 'b'\]/, from, 'the edited script running');
  // Unsaved changes: the first Esc asks, the second closes without saving.
  await typeLine('vi hello.py');
  await editor.waitFor({ state: 'visible', timeout: 15_000 });
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nprint("not saved")');
  // Another tab and back: the unsaved text is still there, still marked.
  await selectTab(1);
  await selectTab(0);
  await editor.waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.editor-modified').waitFor({ state: 'visible' });
  assert((await editor.innerText()).includes('not saved'), 'the draft came back with its tab');
  await editor.click();
  await page.keyboard.press('Escape');
  await waitUntil(async () => /Unsaved changes/.test(await page.locator('.editor-status').innerText()), 'the question about unsaved changes');
  await page.keyboard.press('Escape');
  await termInput().waitFor({ state: 'visible' });
  assert(!(await runCommand('cat hello.py')).includes('not saved'), 'closing without saving leaves the file as it was');
  // Offline: the service worker answers from its copies, so the app and Python start again
  // with nothing downloaded; twice (the second start boots a new worker offline) and after a
  // reload.
  assert(await page.evaluate(() => !!navigator.serviceWorker?.controller), 'the service worker controls the page');
  await page.context().setOffline(true);
  try {
    for (const n of [1, 2, 3]) {
      if (n === 3) await gotoAndWait('/playground', 'input.terminal-input');
      from = (await termText()).length;
      await typeLine(`python3 -c 'import boto3, redis; print("offline", ${n})'`);
      await waitForOutput(new RegExp(`\\noffline ${n}`), from, `Python started offline (${n})`, 30_000);
    }
  } finally {
    await page.context().setOffline(false);
  }
});

await step('w. the SDK benchmark: boto3 and redis-py against the lab, beside stubs, in the page', ['v. nano opens a file in the editor; Ctrl+S saves it, Esc closes it, python3 runs it; offline'], async () => {
  // examples/sdk_bench.py, as `cargo run --release --example python_bench` runs it natively:
  // DynamoDB from CloudShell with its own credentials, Redis from an instance beside the cache.
  await page.setViewportSize(DESKTOP);
  await gotoAndWait('/playground', 'input.terminal-input');
  const bench = readFileSync(path.join(ROOT, 'examples', 'sdk_bench.py'), 'utf8');
  const paste = async (text) => {
    const input = termInput();
    await input.click();
    await input.evaluate((el, data) => {
      const clip = new DataTransfer();
      clip.setData('text', data);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clip, bubbles: true, cancelable: true }));
    }, text);
  };
  const place = async () => {
    await paste(`cat > /tmp/sdk_bench.py <<'EOF'\n${bench}EOF\n`);
    await waitUntil(async () => /\$$/.test((await promptText()) ?? ''), 'the here-document written');
  };
  const run = async (args, what) => {
    const from = (await termText()).length;
    await typeLine(`python3 /tmp/sdk_bench.py ${args}`);
    const done = new RegExp(`${what}: the lab's share as time waiting for its answers \\d+%`);
    await waitForOutput(done, from, `the ${what} benchmark`, 180_000);
    const lines = (await termText()).slice(from).split('\n').filter((l) => l.startsWith(`${what}:`));
    for (const line of lines) console.log(`    ${line}`);
    PYTHON.bench = [...(PYTHON.bench ?? []), ...lines];
  };
  await selectTab(1);
  assert((await promptText())?.startsWith('cloudshell'), 'the second tab is CloudShell');
  await place();
  await run('dynamodb 500', 'dynamodb');
  await eventHistoryOfThousands();
  await runCommand('aws elasticache create-replication-group --replication-group-id bench --replication-group-description Bench --engine redis --cache-node-type cache.t3.micro --num-cache-clusters 2 --automatic-failover-enabled');
  await runCommand('aws elasticache wait replication-group-available --replication-group-id bench');
  await runCommand(`SG=$(aws elasticache describe-cache-clusters --cache-cluster-id bench-001 --query 'CacheClusters[0].SecurityGroups[0].SecurityGroupId' --output text)`);
  await runCommand('aws ec2 authorize-security-group-ingress --group-id $SG --protocol tcp --port 6379 --source-group $SG');
  await runCommand('aws ec2 authorize-security-group-ingress --group-id $SG --protocol tcp --port 22 --cidr 0.0.0.0/0');
  const ip = (await runCommand(`aws ec2 run-instances --image-id ami-0453ec754f44f9a4a --instance-type t3.micro --security-group-ids $SG --associate-public-ip-address --query 'Instances[0].PublicIpAddress' --output text`)).trim();
  assert(/^\d+\.\d+\.\d+\.\d+$/.test(ip), `run-instances gave a public address: ${ip}`);
  const cache = (await runCommand(`aws elasticache describe-replication-groups --replication-group-id bench --query 'ReplicationGroups[0].NodeGroups[0].PrimaryEndpoint.Address' --output text`)).trim();
  await runCommand('sleep 30');
  await selectTab(0);
  await runCommand(`ssh ec2-user@${ip}`);
  assert(/ec2-user@/.test((await promptText()) ?? ''), 'ssh reached the instance');
  await place();
  await run(`redis ${cache} 2000`, 'redis');
  await runCommand('exit');
});

/** The console's Event history after the benchmark's thousand calls: its first page, timed in
 * the page from the click to the rows drawn, and the next page. */
async function eventHistoryOfThousands() {
  await page.locator('#view-console').click();
  const console_ = page.locator('.console');
  await console_.waitFor({ state: 'visible' });
  facts.historyMs = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const root = document.querySelector('.console');
        const button = [...root.querySelectorAll('.console-service')].find((b) => b.textContent === 'CloudTrail');
        const drawn = () => root.querySelector('.pager') && root.querySelectorAll('.resource-table tbody tr').length === 50;
        const t0 = performance.now();
        button.click();
        const check = () => (drawn() ? resolve(Math.round((performance.now() - t0) * 10) / 10) : requestAnimationFrame(check));
        check();
      }),
  );
  const pager = await console_.locator('.pager').innerText();
  facts.historyCalls = Number((pager.match(/of (\d+) events/) ?? [])[1]);
  assert(facts.historyCalls >= 1000, `the trail holds the benchmark's calls: ${pager}`);
  assert(facts.historyMs <= 100, `Event history over ${facts.historyCalls} calls took ${facts.historyMs} ms (budget 100)`);
  const first = await console_.locator('.resource-table tbody tr').first().innerText();
  await console_.getByRole('button', { name: 'Next page' }).click();
  await console_.getByText('Page 2 of').waitFor();
  assert((await console_.locator('.resource-table tbody tr').first().innerText()) !== first, 'the next page shows older calls');
  await page.locator('#view-terminal').click();
}

currentStep = 'shutdown';
await context.close().catch(() => {});
await server?.close();
rmSync(profileDir, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// Summary

results.push({
  name: 'no console errors',
  ok: consoleErrors.length === 0,
  ms: 0,
  error: consoleErrors.length ? `${consoleErrors.length} console error(s):\n      ${consoleErrors.join('\n      ')}` : undefined,
});

console.log('\n==== Summary');
for (const r of results) {
  console.log(`${r.ok ? 'ok  ' : r.skipped ? 'skip' : 'FAIL'}  ${r.name}${r.ms ? ` (${r.ms} ms)` : ''}`);
}
if (facts.consoleSwitchMs !== undefined) {
  console.log(
    `console: first opened (its chunk fetched) in ${facts.consoleFirstOpenMs} ms, a page switch ${facts.consoleSwitchMs} ms (budget 50), `,
  );
}
if (facts.historyMs !== undefined) {
  console.log(`console: Event history over ${facts.historyCalls} calls drawn (its first page of 50) in ${facts.historyMs} ms (budget 100)`);
}
if (facts.firstRenderMs !== undefined) {
  console.log(`first render: ${facts.firstRenderMs} ms (budget ${FIRST_RENDER_BUDGET_MS} ms)`);
}
if (PYTHON.coldMs !== undefined) {
  // Budgets of the Python issue, reported (not asserted: a loaded CI machine is slower).
  console.log(
    `python: cold start (page load to import boto3 done) ${PYTHON.coldMs} ms (budget 6000, goal 3000), ` +
      `warm ${PYTHON.warmMs ?? '?'} ms (budget 4000, goal 1500), >>> after a background start ` +
      `${PYTHON.replPromptMs ?? '?'} ms (budget 500); ${PYTHON.movies} movies loaded with batch_writer in ` +
      `${PYTHON.loadSeconds} s (budget 3); Ctrl+C: busy loop ${PYTHON.interruptBusyMs ?? '?'} ms, ` +
      `blocked in listen() ${PYTHON.interruptBlockedMs ?? '?'} ms (budget 1000)`,
  );
  console.log(`python boot stages (ms since the worker started): cold ${JSON.stringify(PYTHON.coldBoot)}, warm ${JSON.stringify(PYTHON.warmBoot)}`);
  for (const line of PYTHON.bench ?? []) console.log(`python benchmark (examples/sdk_bench.py) ${line}`);
}
if (failedRequests.length) {
  console.log(`failed requests:\n  ${failedRequests.join('\n  ')}`);
}
const failures = results.filter((r) => !r.ok);
for (const r of failures) console.log(`\n${r.skipped ? 'SKIPPED' : 'FAILED'}: ${r.name}\n  ${r.error}`);
console.log(`\n${failures.length ? `${failures.length} of ${results.length} checks failed` : `all ${results.length} checks passed`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failures.length ? 1 : 0);
