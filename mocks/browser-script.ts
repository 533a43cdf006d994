import { readFileSync } from 'node:fs';

/**
 * A stand-in's scripts as the page receives them: the files beside `base`, in order, with each
 * placeholder (`__TRACKDESK_PROTOCOL__`, declared in browser-globals.d.ts) replaced by its value as a
 * literal. The scripts run in the page and cannot import the protocol modules; this is how they share
 * them (eslint.config.js declares the placeholders as globals of mocks/**\/*.js).
 *
 * @example
 * const TRACKING_JS = browserScript(import.meta.url, ['./tracking.js'], { __TRACKDESK_PROTOCOL__: TRACKING_JS_PROTOCOL });
 */
export function browserScript(base: string, files: string[], placeholders: Record<string, unknown>): string {
  return files
    .map((file) => {
      let code = readFileSync(new URL(file, base), 'utf8');
      for (const [placeholder, value] of Object.entries(placeholders)) code = code.replaceAll(placeholder, () => scriptLiteral(value));
      return code;
    })
    .join('\n');
}

/** A value as a JavaScript literal that is safe inside an inline `<script>`. */
export function scriptLiteral(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}
