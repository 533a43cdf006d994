// Stand-in for https://js.tito.io/v2 (and its plugin paths), served by the mocked Tito after
// checkout-ui.js. It runs the `tito` queue a page fills before it loads, defines <tito-widget> and
// <tito-button>, and fires Tito's events to every handler registered with tito('on:NAME', fn).
// Default embed: the checkout renders in an iframe on checkout.tito.io and reports its events by
// postMessage; with the `inline` plugin it renders into the page.
(function () {
  'use strict';
  var w = window;
  if (w.__titoStandIn) return; // a second copy of the script changes nothing
  var script = document.currentScript;
  var plugins = script ? new URL(script.src).pathname : '';
  var inline = /\/with\/inline(\/|$)/.test(plugins.split('/without/')[0]);
  var handlers = {};
  var config = { allowedEvents: null };
  var frames = [];

  function emit(name, data) {
    (handlers[name] || []).slice().forEach(function (fn) {
      try {
        fn(data);
      } catch (error) {
        console.error(error); // Tito keeps going when a page's handler throws
      }
    });
  }

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

  function renderCheckout(host, options) {
    if (location.protocol !== 'https:') {
      // Tito's widget needs https; on plain http it falls back to a link to the event.
      host.replaceChildren(Object.assign(document.createElement('a'), { href: 'https://ti.to/' + options.event, textContent: 'Get tickets on Tito', className: 'tito-fallback-link' }));
      return;
    }
    if (inline) {
      w.__titoMountCheckout(host, options, emit);
      return;
    }
    var frame = document.createElement('iframe');
    frame.title = 'Tito checkout';
    frame.className = 'tito-widget-iframe';
    frame.style.cssText = 'border:0;width:100%;min-height:420px';
    frame.src =
      'https://checkout.tito.io/' + options.event + '/embed' + (options.locale ? '?locale=' + encodeURIComponent(options.locale) : '') + '#' + encodeURIComponent(JSON.stringify(options));
    frames.push(frame);
    host.replaceChildren(frame);
  }

  w.addEventListener('message', function (message) {
    var fromOurFrame = frames.some(function (f) {
      return f.contentWindow === message.source;
    });
    var data = message.data;
    if (fromOurFrame && data && data.tito === 'event') emit(data.name, data.payload);
  });

  function allowed(event, fromScript) {
    if (!fromScript && !config.allowedEvents) return true;
    if (config.allowedEvents && config.allowedEvents.indexOf(event) >= 0) return true;
    console.error('[tito] ' + event + ' is not in allowedEvents: call tito("config.set", {allowedEvents: ["' + event + '"]}) first');
    return false;
  }

  function refuse(host, event) {
    host.replaceChildren(Object.assign(document.createElement('p'), { className: 'tito-error', role: 'alert', textContent: 'This widget is not allowed to show ' + event }));
    host.firstChild.setAttribute('role', 'alert');
  }

  function mountWidget(host, event, fromScript) {
    if (!event) return;
    if (!allowed(event, fromScript)) return refuse(host, event);
    renderCheckout(host, optionsFrom(host, event));
  }

  function mountButton(host, event, label, fromScript) {
    if (!event) return;
    if (!allowed(event, fromScript)) return refuse(host, event);
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'tito-widget-button';
    button.textContent = label || host.textContent.trim() || 'Buy tickets';
    button.addEventListener('click', function () {
      openOverlay(optionsFrom(host, event));
    });
    host.replaceChildren(button);
  }

  function openOverlay(options) {
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
    renderCheckout(body, options);
  }

  function tito(command, arg) {
    if (typeof command === 'string' && command.indexOf('on:') === 0) {
      var name = command.slice(3);
      (handlers[name] = handlers[name] || []).push(arg);
      return;
    }
    arg = arg || {};
    var host = typeof arg.el === 'string' ? document.querySelector(arg.el) : arg.el;
    if (command === 'config.set') {
      if (arg.allowedEvents) config.allowedEvents = arg.allowedEvents.slice();
    } else if (command === 'widget.mount' && host) {
      mountWidget(host, arg.event, true);
    } else if (command === 'button.mount' && host) {
      mountButton(host, arg.event, arg.buttonLabel, true);
    } else {
      console.warn('[tito] unknown command', command);
    }
  }

  w.__titoStandIn = true;
  var queued = (w.tito && w.tito.q) || [];
  w.tito = tito;
  queued.splice(0).forEach(function (args) {
    tito.apply(null, args);
  });

  customElements.define(
    'tito-widget',
    class extends HTMLElement {
      connectedCallback() {
        mountWidget(this, this.getAttribute('event'), false);
      }
    },
  );
  customElements.define(
    'tito-button',
    class extends HTMLElement {
      connectedCallback() {
        mountButton(this, this.getAttribute('event'), undefined, false);
      }
    },
  );
})();
