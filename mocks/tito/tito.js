// Stand-in for https://js.tito.io/v2 (and its plugin paths), served by the mocked Tito after
// checkout-ui.js and embed.js. It runs the `tito` queue a page fills before it loads, defines
// <tito-widget> and <tito-button>, and fires Tito's events to every handler registered with
// tito('on:NAME', fn). Default embed: the checkout renders in an iframe on checkout.tito.io and
// reports its events by postMessage; with the `inline` plugin it renders into the page.
(function () {
  'use strict';
  var w = window;
  var standIn = w.__titoStandIn;
  if (standIn.loaded.indexOf('v2') >= 0) return; // a second copy of the script changes nothing
  standIn.loaded.push('v2');
  var config = { allowedEvents: null };
  var embed = w.__titoEmbed({
    version: 'v2',
    inline: plugins(document.currentScript).indexOf('inline') >= 0,
    namesFor: function (name) {
      return [name];
    },
  });

  // The plugins a page asked for: js.tito.io/v2/with/inline,ga4/without/widget-css → ['inline', 'ga4'].
  function plugins(script) {
    var path = script ? new URL(script.src).pathname : '';
    var list = /\/with\/([^/]+)/.exec(path);
    return list
      ? decodeURIComponent(list[1]).split(',').map(function (name) {
          return name.trim();
        })
      : [];
  }

  function allowed(event, fromScript) {
    if (!fromScript && !config.allowedEvents) return true;
    if (config.allowedEvents && config.allowedEvents.indexOf(event) >= 0) return true;
    console.error('[tito] ' + event + ' is not in allowedEvents: call tito("config.set", {allowedEvents: ["' + event + '"]}) first');
    return false;
  }

  function mountWidget(host, event, kind) {
    if (event && !allowed(event, kind === 'mount')) return embed.refuse(host, event, kind, 'This widget is not allowed to show ' + event);
    embed.mountWidget(host, event, kind);
  }

  function mountButton(host, event, label, kind) {
    if (event && !allowed(event, kind === 'mount')) return embed.refuse(host, event, kind, 'This widget is not allowed to show ' + event);
    embed.mountButton(host, event, label, kind);
  }

  function tito(command, arg) {
    if (typeof command === 'string' && command.indexOf('on:') === 0) return embed.on(command.slice(3), arg);
    arg = arg || {};
    var host = typeof arg.el === 'string' ? document.querySelector(arg.el) : arg.el;
    if (command === 'config.set') {
      if (arg.allowedEvents) config.allowedEvents = arg.allowedEvents.slice();
    } else if ((command === 'widget.mount' || command === 'button.mount') && !host) {
      console.error('[tito] ' + command + ': no element ' + arg.el);
    } else if (command === 'widget.mount') {
      mountWidget(host, arg.event, 'mount');
    } else if (command === 'button.mount') {
      mountButton(host, arg.event, arg.buttonLabel, 'mount');
    } else {
      console.warn('[tito] unknown command', command);
    }
  }

  var queued = (w.tito && w.tito.q) || [];
  w.tito = tito;
  queued.splice(0).forEach(function (args) {
    tito.apply(null, args);
  });

  customElements.define(
    'tito-widget',
    class extends HTMLElement {
      connectedCallback() {
        mountWidget(this, this.getAttribute('event'), 'widget');
      }
    },
  );
  customElements.define(
    'tito-button',
    class extends HTMLElement {
      connectedCallback() {
        mountButton(this, this.getAttribute('event'), undefined, 'button');
      }
    },
  );
})();
