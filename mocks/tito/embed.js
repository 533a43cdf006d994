// @ts-check
// The page side of Tito's embed, shared by the v1 and v2 stand-ins (served after checkout-ui.js):
// storefronts (a widget, or a button that opens the checkout in an overlay), rendered into the page or
// in an iframe on checkout.tito.io, and a record of them that a gate can read instead of guessing:
//   window.__titoStandIn = { loaded: ['v2'], storefronts: [{ kind, event, version, state, message? }], finished: [{ handlers, returned }] }
// state is 'loading', then 'rendered' (tickets on show; a button once it shows) or 'error'. Each
// storefront's host element carries its state in data-tito-stand-in, so a test can wait on it.
(function () {
  'use strict';
  /** @typedef {import('../browser-globals.d.ts').CheckoutOptions} CheckoutOptions */
  /** @typedef {import('../browser-globals.d.ts').ReportState} ReportState */
  /** @typedef {import('./protocol.ts').TitoStorefront} TitoStorefront */
  var w = window;
  var protocol = __TITO_PROTOCOL__;
  var standIn = w.__titoStandIn || (w.__titoStandIn = { loaded: [], storefronts: [], finished: [] });
  // Served before this file, in the same script.
  var mountCheckout = /** @type {NonNullable<Window['__titoMountCheckout']>} */ (w.__titoMountCheckout);

  /**
   * An attribute's value; an empty one counts as absent.
   * @param {Element} node
   * @param {string} name
   */
  function attr(node, name) {
    var value = node.getAttribute(name);
    return value === null || value === '' ? undefined : value;
  }

  /**
   * The checkout a storefront element asks for, from its attributes and the page's URL.
   * @param {Element} node
   * @param {string} event
   * @returns {CheckoutOptions}
   */
  function optionsFrom(node, event) {
    var prefill;
    var prefilled = attr(node, 'prefill');
    try {
      prefill = prefilled ? JSON.parse(prefilled) : undefined;
    } catch (e) {
      console.error('[tito] prefill is not JSON', e);
    }
    /** @type {Record<string, string>} */
    var metadata = {};
    var query = new URLSearchParams(location.search);
    (attr(node, 'save-metadata-parameters') || '').split(',').forEach(function (name) {
      name = name.trim();
      if (name && query.has(name)) metadata[name] = /** @type {string} */ (query.get(name));
    });
    var releases = attr(node, 'releases');
    return {
      event: event,
      releases: releases ? releases.split(',').map(function (s) { return s.trim(); }) : undefined,
      discountCode: attr(node, 'discount-code'),
      prefill: prefill,
      metadata: metadata,
      locale: attr(node, 'locale'),
      source: location.href,
    };
  }

  /**
   * @param {import('../browser-globals.d.ts').EmbedSetup} setup
   * @returns {import('../browser-globals.d.ts').Embed}
   */
  function createEmbed(setup) {
    /** @type {Record<string, ((data: unknown) => void)[]>} */
    var handlers = {};
    /** @type {{ frame: HTMLIFrameElement, report: ReportState }[]} */
    var frames = [];
    /** @type {WeakMap<Element, TitoStorefront>} host element → its record, so a re-mounted host keeps one record */
    var storefronts = new WeakMap();

    /**
     * @param {string} name
     * @param {(data: unknown) => void} fn
     */
    function on(name, fn) {
      (handlers[name] = handlers[name] || []).push(fn);
    }

    /**
     * @param {string} checkoutEvent
     * @param {unknown} [data]
     */
    function emit(checkoutEvent, data) {
      var heard = { handlers: 0, returned: 0 };
      setup.namesFor(checkoutEvent).forEach(function (name) {
        (handlers[name] || []).slice().forEach(function (fn) {
          heard.handlers += 1;
          try {
            fn(data);
            heard.returned += 1;
          } catch (error) {
            console.error(error); // Tito keeps going when a page's handler throws
          }
        });
      });
      if (checkoutEvent === 'registration:finished') (standIn.finished = standIn.finished || []).push(heard);
    }

    /**
     * Records a storefront mounted on `host`; returns report(state, message?) that updates it.
     * @param {Element} host
     * @param {TitoStorefront['kind']} kind
     * @param {string | null | undefined} event
     * @returns {ReportState}
     */
    function track(host, kind, event) {
      var record = storefronts.get(host);
      if (!record) {
        record = { kind: kind, event: '', version: setup.version, state: 'loading' };
        standIn.storefronts.push(record);
        storefronts.set(host, record);
      }
      var storefront = record;
      storefront.event = event || '';
      if (event) host.setAttribute('data-tito-event', event);
      /** @type {ReportState} */
      function report(state, message) {
        storefront.state = state;
        if (message) storefront.message = message;
        else delete storefront.message;
        host.setAttribute('data-tito-stand-in', state);
      }
      report('loading');
      return report;
    }

    /**
     * @param {Element} host
     * @param {CheckoutOptions} options
     * @param {ReportState} report
     */
    function renderCheckout(host, options, report) {
      if (location.protocol !== 'https:') {
        // Tito's widget needs https; on plain http it falls back to a link to the event.
        host.replaceChildren(Object.assign(document.createElement('a'), { href: protocol.eventPageOrigin + '/' + options.event, textContent: 'Get tickets on Tito', className: 'tito-fallback-link' }));
        return report('error', "Tito's widget needs https: on " + location.protocol + '// it is only a link to ' + protocol.eventPageOrigin + '/' + options.event);
      }
      if (setup.inline) return mountCheckout(host, options, emit, report);
      var frame = document.createElement('iframe');
      frame.title = 'Tito checkout';
      frame.className = 'tito-widget-iframe';
      frame.style.cssText = 'border:0;width:100%;min-height:420px';
      frame.src =
        protocol.checkoutOrigin + '/' + options.event + '/embed' + (options.locale ? '?locale=' + encodeURIComponent(options.locale) : '') + '#' + encodeURIComponent(JSON.stringify(options));
      frames.push({ frame: frame, report: report });
      host.replaceChildren(frame);
    }

    w.addEventListener('message', function (message) {
      var from = frames.filter(function (f) {
        return f.frame.contentWindow === message.source;
      })[0];
      var data = message.data;
      if (!from || !data) return;
      if (data.tito === 'event') emit(data.name, data.payload);
      if (data.tito === 'state') from.report(data.state === 'rendered' ? 'rendered' : 'error', data.message);
    });

    /** @param {string} kind */
    function noEvent(kind) {
      return 'The ' + kind + ' names no event: give it event="account/event"';
    }

    /** @type {import('../browser-globals.d.ts').Embed['mountWidget']} */
    function mountWidget(host, event, kind) {
      var report = track(host, kind, event);
      if (!event) return report('error', noEvent(kind));
      renderCheckout(host, optionsFrom(host, event), report);
    }

    /** @type {import('../browser-globals.d.ts').Embed['mountButton']} */
    function mountButton(host, event, label, kind) {
      var report = track(host, kind, event);
      if (!event) return report('error', noEvent(kind));
      var button = document.createElement('button');
      button.type = 'button';
      button.className = protocol.buttonClass;
      button.textContent = label || (host.textContent || '').trim() || 'Buy tickets';
      button.addEventListener('click', function () {
        openOverlay(optionsFrom(host, event), report);
      });
      host.replaceChildren(button);
      report('rendered');
    }

    /** @type {import('../browser-globals.d.ts').Embed['refuse']} */
    function refuse(host, event, kind, message) {
      var report = track(host, kind, event);
      var notice = Object.assign(document.createElement('p'), { className: 'tito-error', textContent: message });
      host.replaceChildren(notice);
      notice.setAttribute('role', 'alert');
      report('error', message);
    }

    /**
     * @param {CheckoutOptions} options
     * @param {ReportState} report
     */
    function openOverlay(options, report) {
      var overlay = document.createElement('div');
      overlay.className = 'tito-overlay';
      overlay.setAttribute('role', 'dialog');
      overlay.setAttribute('aria-label', 'Tito checkout');
      overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center';
      var panel = document.createElement('div');
      panel.style.cssText = 'background:#fff;padding:1rem;min-width:320px';
      var close = document.createElement('button');
      close.type = 'button';
      close.className = 'tito-overlay-close';
      close.textContent = 'Close';
      close.addEventListener('click', function () {
        overlay.remove();
      });
      var body = document.createElement('div');
      panel.append(close, body);
      overlay.append(panel);
      document.body.append(overlay);
      renderCheckout(body, options, report);
    }

    return { on: on, mountWidget: mountWidget, mountButton: mountButton, refuse: refuse };
  }

  // Once per version: a second copy of the same script gets null and changes nothing.
  w.__titoEmbed = function (setup) {
    if (standIn.loaded.indexOf(setup.version) >= 0) return null;
    standIn.loaded.push(setup.version);
    return createEmbed(setup);
  };
})();
