// The Tito checkout as a buyer sees it: ticket choice, then name/email (and card for a paid order),
// then a confirmation. The mocked Tito serves it twice: in its scripts, which render it into the page
// (v2's `inline` plugin, and v1), and inside the checkout iframe of v2's default embed.
// `emit(name, data)` reports Tito's events; `report(state, message?)` says whether the storefront
// shows tickets ('rendered') or an 'error'.
(function () {
  'use strict';
  var CHECKOUT = 'https://checkout.tito.io/';

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'text') node.textContent = attrs[key];
      else if (attrs[key] !== false && attrs[key] != null) node.setAttribute(key, attrs[key] === true ? '' : attrs[key]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  function api(path, body) {
    var options = body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : undefined;
    return fetch(CHECKOUT + path, options).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) throw new Error(json.error || 'Tito checkout failed');
        return json;
      });
    });
  }

  /**
   * options: { event: 'account/event', releases?: [slugs], discountCode?, prefill?: {name, email, …},
   *            metadata?: {…}, locale?, source?, preloaded?: the widget:loaded data, when the page was served with it }
   */
  function mountCheckout(host, options, emit, report) {
    var eventPath = options.event;
    report = report || function () {};

    function show(children) {
      host.replaceChildren(el('div', { class: 'tito-widget-form' }, children));
    }

    function fail(message) {
      show([el('p', { class: 'tito-error', role: 'alert', text: message })]);
      report('error', message);
    }

    function showReleases(event) {
      var releases = event.releases.filter(function (r) {
        return !options.releases || options.releases.indexOf(r.slug) >= 0;
      });
      if (event.made_up && options.releases && releases.length < options.releases.length) {
        // An event the stand-in made up sells the releases the storefront names, as the organiser set them up.
        releases = options.releases.map(function (slug) {
          var known = event.releases.filter(function (r) { return r.slug === slug; })[0];
          return known || { slug: slug, title: slug.replace(/[-_]+/g, ' ').replace(/\b\w/g, function (c) { return c.toUpperCase(); }), price: '49.00' };
        });
      }
      if (releases.length === 0) {
        return fail('There are no tickets on sale for ' + event.title + (options.releases ? ': releases="' + options.releases.join(',') + '" names none of them' : ''));
      }
      var form = el(
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
      );
      var status = el('p', { class: 'tito-error', role: 'alert' });
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var lineItems = releases
          .map(function (release) {
            return { release_slug: release.slug, quantity: Number(form.elements[release.slug].value) };
          })
          .filter(function (item) {
            return item.quantity > 0;
          });
        if (lineItems.length === 0) {
          status.textContent = 'Choose at least one ticket';
          return;
        }
        api(eventPath + '/registrations', { line_items: lineItems, discount_code: options.discountCode || null, source: options.source || null })
          .then(function (started) {
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

    function showDetails(event, registration) {
      var prefill = options.prefill || {};
      var paid = Number(registration.total) > 0;
      var fields = [
        el('p', { class: 'tito-total', text: 'Total ' + event.currency_symbol + registration.total }),
        el('label', {}, [el('span', { text: 'Name' }), el('input', { name: 'name', autocomplete: 'name', value: prefill.name || '' })]),
        el('label', {}, [el('span', { text: 'Email' }), el('input', { name: 'email', type: 'email', autocomplete: 'email', value: prefill.email || '' })]),
      ];
      if (paid) fields.push(el('label', {}, [el('span', { text: 'Card number' }), el('input', { name: 'card', autocomplete: 'cc-number', inputmode: 'numeric' })]));
      var terms = null;
      if (event.terms_url) {
        terms = el('input', { type: 'checkbox', name: 'terms' });
        terms.addEventListener('change', function () {
          if (terms.checked) emit('registration:terms_accepted');
        });
        fields.push(el('label', {}, [terms, el('span', { text: 'I accept the terms and conditions' })]));
      }
      var form = el('form', { class: 'tito-details', 'aria-label': 'Your details' }, fields.concat([el('button', { type: 'submit', text: 'Complete registration' })]));
      var status = el('p', { class: 'tito-error', role: 'alert' });
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        status.textContent = '';
        if (terms && !terms.checked) {
          status.textContent = 'Please accept the terms and conditions';
          return;
        }
        api(eventPath + '/registrations/' + registration.slug + '/complete', {
          name: form.elements.name.value,
          email: form.elements.email.value,
          card: paid ? form.elements.card.value : null,
          metadata: options.metadata || {},
        })
          .then(function (finished) {
            emit('registration:finished', finished);
            showThanks(event, finished);
          })
          .catch(function (error) {
            status.textContent = error.message;
          });
      });
      show([el('h2', { text: event.title }), form, status]);
    }

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
      .then(function (event) {
        emit('widget:loaded', event);
        showReleases(event);
      })
      .catch(function (error) {
        fail(error.message);
      });
  }

  window.__titoMountCheckout = mountCheckout;
})();
