// The review screen with 10,000 synthetic findings: time from data ready to the first frame, and
// from a keypress to the frame that shows it, through Ink's real terminal path into a fake TTY.
import { EventEmitter } from 'node:events';
import { loadavg } from 'node:os';
import type { BenchSection } from './run.ts';
import { demoServices } from '../src/tui/demo.ts';
import type { ReviewState } from '../src/tui/state/review.ts';
import type { ReviewServices } from '../src/tui/types.ts';

const FINDINGS = 10_000;
const SIZE = { columns: 160, rows: 48 };

class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = SIZE.columns;
  rows = SIZE.rows;
  bytes = 0;
  write = (chunk: string): boolean => { this.bytes += chunk.length; return true; };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
  }
  read = (): string | null => { const d = this.data; this.data = null; return d; };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

export async function bench(): Promise<BenchSection> {
  // Ink picks its CI mode (no live frames) when the module loads; measure the terminal path. React
  // runs its production build, as `modguard review` does.
  const ci = process.env.CI;
  delete process.env.CI;
  process.env.NODE_ENV ??= 'production';
  const [{ render }, { createElement }, { ReviewApp }] = await Promise.all([
    import('ink'), import('react'), import('../src/tui/components/ReviewApp.tsx'),
  ]);
  if (ci !== undefined) process.env.CI = ci;

  const demo = demoServices(FINDINGS);
  const data = await demo.load(() => undefined);
  let dataReady = 0;
  const services: ReviewServices = {
    ...demo,
    load: async () => { dataReady = performance.now(); readyCpu = cpuMs(); return data; },
  };

  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const stateRef: { current: ReviewState | undefined } = { current: undefined };
  let frames = 0;
  let lastFrameAt = 0;
  let lastFrameCpu = 0;
  let firstFrame = 0;
  let firstFrameCpu = 0;
  let readyCpu = 0;
  const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  let resolveFrame: (() => void) | undefined;
  const instance = render(createElement(ReviewApp, { services, stateRef, onExit: () => undefined }), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false, patchConsole: false,
    onRender: () => {
      frames++;
      lastFrameAt = performance.now();
      lastFrameCpu = cpuMs();
      if (!firstFrame && stateRef.current?.phase === 'ready') {
        firstFrame = lastFrameAt - dataReady;
        firstFrameCpu = lastFrameCpu - readyCpu;
      }
      resolveFrame?.();
    },
  });
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  };
  await until(() => firstFrame > 0);

  // Each key waits for its frame, then for Ink's frame throttle (30 fps) to pass, as a person typing would.
  // Wall time suffers from whatever else the machine runs; CPU time (this process, keypress to
  // frame) is the screen's own cost and does not.
  const press = async (key: string): Promise<{ wall: number; cpu: number }> => {
    await new Promise((r) => setTimeout(r, 40));
    const before = frames;
    const frame = new Promise<void>((resolve) => { resolveFrame = resolve; });
    const start = performance.now();
    const startCpu = cpuMs();
    stdin.write(key);
    await Promise.race([frame, new Promise((r) => setTimeout(r, 5000))]);
    resolveFrame = undefined;
    return frames > before ? { wall: lastFrameAt - start, cpu: lastFrameCpu - startCpu } : { wall: Number.NaN, cpu: Number.NaN };
  };
  // Each entry's keys are pressed in turn, `n` times (G and g alternate, so every key changes the screen).
  const KEYS: Array<[string, string[], number]> = [
    ['j (move down)', ['j'], 40], ['PgDn', ['\u001b[6~'], 20], ['G / g (last, first row)', ['G', 'g'], 10],
    ['Tab (regroup 10,000)', ['\t'], 9], ['s (severity filter)', ['s'], 6], ['Enter (collapse group)', ['\r'], 6],
  ];
  const rows: Array<[string, string]> = [
    ['findings', FINDINGS.toLocaleString('en-US')],
    ['terminal', `${SIZE.columns}×${SIZE.rows}`],
    ['data ready → first frame', `${ms(firstFrame)} wall, ${ms(firstFrameCpu)} CPU`],
  ];
  const allWall: number[] = [];
  const allCpu: number[] = [];
  const summarize = (label: string, samples: Array<{ wall: number; cpu: number }>) => {
    const ok = samples.filter((t) => !Number.isNaN(t.wall));
    const wall = ok.map((t) => t.wall).sort((a, b) => a - b);
    const cpu = ok.map((t) => t.cpu).sort((a, b) => a - b);
    allWall.push(...wall);
    allCpu.push(...cpu);
    rows.push([`keypress → frame: ${label}`, `CPU median ${ms(quantile(cpu, 0.5))}, max ${ms(cpu[cpu.length - 1]!)}; wall median ${ms(quantile(wall, 0.5))}, max ${ms(wall[wall.length - 1]!)} (${ok.length} keys)`]);
  };
  for (const [label, keys, n] of KEYS) {
    const samples: Array<{ wall: number; cpu: number }> = [];
    for (let i = 0; i < n; i++) samples.push(await press(keys[i % keys.length]!));
    summarize(label, samples);
  }
  // Typing a filter over all 10,000 findings, a character at a time.
  await press('/');
  const typing: Array<{ wall: number; cpu: number }> = [];
  for (const ch of 'payments') typing.push(await press(ch));
  summarize('typing a filter', typing);
  allWall.sort((a, b) => a - b);
  allCpu.sort((a, b) => a - b);
  rows.push(['keypress → frame: all keys', `CPU median ${ms(quantile(allCpu, 0.5))}, p95 ${ms(quantile(allCpu, 0.95))}; wall median ${ms(quantile(allWall, 0.5))}, p95 ${ms(quantile(allWall, 0.95))}`]);
  rows.push(['load average (1 min) during the run', loadavg()[0]!.toFixed(1)]);
  instance.unmount();
  return {
    title: 'Review screen (modguard review), 10,000 findings',
    rows,
    notes: [
      'Aim: first frame under 300 ms, keypress to frame under 50 ms. Frames go through Ink\'s terminal path into an in-memory TTY; each key waits out Ink\'s 30 fps frame throttle first, as typing does.',
      'CPU is this process\'s user+system time from the keypress to the frame: the screen\'s own cost. Wall time adds waiting for the CPU, which a loaded machine (see the load average) inflates.',
    ],
  };
}
