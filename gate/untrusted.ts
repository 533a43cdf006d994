/**
 * The one boundary for text that comes from the site under test: paths, file names, Tito event names,
 * values quoted in findings, page errors, URLs. The site is a stranger's code (a pull request), and its
 * text reaches the terminal, GitHub's workflow commands, the job summary and the browser's selectors.
 * gate.json keeps it raw (JSON escapes it); everything printed, rendered or parsed goes through here.
 *
 * GitHub's runner reads a workflow command from any line of a step's output that starts with `::`
 * (after leading whitespace) and, in the old syntax, from `##[` anywhere in a line; it splits lines on
 * `\r` as well as `\n`. The job summary is GitHub-flavoured Markdown with HTML.
 */

const NAMED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// C0 and C1 controls, DEL, the line and paragraph separators, bidirectional overrides and the BOM: all
// of them change what a reader or a runner takes a line to be. The backslash is escaped so that
// `\n` shown always means an escaped newline, never the site's own two characters.
// eslint-disable-next-line no-control-regex
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\\]/g;

const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Site text as one line of output that no reader or runner mistakes for anything else: controls,
 * escape sequences and line breaks shown escaped, a leading `::` and any `##[` broken up.
 *
 * @example shown('x\r::stop-commands::y') // 'x\\r::stop-commands::y'
 * @example shown('::error::forged') // '\\u003a:error::forged'
 */
export function shown(text: string): string {
  return String(text)
    .replace(UNSHOWABLE, (c) => NAMED[c] ?? hex(c))
    .replace(/^(\s*)::/u, '$1\\u003a:')
    .replaceAll('##[', '#\\u0023[');
}

/**
 * Several lines of the gate's own (a stack trace, the story of a journey) that may quote site text:
 * the gate's line breaks kept, each line {@link shown}.
 */
export function shownLines(text: string): string {
  return String(text).split('\n').map(shown).join('\n');
}

/**
 * Site text in a report a browser renders, where every `scheme://` and `www.` becomes a link (Playwright's
 * HTML report): each line {@link shown}, and URLs defanged (`https[:]//evil.example`, `www[.]`), so the
 * site's text links nowhere.
 */
export function defanged(text: string): string {
  return shownLines(text).replace(/:\/\//g, '[:]//').replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}[.]`);
}

/** The first line of a finding's message (the rest is what the stand-ins recorded), {@link shown}. */
export function headline(message: string): string {
  return shown(String(message).split('\n')[0]!);
}

// Everything Markdown or HTML could read as syntax: tags and entities, emphasis, code, links and
// images, table cells, strikethrough, autolinks (`:`, `@`, `www.`), mentions and emoji (`:name:`).
// Numeric entities render as the character itself, and a parser never reads them as syntax.
const MARKDOWN_SYNTAX = /[&<>"'\\`*_[\](){}!|~#:@]|(?<=w)\./gi;
const entity = (c: string) => `&#${c.codePointAt(0)};`;

/**
 * Site text in a cell of the job summary (or any Markdown line): one line, and no tag, link, image,
 * mention or table cell of the site's renders; it reads as the text it is.
 *
 * @example markdownCell('[link](https://evil.example)') // '&#91;link&#93;&#40;https&#58;//evil.example&#41;'
 */
export function markdownCell(text: string): string {
  return shown(text).replace(MARKDOWN_SYNTAX, entity);
}

/**
 * A path, host or event name in the job summary, as code. An HTML `<code>` element, not a backtick code
 * span: a backtick in the text would end a code span, and `|` would still split the table's cell.
 *
 * @example markdownCode('/tickets') // '<code>/tickets</code>'
 */
export function markdownCode(text: string): string {
  return `<code>${markdownCell(text)}</code>`;
}

/**
 * The message of a workflow command (`::error …::message`), as GitHub's toolkit escapes it: the runner
 * unescapes `%25`, `%0D`, `%0A`.
 */
export function escapeData(text: string): string {
  return String(text).replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** A property of a workflow command (`file=…,title=…`), as GitHub's toolkit escapes it. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * A quoted CSS string holding exactly `value`, for an attribute selector: `[event=${cssString(event)}]`.
 * Backslash and quote escaped; newlines and other controls as hex escapes (`\a `), as CSS.escape does;
 * NUL, which no attribute can hold, as the replacement character.
 *
 * @example cssString('a"]\n\\') // '"a\\"]\\a \\\\"'
 */
export function cssString(value: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = String(value).replace(/[\\"]|[\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\\' || c === '"') return `\\${c}`;
    return `\\${c === '\0' ? 'fffd' : c.charCodeAt(0).toString(16)} `;
  });
  return `"${escaped}"`;
}
