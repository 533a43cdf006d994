import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a report so that a reader never sees half of it, and never an old one: to a temporary file
 * beside it, then renamed over it (a rename within a folder is atomic).
 */
export function writeReportFile(file: string, report: object): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(temporary, file);
}

/** A report's path as the summary shows it: from the current directory when it is inside it. */
export function shownReportPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
