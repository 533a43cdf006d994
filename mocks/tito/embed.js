// The page side of Tito's embed, shared by the v1 and v2 stand-ins (served after checkout-ui.js):
// storefronts (a widget, or a button that opens the checkout in an overlay), rendered into the page or
// in an iframe on checkout.tito.io, and a record of them that a gate can read instead of guessing:
//   window.__titoStandIn = { loaded: ['v2'], storefronts: [{ kind, event, version, state, message? }] }
// state is 'loading', then 'rendered' (tickets on show; a button once it shows) or 'error'. Each
// storefront's host element carries its state in data-tito-stand-in, so a test can wait on it.
(function () {
  'use strict';
  var w = window;
  var standIn = w.__titoStandIn || (w.__titoStandIn = { loaded: [], storefronts: [] });

  function attr(node, name) {
    var value = node.getAttribute(name);
    return value === null || value === '' ? undefined : value;
  }

  function optionsFrom(node, event) {
    var prefill;
    try {
      prefill = attr(node, 'prefill') ? JSON.parse(attr(node, 'prefill')) : undefined;
    } catch (e) {
      console.error('[tito] prefill is not JSON', e);
    }
    var metadata = {};
    var query = new URLSearchParams(location.search);
    (attr(node, 'save-metadata-parameters') || '').split(',').forEach(function (name) {
      name = name.trim();
      if (name && query.has(name)) metadata[name] = query.get(name);
    });
    return {
      event: event,
      releases: attr(node, 'releases') ? attr(node, 'releases').split(',').map(function (s) { return s.trim(); }) : undefined,
      discountCode: attr(node, 'discount-code'),
      prefill: prefill,
      metadata: metadata,
      locale: attr(node, 'locale'),
      source: location.href,
    };
  }

  /**
   * setup: { version: 'v1' | 'v2', inline: whether the checkout renders into the page,
   *          namesFor(checkoutEvent): the names this version's API fires for one of the checkout's events }
   */
  function createEmbed(setup) {
    var handlers = {};
    var frames = [];
    var storefronts = new WeakMap(); // host element → its record, so a re-mounted host keeps one record

    function on(name, fn) {
      (handlers[name] = handlers[name] || []).push(fn);
    }

    function emit(checkoutEvent, data) {
      setup.namesFor(checkoutEvent).forEach(function (name) {
        (handlers[name] || []).slice().forEach(function (fn) {
          try {
            fn(data);
          } catch (error) {
            console.error(error); // Tito keeps going when a page's handler throws
          }
        });
      });
    }

    /** Records a storefront mounted on `host`; returns report(state, message?) that updates it. */
    function track(host, kind, event) {
      var storefront = storefronts.get(host);
      if (!storefront) {
        storefront = { kind: kind, event: '', version: setup.version, state: 'loading' };
        standIn.storefronts.push(storefront);
        storefronts.set(host, storefront);
      }
      storefront.event = event || '';
      if (event) host.setAttribute('data-tito-event', event);
      function report(state, message) {
        storefront.state = state;
        if (message) storefront.message = message;
        else delete storefront.message;
        host.setAttribute('data-tito-stand-in', state);
      }
      report('loading');
      return report;
    }

    function renderCheckout(host, options, report) {
      if (location.protocol !== 'https:') {
        // Tito's widget needs https; on plain http it falls back to a link to the event.
        host.replaceChildren(Object.assign(document.createElement('a'), { href: 'https://ti.to/' + options.event, textContent: 'Get tickets on Tito', className: 'tito-fallback-link' }));
        return report('error', "Tito's widget needs https: on " + location.protocol + '// it is only a link to https://ti.to/' + options.event);
      }
      if (setup.inline) return w.__titoMountCheckout(host, options, emit, report);
      var frame = document.createElement('iframe');
      frame.title = 'Tito checkout';
      frame.className = 'tito-widget-iframe';
      frame.style.cssText = 'border:0;width:100%;min-height:420px';
      frame.src =
        'https://checkout.tito.io/' + options.event + '/embed' + (options.locale ? '?locale=' + encodeURIComponent(options.locale) : '') + '#' + encodeURIComponent(JSON.stringify(options));
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

    function noEvent(kind) {
      return 'The ' + kind + ' names no event: give it event="account/event"';
    }

    function mountWidget(host, event, kind) {
      var report = track(host, kind, event);
      if (!event) return report('error', noEvent(kind));
      renderCheckout(host, optionsFrom(host, event), report);
    }

    function mountButton(host, event, label, kind) {
      var report = track(host, kind, event);
      if (!event) return report('error', noEvent(kind));
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'tito-widget-button';
      button.textContent = label || host.textContent.trim() || 'Buy tickets';
      button.addEventListener('click', function () {
        openOverlay(optionsFrom(host, event), report);
      });
      host.replaceChildren(button);
      report('rendered');
    }

    function refuse(host, event, kind, message) {
      var report = track(host, kind, event);
      host.replaceChildren(Object.assign(document.createElement('p'), { className: 'tito-error', textContent: message }));
      host.firstChild.setAttribute('role', 'alert');
      report('error', message);
    }

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

  w.__titoEmbed = createEmbed;
})();
