// @ts-check
// Stand-in for Tito's deprecated v1 script (TITO_V1_URL in protocol.ts), still live on older sites,
// served after checkout-ui.js and embed.js (the same checkout, rendered into the page). Its API is a
// global `Tito` with Tito.on(name, fn) and `TitoWidget.buildWidgets()`. It has no tito() queue and
// never runs window.tito.q, so the guide's tito('on:registration:finished', …) snippet never runs under v1.
// It builds the <tito-widget>/<tito-button> elements in the page once it is ready; elements added
// later render only when the page calls TitoWidget.buildWidgets().
(function () {
  'use strict';
  var w = window;
  var protocol = __TITO_PROTOCOL__;

  // The checkout's events under v1's names; a finished registration fires both of its names.
  /** @type {Record<string, string[]>} */
  var V1_NAMES = {
    'widget:loaded': ['event:landing'],
    'registration:started': ['registration:started'],
    'registration:finished': ['registration:finished', 'registration:complete'],
  };
  // embed.js, served before this file in the same script.
  var created = /** @type {NonNullable<Window['__titoEmbed']>} */ (w.__titoEmbed)({
    version: 'v1',
    inline: true,
    namesFor: function (name) {
      return V1_NAMES[name] || [];
    },
  });
  if (!created) return; // a second copy of the script changes nothing
  var embed = created;

  function buildWidgets() {
    document.querySelectorAll(protocol.elements.widget + ', ' + protocol.elements.button).forEach(function (host) {
      if (host.hasAttribute('data-tito-stand-in')) return; // built already: keep a checkout in progress
      var event = host.getAttribute('event');
      if (host.localName === protocol.elements.widget) embed.mountWidget(host, event, 'widget');
      else embed.mountButton(host, event, undefined, 'button');
    });
  }

  w.Tito = { on: embed.on };
  w.TitoWidget = { buildWidgets: buildWidgets };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', buildWidgets);
  else buildWidgets();
})();
