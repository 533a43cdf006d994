import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // Linux's USER_HZ: 100 on x86 and ARM, where this bench runs

/**
 * CPU time (user + system, ms) used so far by the processes below `rootPid` (the Playwright workers,
 * their Chromium processes, stripe-mock), counting those that already ended and were reaped; undefined
 * where there is no /proc. Unlike wall time, it hardly moves when other processes load the machine.
 */
export function descendantsCpuMs(rootPid: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // From field 3 on, after the command (which may hold spaces): state ppid … utime(14) stime(15) cutime(16) cstime(17).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
      stats.set(Number(pid), { ppid: f[1]!, ticks: f[11]! + f[12]! + f[13]! + f[14]! });
    } catch {
      // The process ended meanwhile.
    }
  }
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of stats) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let ticks = 0;
  for (const stack = [...(children.get(rootPid) ?? [])]; stack.length > 0; ) {
    const pid = stack.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return ticks * TICK_MS;
}
