// Headless Chromium driven over the DevTools protocol on a pipe (fd 3 in, fd 4 out): no port, no
// browser download, only Debian's `chromium`. Collects console errors, exceptions and every
// request the page makes, evaluates expressions and takes a full-page screenshot.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** findChromium returns the browser executable, or undefined when none is installed. */
export function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const found = execFileSync('sh', ['-c', 'command -v "$0"', name], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch { /* not installed */ }
  }
  return undefined;
}

export interface PageRun {
  consoleErrors: string[];
  /** URLs requested other than the page itself and data: URLs. */
  requests: string[];
  values: Record<string, unknown>;
  screenshot: Buffer;
}

interface Pending { resolve(v: any): void; reject(e: Error): void }

class Cdp {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners: Array<(method: string, params: any, sessionId?: string) => void> = [];
  private buffer = '';

  constructor(private readonly input: Writable, output: Readable) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 1);
        if (message.id !== undefined) {
          const p = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (message.error) p?.reject(new Error(`${message.error.message} (${message.error.code})`));
          else p?.resolve(message.result);
        } else {
          for (const l of this.listeners) l(message.method, message.params, message.sessionId);
        }
      }
    });
  }

  send(method: string, params: object = {}, sessionId?: string): Promise<any> {
    const id = this.nextId++;
    this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  on(listener: (method: string, params: any, sessionId?: string) => void): void {
    this.listeners.push(listener);
  }

  failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/**
 * openPage loads url in a fresh headless browser, waits for the load event, evaluates the given
 * expressions (JSON-serialisable results) and captures the whole page as PNG.
 */
export async function openPage(browser: string, url: string, expressions: Record<string, string>, width = 1280, bands: number[] = []): Promise<PageRun & { bands: Buffer[] }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'modguard-chromium-'));
  const child: ChildProcess = spawn(browser, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
    '--disable-extensions', '--disable-sync', '--disable-default-apps', '--mute-audio', '--hide-scrollbars',
    '--disable-component-update', '--disable-features=Translate,MediaRouter,OptimizationHints',
    `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const cdp = new Cdp(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const exited = new Promise<void>((resolve) => child.on('exit', () => {
    cdp.failAll(new Error(`chromium exited: ${stderr.slice(-2000)}`));
    resolve();
  }));
  try {
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    let loaded!: () => void;
    const load = new Promise<void>((resolve) => { loaded = resolve; });
    cdp.on((method, params, sid) => {
      if (sid !== sessionId) return;
      if (method === 'Runtime.consoleAPICalled' && (params.type === 'error' || params.type === 'assert')) {
        consoleErrors.push(params.args.map((a: any) => a.value ?? a.description ?? '').join(' '));
      } else if (method === 'Runtime.exceptionThrown') {
        consoleErrors.push(params.exceptionDetails?.exception?.description ?? params.exceptionDetails?.text ?? 'exception');
      } else if (method === 'Log.entryAdded' && params.entry.level === 'error') {
        consoleErrors.push(`${params.entry.source}: ${params.entry.text}`);
      } else if (method === 'Network.requestWillBeSent') {
        const u: string = params.request.url;
        if (u !== url && !u.startsWith('data:')) requests.push(u);
      } else if (method === 'Page.loadEventFired') {
        loaded();
      }
    });
    for (const domain of ['Runtime', 'Log', 'Network', 'Page']) await cdp.send(`${domain}.enable`, {}, sessionId);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
    await cdp.send('Page.navigate', { url }, sessionId);
    await load;
    // Let late work (scripts run after load, CSP reports) surface before reading the results.
    await new Promise((r) => setTimeout(r, 300));
    const values: Record<string, unknown> = {};
    for (const [name, expression] of Object.entries(expressions)) {
      const r = await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId);
      if (r.exceptionDetails) throw new Error(`evaluating ${name}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      values[name] = r.result.value;
    }
    const metrics = await cdp.send('Page.getLayoutMetrics', {}, sessionId);
    const size = metrics.cssContentSize ?? metrics.contentSize;
    const shot = await cdp.send('Page.captureScreenshot', {
      format: 'png', captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: Math.ceil(size.width), height: Math.ceil(size.height), scale: 1 },
    }, sessionId);
    // Bands: the page cut into horizontal slices of the given heights, for looking at long pages.
    const slices: Buffer[] = [];
    let top = 0;
    for (const h of bands) {
      const band = await cdp.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: top, width, height: h, scale: 1 } }, sessionId);
      slices.push(Buffer.from(band.data, 'base64'));
      top += h;
    }
    await cdp.send('Browser.close').catch(() => undefined);
    return { consoleErrors, requests, values, screenshot: Buffer.from(shot.data, 'base64'), bands: slices };
  } finally {
    if (child.exitCode === null) child.kill();
    await exited;
    // Chromium's helper processes can still be writing into the profile for a moment after the
    // browser exits: retry, and never fail a test over a temporary folder.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // left for the system's temporary-file cleanup
    }
  }
}
