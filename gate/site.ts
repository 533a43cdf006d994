/**
 * The site under test, as the browser sees it: on an https origin of its own (Tito's widget needs https,
 * as in production), answered by the site's own server. A SITE_DIR folder is served by serve-handler
 * (the engine of Vercel's `serve`: clean URLs, HEAD, conditional and range requests, no symlinks) on
 * loopback; a SITE_URL site is the user's own server. Either way the gate fetches exactly that one origin
 * and nothing else (the browser's side: site-proxy.ts).
 */
import { lstat, realpath } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import serveHandler from 'serve-handler';
import type { GateConfig } from './config.ts';
import { SITE_UNDER_TEST_ORIGIN } from './hosts.ts';
import { READ_DEADLINE_MS } from './limits.ts';
import { pageQuery } from './navigation.ts';

export { SITE_UNDER_TEST_ORIGIN };

export interface ServedFolder {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a folder of built HTML on loopback, as static hosts resolve it: `/x` is x.html, else the folder
 * x/ (`/x` is redirected to `/x/`, as GitHub Pages, Netlify, S3, nginx and Apache do, so a relative URL
 * on x/index.html resolves inside x/); an unknown path answers 404 with the site's 404.html, if it has one.
 * `folderRedirect: false` (SITE_FOLDER_REDIRECT=off) serves x/index.html at `/x` too, as Vercel's cleanUrls
 * and `serve` do. Nothing outside the folder is served: a path whose real location (symlinks resolved,
 * at any depth) is not inside the folder's real path answers 404.
 */
export async function serveFolder(dir: string, { folderRedirect = true, basePath = '/' } = {}): Promise<ServedFolder> {
  const root = await realpath(dir);
  const inside = async (file: string) => {
    const real = await realpath(file);
    return real === root || real.startsWith(root + path.sep);
  };
  // Every failure is "not there": serve-handler prints any other error raw on stderr, and the path in it
  // is the page's (a name too long for realpath, a NUL byte), so a page could print a workflow command.
  const guardedLstat = async (file: string) => {
    const stats = (await inside(file).catch(() => false)) ? await lstat(file).catch(() => null) : null;
    // An error page (404.html) that is a folder is none: serve-handler would open it for each 404 and print the error.
    const notAnErrorPage = stats && !stats.isFile() && path.dirname(file) === root && /^\d{3}\.html$/.test(path.basename(file));
    if (!stats || notAnErrorPage) throw Object.assign(new Error('not found'), { code: 'ENOENT' });
    return stats;
  };
  const isFile = (file: string) => guardedLstat(file).then((stats) => stats.isFile(), () => false);
  /** Where a host sends `/x` when x/ is a folder with an index.html and there is no x.html: `/x/`, the query kept. */
  const folderOf = async (url: string): Promise<string | null> => {
    // Appended, not resolved: `//host/x` is a path here, as serve-handler reads it.
    const { pathname, search } = new URL(`http://folder.invalid${url}`);
    // A redirect to `//host/x/` would leave the site: such a path is serve-handler's to answer.
    if (pathname.endsWith('/') || pathname.startsWith('//')) return null;
    let file: string;
    try {
      file = path.join(root, decodeURIComponent(pathname));
    } catch {
      return null; // serve-handler answers a path it cannot decode
    }
    if (await isFile(`${file}.html`)) return null;
    return (await isFile(path.join(file, 'index.html'))) ? `${pathname}/${search}` : null;
  };
  const server: Server = createServer((request, response) => {
    // Under a base path (/summit-2026/), the folder is served there, as its host serves it; nothing is served beside it.
    const asked = request.url ?? '/';
    if (basePath !== '/') {
      if (asked === basePath.slice(0, -1) || asked.startsWith(`${basePath.slice(0, -1)}?`)) return void response.writeHead(301, { location: basePath + asked.slice(basePath.length - 1) }).end();
      request.url = asked.startsWith(basePath) ? asked.slice(basePath.length - 1) : '/\0outside the base path';
      // serve-handler's own redirects (`/tickets.html` to `/tickets`) name paths in the folder: under the base path on the site.
      const writeHead = response.writeHead.bind(response) as (status: number, headers?: Record<string, string>) => typeof response;
      response.writeHead = ((status: number, headers?: Record<string, string>) => {
        if (headers?.Location?.startsWith('/') && !headers.Location.startsWith('//')) headers = { ...headers, Location: basePath.slice(0, -1) + headers.Location };
        return writeHead(status, headers);
      }) as typeof response.writeHead;
    }
    void (folderRedirect ? folderOf(request.url ?? '/') : Promise.resolve(null))
      .then((folder) => {
        if (folder) return void response.writeHead(301, { location: basePath.slice(0, -1) + folder }).end();
        return serveHandler(
          request,
          response,
          { public: root, cleanUrls: true, directoryListing: false, symlinks: false, etag: true },
          // serve-handler awaits its `lstat` method; its typings describe the callback-style fs function.
          { lstat: guardedLstat as unknown as typeof import('node:fs').lstat },
        );
      })
      .catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The largest page or script file the gate reads: larger ones are not checked, and said so. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * A response's body as text, read no further than `maxBytes`: undefined when it is longer (the rest is
 * never downloaded, so a 500 MB "page" costs no more than a 10 MB one) or takes longer than `deadlineMs`.
 */
export async function textWithin(response: Response, maxBytes = MAX_FILE_BYTES, deadlineMs = READ_DEADLINE_MS): Promise<string | undefined> {
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // A body that trickles without end is cut off as one that is too large.
  let cutOff = false;
  const timer = setTimeout(() => {
    cutOff = true;
    void reader.cancel().catch(() => undefined);
  }, deadlineMs);
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return undefined;
      }
      chunks.push(read.value);
    }
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
  // Told by the timer itself: a clock read here may still be a millisecond short of the deadline it fired at.
  if (cutOff) return undefined;
  return Buffer.concat(chunks).toString('utf8');
}

/** Fetches a path of the site from Node (discovery, the audit's script files), following same-origin redirects. */
export async function fetchSitePath(siteUrl: string, pathAndQuery: string): Promise<{ response: Response; finalPath: string }> {
  const origin = new URL(siteUrl).origin;
  const response = await fetchFromSite(origin, pathAndQuery, new Request(`${origin}/`), undefined);
  const final = new URL(response.url || `${origin}${pathAndQuery}`);
  const finalPath = final.pathname + pageQuery(final.searchParams);
  return { response, finalPath };
}

/** Fetches a path from the site's own origin and nowhere else, following its redirects within the site; the answer's `url` is the last one fetched. */
export async function fetchFromSite(origin: string, pathAndQuery: string, request: Request, body: ArrayBuffer | undefined): Promise<Response> {
  const headers = new Headers(request.headers);
  headers.delete('host');
  let target = `${origin}${pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`}`;
  for (let hop = 0; hop < 6; hop++) {
    if (new URL(target).origin !== origin) throw new Error(`refused to fetch ${target}: only ${origin} is the site under test`);
    const answer = await fetchAgainOnReset(target, { method: request.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(READ_DEADLINE_MS) });
    const location = answer.headers.get('location');
    if (answer.status < 300 || answer.status >= 400 || !location) return answer;
    const next = new URL(location, target);
    // A redirect off the site is handed to the browser as it is, and the browser's request is then blocked or stubbed.
    if (next.origin !== origin) return answer;
    target = next.href;
  }
  return new Response(`The site redirected more than 5 times from ${pathAndQuery}`, { status: 508 });
}

/**
 * `fetch`, once more for a GET or HEAD whose connection failed before an answer: a server on loopback
 * may close a kept-alive connection as the next request goes out on it (`ECONNRESET`), which a page of
 * a thousand images meets by chance. A server that is down fails both times.
 */
async function fetchAgainOnReset(target: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(target, init);
  } catch (error) {
    if (!['GET', 'HEAD'].includes(init.method ?? 'GET') || init.signal?.aborted) throw error;
    return fetch(target, init);
  }
}

/**
 * Starts SITE_START_COMMAND unless SITE_URL already answers; returns how to stop what it started. The
 * readiness probe follows no redirect: an answer from the site itself is what counts.
 */
export async function startSite(url: string, command: string): Promise<() => void> {
  const answers = () => fetch(url, { method: 'HEAD', redirect: 'manual' }).then(() => true, () => false);
  if (await answers()) return () => {};
  // Its own process group, so the whole group (shell, package-manager wrappers, the server) stops with us.
  const { execa } = await import('execa');
  const server = execa(command, { shell: true, detached: true, stdio: 'ignore', reject: false });
  server.unref(); // the gate ends when its work does; `stop` (or the exit hook) ends the server
  const stop = () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.once('exit', stop);
  const deadline = Date.now() + 60_000;
  while (!(await answers())) {
    if (server.exitCode !== null) throw new Error(`SITE_START_COMMAND "${command}" exited with code ${server.exitCode} before ${url} answered.`);
    if (Date.now() > deadline) {
      stop();
      throw new Error(`SITE_START_COMMAND "${command}" ran for 60 s, but ${url} never answered.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250)); // readiness poll of a process we started
  }
  return stop;
}

export interface OpenSite {
  url: string;
  description: string;
  close(): Promise<void>;
}

/** The site `config` names, answering: its folder served, or its running server (started by SITE_START_COMMAND). */
export async function openSite(config: GateConfig): Promise<OpenSite> {
  const { url, dir, startCommand } = config.site;
  if (url) {
    const stop = startCommand ? await startSite(url, startCommand) : () => {};
    const answers = await fetch(url, { redirect: 'manual' }).then(() => true, () => false);
    if (!answers) {
      stop();
      throw new Error(`The site at ${url} does not answer: start it (e.g. npm run preview), or set SITE_START_COMMAND so the gate does.`);
    }
    return { url, description: `the site at ${url}`, close: () => Promise.resolve(stop()) };
  }
  if (dir) {
    const under = config.site.basePath ? `, under ${config.site.basePath}` : '';
    return { ...(await serveFolder(dir, { folderRedirect: config.site.folderRedirect, basePath: config.site.basePath })), description: `the built site in ${path.relative(process.cwd(), dir) || '.'}${under}` };
  }
  const { configuredSite, renderFixtureSite } = await import('../fixtures/site.ts');
  const folder = mkdtempSync(path.join(os.tmpdir(), 'fixture-site-'));
  for (const [page, html] of Object.entries(renderFixtureSite(configuredSite(config.harness)))) {
    writeFileSync(path.join(folder, page === '/' ? 'index.html' : `${page.slice(1)}.html`), html);
  }
  const served = await serveFolder(folder);
  const close = async () => {
    await served.close();
    rmSync(folder, { recursive: true, force: true });
  };
  return { ...served, close, description: 'the fixture site (set SITE_DIR or SITE_URL to check yours)' };
}
