import { writeFileSync } from 'node:fs';
import type { Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { descendantsCpuMs } from './cpu.ts';

/** A step as the bench reads it: Playwright's JSON reporter keeps only `test.step`s, and the profile needs the hooks and fixtures too. */
export interface BenchStep {
  title: string;
  category: string;
  /** Milliseconds since the test started. */
  start: number;
  duration: number;
  steps: BenchStep[];
}

export interface BenchResult {
  title: string;
  status: TestResult['status'];
  startTime: string;
  duration: number;
  /** CPU time of the workers, Chromium and stripe-mock from this test's start to its end, in ms. */
  cpuMs: number | undefined;
  annotations: TestResult['annotations'];
  steps: BenchStep[];
}

/** Writes every test's result, with its whole step tree (hooks, fixtures, steps, calls), to BENCH_REPORT. */
export default class BenchReporter implements Reporter {
  readonly #results: BenchResult[] = [];
  readonly #cpuAtStart = new Map<TestCase, number | undefined>();

  onTestBegin(test: TestCase): void {
    this.#cpuAtStart.set(test, descendantsCpuMs(process.pid));
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const cpuAtStart = this.#cpuAtStart.get(test);
    const cpuAtEnd = descendantsCpuMs(process.pid);
    const origin = result.startTime.getTime();
    const step = (s: TestStep): BenchStep => ({
      title: s.title,
      category: s.category,
      start: s.startTime.getTime() - origin,
      duration: s.duration,
      steps: s.steps.map(step),
    });
    this.#results.push({
      title: test.title,
      status: result.status,
      startTime: result.startTime.toISOString(),
      duration: result.duration,
      cpuMs: cpuAtStart === undefined || cpuAtEnd === undefined ? undefined : cpuAtEnd - cpuAtStart,
      annotations: result.annotations,
      steps: result.steps.map(step),
    });
    for (const error of result.errors) process.stderr.write(`${test.title}: ${error.message ?? error.value ?? 'failed'}\n`);
  }

  onEnd(): void {
    const out = process.env.BENCH_REPORT;
    if (out) writeFileSync(out, JSON.stringify(this.#results));
  }

  printsToStdio(): boolean {
    return false;
  }
}
