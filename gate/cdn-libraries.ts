/**
 * Libraries sites load from public CDNs that decide what a visitor sees: htmx (how links are followed),
 * Alpine.js (tabs and modals that show a storefront), jQuery (the site's own scripts on top of it). An empty
 * answer, a third party's neutral one, left the page without them: a site whose htmx swaps the ticket page
 * in passed, one whose storefront Alpine shows failed. Each is answered with this package's own copy of the
 * library (a dependency, pinned), for a URL of the same major version, so the page runs as for a visitor,
 * and nothing leaves the machine. Another version, or another library, gets the neutral answer.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Library {
  /** The npm package the copy comes from. */
  name: string;
  /** The file served. */
  file: string;
  /** The URLs that ask for it (without their query), the requested major version as `major`. */
  urls: RegExp[];
}

const LIBRARIES: Library[] = [
  {
    name: 'htmx.org',
    file: 'htmx.org/dist/htmx.min.js',
    urls: [
      /^https:\/\/unpkg\.com\/htmx\.org@(?<major>\d+)[\w.-]*(\/dist\/htmx(\.min)?\.js)?$/,
      /^https:\/\/cdn\.jsdelivr\.net\/npm\/htmx\.org@(?<major>\d+)[\w.-]*(\/dist\/htmx(\.min)?\.js)?$/,
      /^https:\/\/cdnjs\.cloudflare\.com\/ajax\/libs\/htmx\/(?<major>\d+)[\w.-]*\/htmx(\.min)?\.js$/,
    ],
  },
  {
    name: 'alpinejs',
    file: 'alpinejs/dist/cdn.min.js',
    urls: [
      /^https:\/\/unpkg\.com\/alpinejs@(?<major>\d+)[\w.-]*(\/dist\/cdn(\.min)?\.js)?$/,
      /^https:\/\/cdn\.jsdelivr\.net\/npm\/alpinejs@(?<major>\d+)[\w.-]*(\/dist\/cdn(\.min)?\.js)?$/,
      /^https:\/\/cdnjs\.cloudflare\.com\/ajax\/libs\/alpinejs\/(?<major>\d+)[\w.-]*\/cdn(\.min)?\.js$/,
    ],
  },
  {
    name: 'jquery',
    file: 'jquery/dist/jquery.min.js',
    urls: [
      /^https:\/\/code\.jquery\.com\/jquery-(?<major>\d+)\.\d+\.\d+(\.min)?\.js$/,
      /^https:\/\/ajax\.googleapis\.com\/ajax\/libs\/jquery\/(?<major>\d+)[\w.-]*\/jquery(\.min)?\.js$/,
      /^https:\/\/cdnjs\.cloudflare\.com\/ajax\/libs\/jquery\/(?<major>\d+)[\w.-]*\/jquery(\.min)?\.js$/,
      /^https:\/\/cdn\.jsdelivr\.net\/npm\/jquery@(?<major>\d+)[\w.-]*(\/dist\/jquery(\.min)?\.js)?$/,
      /^https:\/\/unpkg\.com\/jquery@(?<major>\d+)[\w.-]*(\/dist\/jquery(\.min)?\.js)?$/,
    ],
  },
];

const require = createRequire(import.meta.url);
const copies = new Map<string, { version: string; body: Buffer }>();

/** This package's copy of the library `url` asks for, of the same major version; null for any other URL. */
export function libraryCopy(url: string): { name: string; version: string; body: Buffer } | null {
  const asked = url.split(/[?#]/)[0]!;
  for (const library of LIBRARIES) {
    const major = library.urls.map((pattern) => pattern.exec(asked)?.groups?.major).find((m) => m !== undefined);
    if (major === undefined) continue;
    let copy = copies.get(library.name);
    if (!copy) {
      copy = { version: (require(`${library.name}/package.json`) as { version: string }).version, body: readFileSync(require.resolve(library.file)) };
      copies.set(library.name, copy);
    }
    return copy.version.split('.')[0] === major ? { name: library.name, ...copy } : null;
  }
  return null;
}
