/**
 * What the specs' own test pages put on `window` (beside the snippets' and stand-ins' globals in
 * mocks/browser-globals.d.ts), for their `page.evaluate` bodies.
 */
import type { RecordedEvent } from './tito-widget.pages.ts';

declare global {
  interface Window {
    /** Every Tito event, recorded through `tito('on:…')` (tito-widget specs). */
    titoEvents?: RecordedEvent[];
    /** Every Tito event, recorded through v1's `Tito.on` (tito-widget specs). */
    v1Events?: RecordedEvent[];
    /** The order queued handlers ran in (tito-widget specs). */
    order?: string[];
    /** A click callback's calls, and its answer (trackdesk.spec.ts). */
    calls?: [string, string][];
    clickAnswer?: unknown;
    /** Each click callback's label, and whether each stub ran before or after tracking.js (trackdesk-load-order.spec.ts). */
    clicked?: string[];
    stubs?: string[];
    /** tracking.js as a page read it with fetch() (trackdesk-real-path.spec.ts). */
    stolen?: string;
  }
}
