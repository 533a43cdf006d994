/**
 * Ways from a page to another page of the site besides its links, which a buyer takes as surely: a
 * form's action, a button's `formaction` or its onclick's `location.href = '/vip'`, the page a frame
 * shows (a storefront in a frame is bought on there), and a `<select>` whose options are pages ("Choose
 * a pass…": its change navigates). Discovery visits those pages too; journeys follow links only.
 */

/** How a buyer gets to the page: the words a report uses ("form on /"). */
export type WayIn = 'form' | 'button' | 'frame' | 'select';

export interface OtherWay {
  href: string;
  how: WayIn;
}

/** A navigation written in an onclick: `location = '…'`, `location.href = '…'`, `location.assign('…')`, `window.open('…')`. */
export const NAVIGATION_IN_CODE = /\blocation(?:\.href)?\s*=\s*(['"`])([^'"`]+)\1|\blocation\.(?:assign|replace)\(\s*(['"`])([^'"`]+)\3|\bopen\(\s*(['"`])([^'"`]+)\5/;

/** The URL an onclick's code navigates to, as written, or null. */
export function navigationInCode(code: string | null): string | null {
  const match = code ? NAVIGATION_IN_CODE.exec(code) : null;
  return match ? (match[2] ?? match[4] ?? match[6] ?? null) : null;
}

/** The way in an element makes, from its tag and attributes as the served HTML has them, or null. */
export function wayOf(tag: string, attribute: (name: string) => string | null): OtherWay | null {
  if (tag === 'iframe' || tag === 'frame') {
    const src = attribute('src');
    return src ? { href: src, how: 'frame' } : null;
  }
  if (tag === 'form') {
    const action = attribute('action');
    return action ? { href: action, how: 'form' } : null;
  }
  const formAction = tag === 'button' || tag === 'input' ? attribute('formaction') : null;
  if (formAction) return { href: formAction, how: 'button' };
  const inCode = navigationInCode(attribute('onclick'));
  return inCode ? { href: inCode, how: 'button' } : null;
}

/** Options of one `<select>` read, at most: a menu of pages is short. */
export const OPTIONS_PER_SELECT = 50;

/** An option value written as a URL or a path of the site: `/group`, `./vip`, `https://…/x`, `?event=…`, `#/tickets`. */
const PATH_LIKE = /^(?:\/|\.{1,2}\/|https?:\/\/|\?|#!?\/)/i;
/** An onchange that navigates with the chosen value: `location = this.value`, `window.open(e.target.value)`. */
const NAVIGATES = /\blocation\b|\bopen\s*\(/;

/**
 * The pages a `<select>` leads to when a buyer picks an option: its values that are written as paths or
 * URLs (a listener that reads `e.target.value` is invisible in the HTML, but a value `/group` says it),
 * or every value where its onchange navigates. Values of a plain choice (`2`, `en`) are no pages.
 */
export function selectWays(onchange: string | null, values: readonly string[]): OtherWay[] {
  const navigates = onchange !== null && NAVIGATES.test(onchange);
  return values
    .slice(0, OPTIONS_PER_SELECT)
    .map((value) => value.trim())
    .filter((value) => value !== '' && !/\s/.test(value) && (PATH_LIKE.test(value) || (navigates && !/^(?:javascript|data|blob):/i.test(value))))
    .map((href) => ({ href, how: 'select' as const }));
}
