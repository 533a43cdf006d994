// @ts-check
// Stand-in for Tito's v2 script (TITO_V2_URL in protocol.ts, with any plugin path), served by the
// mocked Tito after checkout-ui.js and embed.js. It runs the `tito` queue a page fills before it
// loads, defines <tito-widget> and <tito-button>, and fires Tito's events to every handler registered
// with tito('on:NAME', fn). Default embed: the checkout renders in an iframe on checkout.tito.io and
// reports its events by postMessage; with the `inline` plugin it renders into the page.
(function () {
  'use strict';
  /** @typedef {import('../browser-globals.d.ts').Embed} Embed */
  var w = window;
  var protocol = __TITO_PROTOCOL__;
  /** @type {{ allowedEvents: string[] | null }} */
  var config = { allowedEvents: null };
  // embed.js, served before this file in the same script.
  var created = /** @type {NonNullable<Window['__titoEmbed']>} */ (w.__titoEmbed)({
    version: 'v2',
    inline: plugins(/** @type {HTMLScriptElement | null} */ (document.currentScript)).indexOf(protocol.inlinePlugin) >= 0,
    namesFor: function (name) {
      return [name];
    },
  });
  if (!created) return; // a second copy of the script changes nothing
  var embed = created;

  /**
   * The plugins a page asked for: js.tito.io/v2/with/inline,ga4/without/widget-css → ['inline', 'ga4'].
   * @param {HTMLScriptElement | null} script
   * @returns {string[]}
   */
  function plugins(script) {
    var path = script ? new URL(script.src).pathname : '';
    var list = new RegExp(protocol.pluginList).exec(path);
    return list && list[1]
      ? decodeURIComponent(list[1]).split(',').map(function (name) {
          return name.trim();
        })
      : [];
  }

  /**
   * @param {string} event
   * @param {boolean} fromScript mounted by tito('widget.mount'), which needs allowedEvents
   */
  function allowed(event, fromScript) {
    var allowedEvents = config.allowedEvents;
    if (!fromScript && !allowedEvents) return true;
    if (allowedEvents && allowedEvents.indexOf(event) >= 0) return true;
    console.error('[tito] ' + event + ' is not in allowedEvents: call tito("config.set", {allowedEvents: ["' + event + '"]}) first');
    return false;
  }

  /** @type {Embed['mountWidget']} */
  function mountWidget(host, event, kind) {
    if (event && !allowed(event, kind === 'mount')) return embed.refuse(host, event, kind, 'This widget is not allowed to show ' + event);
    embed.mountWidget(host, event, kind);
  }

  /** @type {Embed['mountButton']} */
  function mountButton(host, event, label, kind) {
    if (event && !allowed(event, kind === 'mount')) return embed.refuse(host, event, kind, 'This widget is not allowed to show ' + event);
    embed.mountButton(host, event, label, kind);
  }

  /**
   * tito('on:NAME', fn), tito('widget.mount' | 'button.mount', { el, event, buttonLabel? }), tito('config.set', { allowedEvents }).
   * @param {string} command
   * @param {any} [arg]
   */
  function tito(command, arg) {
    if (typeof command === 'string' && command.indexOf('on:') === 0) return embed.on(command.slice(3), arg);
    arg = arg || {};
    /** @type {Element | null} */
    var host = typeof arg.el === 'string' ? document.querySelector(arg.el) : arg.el;
    if (command === 'config.set') {
      if (arg.allowedEvents) config.allowedEvents = arg.allowedEvents.slice();
    } else if ((command === 'widget.mount' || command === 'button.mount') && !host) {
      console.error('[tito] ' + command + ': no element ' + arg.el);
    } else if (command === 'widget.mount') {
      mountWidget(/** @type {Element} */ (host), arg.event, 'mount');
    } else if (command === 'button.mount') {
      mountButton(/** @type {Element} */ (host), arg.event, arg.buttonLabel, 'mount');
    } else {
      console.warn('[tito] unknown command', command);
    }
  }

  var queued = (w.tito && w.tito.q) || [];
  w.tito = tito;
  queued.splice(0).forEach(function (args) {
    tito.apply(null, /** @type {[string, unknown]} */ (args)); // a call's `arguments`, as the stub queued it
  });

  customElements.define(
    protocol.elements.widget,
    class extends HTMLElement {
      connectedCallback() {
        mountWidget(this, this.getAttribute('event'), 'widget');
      }
    },
  );
  customElements.define(
    protocol.elements.button,
    class extends HTMLElement {
      connectedCallback() {
        mountButton(this, this.getAttribute('event'), undefined, 'button');
      }
    },
  );
})();
