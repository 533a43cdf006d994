// @ts-check
// The Tito checkout as a buyer sees it: ticket choice, then name/email (and card for a paid order),
// then a confirmation. The mocked Tito serves it twice: in its scripts, which render it into the page
// (v2's `inline` plugin, and v1), and inside the checkout iframe of v2's default embed.
// `emit(name, data)` reports Tito's events; `report(state, message?)` says whether the storefront
// shows tickets ('rendered') or an 'error'.
(function () {
  'use strict';
  /** @typedef {import('../browser-globals.d.ts').CheckoutOptions} CheckoutOptions */
  /** @typedef {import('./payloads.ts').WidgetLoaded} WidgetLoaded */
  /** @typedef {import('./payloads.ts').RegistrationStarted} RegistrationStarted */
  /** @typedef {import('./payloads.ts').RegistrationFinished} RegistrationFinished */
  /** @typedef {WidgetLoaded['releases'][number]} Release */
  var protocol = __TITO_PROTOCOL__;

  /**
   * An element with attributes (`text` sets its text; `true` a bare attribute; false or null none) and children.
   * @param {string} tag
   * @param {Record<string, string | boolean | null | undefined>} [attrs]
   * @param {Node[]} [children]
   * @returns {HTMLElement}
   */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    var given = attrs || {};
    Object.keys(given).forEach(function (key) {
      var value = given[key];
      if (key === 'text') node.textContent = /** @type {string} */ (value);
      else if (value !== false && value != null) node.setAttribute(key, value === true ? '' : value);
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  /**
   * The stand-in's own checkout API on checkout.tito.io (Tito's is not public).
   * @param {string} path
   * @param {object} [body] posted as JSON; none: a GET
   * @returns {Promise<any>} the answer's JSON
   */
  function api(path, body) {
    var options = body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : undefined;
    return fetch(protocol.checkoutOrigin + '/' + path, options).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) throw new Error(json.error || 'Tito checkout failed');
        return json;
      });
    });
  }

  /**
   * @param {Element} host
   * @param {CheckoutOptions} options
   * @param {import('../browser-globals.d.ts').EmitTitoEvent} emit
   * @param {import('../browser-globals.d.ts').ReportState} [reportState]
   */
  function mountCheckout(host, options, emit, reportState) {
    var eventPath = options.event;
    var report = reportState || function () {};

    /** @param {Node[]} children */
    function show(children) {
      host.replaceChildren(el('div', { class: 'tito-widget-form' }, children));
    }

    /** @param {string} message */
    function fail(message) {
      show([el('p', { class: 'tito-error', role: 'alert', text: message })]);
      report('error', message);
    }

    /** @param {WidgetLoaded} event */
    function showReleases(event) {
      var named = options.releases;
      var releases = event.releases.filter(function (r) {
        return !named || named.indexOf(r.slug) >= 0;
      });
      if (event.made_up && named && releases.length < named.length) {
        // An event the stand-in made up sells the releases the storefront names, as the organiser set them up.
        releases = named.map(function (slug) {
          var known = event.releases.filter(function (r) { return r.slug === slug; })[0];
          return known || { slug: slug, title: slug.replace(/[-_]+/g, ' ').replace(/\b\w/g, function (c) { return c.toUpperCase(); }), price: protocol.madeUpPrice };
        });
      }
      if (releases.length === 0) {
        return fail('There are no tickets on sale for ' + event.title + (named ? ': releases="' + named.join(',') + '" names none of them' : ''));
      }
      var form = /** @type {HTMLFormElement} */ (el(
        'form',
        { class: 'tito-releases', 'aria-label': event.title + ' tickets' },
        releases
          .map(function (release) {
            return el('label', { class: 'tito-release' }, [
              el('span', { class: 'tito-release-title', text: release.title + ' ' + event.currency_symbol + release.price }),
              el('input', { type: 'number', min: '0', max: '50', value: '0', name: release.slug, 'aria-label': 'Quantity of ' + release.title }),
            ]);
          })
          .concat([el('button', { type: 'submit', text: 'Register' })]),
      ));
      var status = el('p', { class: 'tito-error', role: 'alert' });
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var lineItems = releases
          .map(function (release) {
            return { release_slug: release.slug, quantity: Number(field(form, release.slug).value) };
          })
          .filter(function (item) {
            return item.quantity > 0;
          });
        if (lineItems.length === 0) {
          status.textContent = 'Choose at least one ticket';
          return;
        }
        api(eventPath + '/registrations', { line_items: lineItems, discount_code: options.discountCode || null, source: options.source || null })
          .then(/** @param {RegistrationStarted} started */ function (started) {
            emit('registration:started', started);
            showDetails(event, started);
          })
          .catch(function (error) {
            status.textContent = error.message;
          });
      });
      show([el('h2', { text: event.title }), form, status]);
      report('rendered');
    }

    /**
     * @param {WidgetLoaded} event
     * @param {RegistrationStarted} registration
     */
    function showDetails(event, registration) {
      var prefill = options.prefill || {};
      var paid = Number(registration.total) > 0;
      var fields = [
        el('p', { class: 'tito-total', text: 'Total ' + event.currency_symbol + registration.total }),
        el('label', {}, [el('span', { text: 'Name' }), el('input', { name: 'name', autocomplete: 'name', value: prefill.name || '' })]),
        el('label', {}, [el('span', { text: 'Email' }), el('input', { name: 'email', type: 'email', autocomplete: 'email', value: prefill.email || '' })]),
      ];
      if (paid) fields.push(el('label', {}, [el('span', { text: 'Card number' }), el('input', { name: 'card', autocomplete: 'cc-number', inputmode: 'numeric' })]));
      /** @type {HTMLInputElement | null} */
      var terms = null;
      if (event.terms_url) {
        var box = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', name: 'terms' }));
        box.addEventListener('change', function () {
          if (box.checked) emit('registration:terms_accepted');
        });
        fields.push(el('label', {}, [box, el('span', { text: 'I accept the terms and conditions' })]));
        terms = box;
      }
      var form = /** @type {HTMLFormElement} */ (el('form', { class: 'tito-details', 'aria-label': 'Your details' }, fields.concat([el('button', { type: 'submit', text: 'Complete registration' })])));
      var status = el('p', { class: 'tito-error', role: 'alert' });
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        status.textContent = '';
        if (terms && !terms.checked) {
          status.textContent = 'Please accept the terms and conditions';
          return;
        }
        api(eventPath + '/registrations/' + registration.slug + '/complete', {
          name: field(form, 'name').value,
          email: field(form, 'email').value,
          card: paid ? field(form, 'card').value : null,
          metadata: options.metadata || {},
        })
          .then(/** @param {RegistrationFinished} finished */ function (finished) {
            emit('registration:finished', finished);
            showThanks(event, finished);
          })
          .catch(function (error) {
            status.textContent = error.message;
          });
      });
      show([el('h2', { text: event.title }), form, status]);
    }

    /**
     * @param {WidgetLoaded} event
     * @param {RegistrationFinished} finished
     */
    function showThanks(event, finished) {
      var again = el('button', { type: 'button', text: 'Register again' });
      again.addEventListener('click', function () {
        showReleases(event);
      });
      show([el('div', { class: 'tito-thanks', role: 'status' }, [el('p', { text: 'Thanks, ' + finished.name + '! Your registration ' + finished.reference + ' is complete.' })]), again]);
    }

    var loading = options.preloaded
      ? Promise.resolve(options.preloaded)
      : api(eventPath + '/widget' + (options.locale ? '?locale=' + encodeURIComponent(options.locale) : ''));
    loading
      .then(/** @param {WidgetLoaded} event */ function (event) {
        emit('widget:loaded', event);
        showReleases(event);
      })
      .catch(function (error) {
        fail(error.message);
      });
  }

  /**
   * A form's input by name.
   * @param {HTMLFormElement} form
   * @param {string} name
   */
  function field(form, name) {
    return /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
  }

  window.__titoMountCheckout = mountCheckout;
})();
