/*
 * crmsync dashboard: a client of the management API (src/main/resources/contracts/crmsync-management-openapi.yaml)
 * and nothing else. Hand-written, no libraries, no build step.
 *
 * Safety: every value from the API is put into the page as text (DOM nodes built by h() and s(), never innerHTML),
 * because record names and reasons come from the CRMs. The one exception is the dataflow document, an HTML
 * fragment our own server renders from the configuration, and even that is parsed inertly and stripped of scripts,
 * styles and event handlers before it is shown. The service token is sent once to POST /api/session and then
 * forgotten: the browser keeps only the HttpOnly session cookie; nothing is kept in storage or in the URL.
 */
(function () {
  'use strict';

  // ------------------------------------------------------------------ words

  const FLOWS = ['organisations', 'persons', 'products'];
  const ENTITY = {
    organisations: { webcrm: 'Organisation', customcrm: 'Customer', short: 'Organisations ↔ Customers' },
    persons: { webcrm: 'Person', customcrm: 'Contact', short: 'Persons ↔ Contacts' },
    products: { webcrm: 'Product', customcrm: 'Product', short: 'Products ↔ Products' },
  };
  const SIDE = { webcrm: 'webCRM', customcrm: 'Customcrm' };
  const OTHER = { webcrm: 'customcrm', customcrm: 'webcrm' };
  const ACTIONS = {
    linked: 'Linked',
    created: 'Created',
    updated: 'Updated',
    deleted: 'Deleted',
    retired: 'No longer synced',
    resolved: 'Conflict settled',
    conflict: 'Conflict',
  };
  const POLL_MS = 5000;
  const PROGRESS_MS = 2000;
  const STATS_MS = 60000;

  function flowTitle(flow) {
    const f = state.status && state.status.flows.find((x) => x.flow === flow);
    return (f && f.title) || ('webCRM ' + ENTITY[flow].webcrm + 's ↔ Customcrm ' + ENTITY[flow].customcrm + 's');
  }

  function flowShort(flow) {
    return ENTITY[flow] ? ENTITY[flow].short : String(flow);
  }

  function recordKind(flow, side) {
    return SIDE[side] + ' ' + (ENTITY[flow] ? ENTITY[flow][side] : '');
  }

  function actionWord(action) {
    if (!action) return '';
    return ACTIONS[action] || (action.charAt(0).toUpperCase() + action.slice(1).replace(/[-_]/g, ' '));
  }

  // ------------------------------------------------------------------ state

  const state = {
    status: null,
    statusJson: '',
    stats: null,
    statsLoadedAt: 0,
    page: null,
    pageArg: null,
    source: null,
    pollTimer: null,
    statsTimer: null,
    tickTimer: null,
    reloadTimer: null,
    retryTimer: null,
    progressTimer: null,
    live: 'off',
    signedIn: false,
    conflictChoices: {},
    rendered: {},
    dataflowLoaded: false,
    recordsQuery: null,
    connectionsTimer: null,
    targetShown: null,
  };

  const $ = (id) => document.getElementById(id);

  // ------------------------------------------------------------------ where

  /**
   * Where this page is served: / for the one connection of a service, or for the overview of several, and
   * /connections/NAME/ for one of several. A connection's API is under it; the sign-in and the list of connections
   * are the service's, at /api/.
   */
  const BASE = location.pathname.replace(/[^/]*$/, '');
  const CONNECTION = (/^\/connections\/([a-z0-9-]+)\/$/.exec(BASE) || [])[1] || null;

  /** The URL of a route of this page's connection: /api/status is /connections/acme/api/status under acme. */
  function connectionUrl(path) {
    return BASE + path.replace(/^\//, '');
  }

  // ------------------------------------------------------------------ DOM helpers

  /**
   * Builds an HTML element. attrs: "class", "data-*", "aria-*" and other attributes; functions under "on…" become
   * listeners; true/false for boolean attributes. Children: nodes, strings (as text), arrays, null (skipped).
   */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  /** The same for SVG elements. */
  function s(tag, attrs, ...children) {
    const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  function setAttrs(el, attrs) {
    if (!attrs) return;
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2), value);
      } else if (key === 'style' && typeof value === 'object') {
        Object.assign(el.style, value);
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }

  function append(el, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(el, child);
      else if (child instanceof Node) el.appendChild(child);
      else el.appendChild(document.createTextNode(String(child)));
    }
  }

  /** Replaces an element's children, keeping keyboard focus on the "same" control when it is rebuilt. */
  function replace(el, ...children) {
    const active = document.activeElement;
    const focusKey = active && el.contains(active) ? focusKeyOf(active) : null;
    el.replaceChildren();
    append(el, children);
    if (focusKey) {
      const again = el.querySelector(focusKey);
      if (again) again.focus({ preventScroll: true });
    }
  }

  function focusKeyOf(node) {
    if (node.id) return '#' + CSS.escape(node.id);
    const testId = node.getAttribute('data-testid');
    if (!testId) return null;
    const holder = node.closest('[data-key]');
    return (holder ? '[data-key="' + CSS.escape(holder.getAttribute('data-key')) + '"] ' : '')
      + '[data-testid="' + CSS.escape(testId) + '"]';
  }

  /** Renders into el only when the data differ from what is shown, so live updates do not disturb the reader. */
  function renderOnce(key, data, el, build) {
    const json = JSON.stringify(data);
    if (state.rendered[key] === json) return;
    state.rendered[key] = json;
    replace(el, build(data));
  }

  // ------------------------------------------------------------------ formatting

  const numberFormat = new Intl.NumberFormat(undefined);
  const decimalFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
    day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });

  function num(n) {
    return n === null || n === undefined ? '–' : numberFormat.format(n);
  }

  function plural(n, one, many) {
    return num(n) + ' ' + (n === 1 ? one : many);
  }

  /** 12 s, 4 min 10 s, 2 h 5 min, 3 d 4 h. */
  function duration(seconds) {
    if (seconds === null || seconds === undefined || isNaN(seconds)) return '–';
    const secs = Math.max(0, seconds);
    if (secs < 1) return decimalFormat.format(secs) + ' s';
    if (secs < 60) return Math.round(secs) + ' s';
    const m = Math.floor(secs / 60);
    if (m < 60) {
      const r = Math.round(secs % 60);
      return m + ' min' + (r && m < 10 ? ' ' + r + ' s' : '');
    }
    const hours = Math.floor(m / 60);
    if (hours < 24) return hours + ' h' + (m % 60 ? ' ' + (m % 60) + ' min' : '');
    const d = Math.floor(hours / 24);
    return d + ' d' + (hours % 24 ? ' ' + (hours % 24) + ' h' : '');
  }

  /** "12 s ago", "in 18 s"; a time that should lie ahead ("due") but has passed is "due now". */
  function relative(iso, due) {
    const t = Date.parse(iso);
    if (isNaN(t)) return '';
    const diff = (t - Date.now()) / 1000;
    if (due && diff < 1.5) return 'due now';
    if (Math.abs(diff) < 1.5) return 'just now';
    return diff > 0 ? 'in ' + duration(diff) : duration(-diff) + ' ago';
  }

  function clock(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return '';
    const sameDay = d.toDateString() === new Date().toDateString();
    return (sameDay ? timeFormat : dateTimeFormat).format(d);
  }

  /** A <time> whose text says how long ago (or until); the ticker keeps it current. */
  function relTime(iso, attrs, due) {
    if (!iso) return h('span', { class: 'muted' }, 'never');
    return h('time', Object.assign({
      datetime: iso, 'data-rel': due ? 'due' : '', title: fullFormat.format(new Date(iso)),
    }, attrs || {}), relative(iso, due));
  }

  /** A <time> with the clock time, and how long ago as a tooltip. */
  function clockTime(iso) {
    if (!iso) return h('span', { class: 'muted' }, '–');
    return h('time', { datetime: iso, title: fullFormat.format(new Date(iso)) }, clock(iso));
  }

  function tick() {
    watchProgress();
    for (const el of document.querySelectorAll('time[data-rel]')) {
      const text = relative(el.getAttribute('datetime'), el.getAttribute('data-rel') === 'due');
      if (el.textContent !== text) el.textContent = text;
    }
  }

  /** A field value as people read it: empty values are said to be empty. */
  function value(v) {
    if (v === null || v === undefined || v === '') return h('span', { class: 'value-empty' }, 'empty');
    if (typeof v === 'object') return h('span', { class: 'mono' }, JSON.stringify(v));
    const reference = REFERENCE.exec(String(v));
    if (reference) {
      return h('a', { href: '#/records/' + encodeURIComponent(reference[2]), title: 'link ' + reference[2] },
        'the linked ' + ENTITY[reference[1]].webcrm.toLowerCase());
    }
    return String(v);
  }

  /** A canonical reference to another link, e.g. a person's organisation: "organisations:<link id>". */
  const REFERENCE = /^(organisations|persons|products):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

  function same(a, b) {
    return JSON.stringify(a === undefined ? null : a) === JSON.stringify(b === undefined ? null : b);
  }

  // ------------------------------------------------------------------ messages

  function toast(text, isError) {
    const box = $('toast');
    const item = h('div', { class: isError ? 'toast-error' : null }, text);
    box.appendChild(item);
    setTimeout(() => item.remove(), isError ? 9000 : 5000);
  }

  function banner(text) {
    const el = $('banner');
    el.textContent = text || '';
    el.hidden = !text;
  }

  // ------------------------------------------------------------------ API

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  class Unauthorized extends Error {
  }

  /**
   * Calls the management API with the session cookie: a route of this page's connection, or with
   * options.service one of the service's own (/api/connections). A 401 anywhere shows the sign-in form.
   */
  async function api(path, options) {
    const opts = options || {};
    const headers = { Accept: opts.accept || 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(opts.service ? path : connectionUrl(path), {
        method: opts.method || 'GET',
        credentials: 'same-origin',
        cache: 'no-store',
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
    } catch (e) {
      throw new ApiError(0, 'crmsync did not answer. Is the service running?');
    }
    if (res.status === 401) {
      signedOut(state.signedIn ? 'Your session has ended. Please sign in again.' : null);
      throw new Unauthorized('Not signed in');
    }
    if (!res.ok) {
      let detail = '';
      try {
        const problem = await res.json();
        detail = problem.detail || problem.title || '';
      } catch (e) {
        // not a problem document; the status says enough
      }
      throw new ApiError(res.status, detail || ('The service answered ' + res.status + ' ' + res.statusText));
    }
    if (res.status === 204) return null;
    const type = res.headers.get('Content-Type') || '';
    return type.includes('json') ? res.json() : res.text();
  }

  /** Runs an action of a button: disables it meanwhile, and says what happened. */
  async function act(button, work, done) {
    if (button) button.disabled = true;
    try {
      const result = await work();
      if (done) toast(typeof done === 'function' ? done(result) : done);
      return result;
    } catch (e) {
      if (!(e instanceof Unauthorized)) toast(e.message, true);
      return undefined;
    } finally {
      if (button && button.isConnected) button.disabled = false;
    }
  }

  /** Fetches a consistent copy of the store and hands it to the browser as a file to save. */
  async function downloadBackup() {
    let res;
    try {
      res = await fetch(connectionUrl('/api/store/backup'), { method: 'POST', credentials: 'same-origin', cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, 'crmsync did not answer. Is the service running?');
    }
    if (res.status === 401) {
      signedOut('Your session has ended. Please sign in again.');
      throw new Unauthorized('Not signed in');
    }
    if (!res.ok) throw new ApiError(res.status, 'The backup failed: the service answered ' + res.status);
    const disposition = res.headers.get('Content-Disposition') || '';
    const match = /filename="([^"]+)"/.exec(disposition);
    const name = match ? match[1] : 'crmsync-backup.db';
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    return name;
  }

  function reportLoadError(el, e) {
    if (e instanceof Unauthorized) return;
    replace(el, h('p', { class: 'empty error-text', role: 'alert' }, 'Could not load this page: ' + e.message));
  }

  // ------------------------------------------------------------------ sign in and out

  async function boot() {
    try {
      if (!CONNECTION) {
        // At the root: the one connection's dashboard, or the overview of several.
        const list = await api('/api/connections', { service: true });
        if (list.connections.length !== 1 || list.connections[0].path !== BASE) {
          enterConnections(list);
          return;
        }
      }
      const status = await api('/api/status');
      enter(status);
    } catch (e) {
      if (e instanceof Unauthorized) return;
      $('loading').hidden = false;
      $('loading').textContent = 'Waiting for crmsync to answer…';
      banner(e.message);
      setTimeout(boot, POLL_MS);
    }
  }

  function enter(status) {
    banner('');
    state.signedIn = true;
    $('loading').hidden = true;
    $('signin').hidden = true;
    $('app').hidden = false;
    $('session-bar').hidden = false;
    onStatus(status);
    startLive();
    clearInterval(state.statsTimer);
    state.statsTimer = setInterval(() => loadStats(), STATS_MS);
    clearInterval(state.tickTimer);
    state.tickTimer = setInterval(tick, 1000);
    route(false);
  }

  // ------------------------------------------------------------------ several connections

  /** Shows the overview of the connections a service runs, and reads it again every few seconds. */
  function enterConnections(list) {
    banner('');
    state.signedIn = true;
    $('loading').hidden = true;
    $('signin').hidden = true;
    $('app').hidden = true;
    $('connections-page').hidden = false;
    $('session-bar').hidden = false;
    setLive('polling');
    renderConnections(list);
    loadNodes().catch(() => {});
    clearInterval(state.connectionsTimer);
    state.connectionsTimer = setInterval(loadConnections, POLL_MS);
  }

  /**
   * The nodes of a cluster (PostgreSQL store): each with its heartbeat and the connections it holds. A service
   * that is no node answers 404, and the section stays hidden.
   */
  async function loadNodes() {
    let list;
    try {
      list = await api('/api/nodes', { service: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        $('nodes-section').hidden = true;
        return;
      }
      throw e;
    }
    $('nodes-section').hidden = false;
    const alive = list.nodes.filter((n) => n.alive).length;
    $('nodes-summary').replaceChildren(plural(list.nodes.length, 'node', 'nodes') + ', '
      + alive + ' alive; this page is served by ' + list.node + '.');
    $('nodes').replaceChildren(...list.nodes.map((n) => h('tr', { 'data-testid': 'node-row', 'data-node': n.name },
      h('th', { scope: 'row' }, n.url ? h('a', { href: n.url + '/', 'data-testid': 'node-link' }, n.name) : n.name,
        n.self ? ' (this one)' : ''),
      h('td', null, h('span', { class: 'pill ' + (n.alive ? 'pill-ok' : 'pill-system-down'),
        'data-testid': 'node-alive' }, n.alive ? 'Alive' : 'Silent')),
      h('td', { 'data-testid': 'node-heartbeat' }, relTime(n.heartbeat)),
      h('td', { class: 'num', 'data-testid': 'node-count' }, String(n.connections.length)),
      h('td', { 'data-testid': 'node-connections' }, n.connections.join(', ') || 'None'))));
  }

  async function loadConnections() {
    if (!state.signedIn) return;
    try {
      renderConnections(await api('/api/connections', { service: true }));
      await loadNodes();
      banner('');
      setLive('polling');
    } catch (e) {
      if (e instanceof Unauthorized) return;
      setLive('offline');
      banner(e.message);
    }
  }

  function renderConnections(list) {
    const all = list.connections;
    // On a node of a cluster, the connections held elsewhere have their health on their node's page.
    const here = all.filter((c) => c.status === 'up' || c.status === 'down');
    const down = here.filter((c) => c.status !== 'up').length;
    const attention = here.filter((c) => c.failingFlows.length > 0).length;
    const cluster = all.some((c) => 'heldBy' in c);
    let lead = plural(all.length, 'connection', 'connections');
    if (cluster) {
      lead += ', ' + (here.length ? here.length + ' synced by this node' : 'none synced by this node');
    }
    $('connections-summary').replaceChildren(cluster && !here.length ? lead + '.' : lead + ': '
      + (down ? down + ' not ready' : 'all ready')
      + (attention ? ', ' + plural(attention, 'with a flow that needs', 'with flows that need') + ' a person' : '')
      + '.');
    $('connections').replaceChildren(...all.map(connectionRow));
  }

  function connectionRow(c) {
    if (c.status === 'elsewhere' || c.status === 'unheld') {
      const where = c.status === 'elsewhere' ? 'Synced by node ' + c.heldBy : 'No node holds it yet';
      return h('tr', { 'data-testid': 'connection-row', 'data-connection': c.name },
        h('th', { scope: 'row' }, c.path ? h('a', { href: c.path, 'data-testid': 'connection-link' }, c.name) : c.name),
        h('td', null, h('span', { class: 'pill pill-quiet', 'data-testid': 'connection-status' }, where)),
        h('td', { colspan: '4', class: 'muted' }, 'Its health is on its node\'s page.'));
    }
    const up = c.status === 'up';
    const systems = Object.entries(c.systems || {}).filter(([, check]) => !check.up)
      .map(([name]) => (SIDE[name] || (name === 'store' ? 'The store' : name)) + ' does not answer');
    return h('tr', { 'data-testid': 'connection-row', 'data-connection': c.name },
      h('th', { scope: 'row' }, h('a', { href: c.path, 'data-testid': 'connection-link' }, c.name)),
      h('td', null, h('span', { class: 'pill ' + (up ? 'pill-ok' : 'pill-system-down'),
        'data-testid': 'connection-status' }, up ? 'Ready' : 'Not ready')),
      h('td', { 'data-testid': 'connection-systems' }, systems.length ? systems.join('; ') : 'All answer'),
      h('td', { 'data-testid': 'connection-failing' },
        c.failingFlows.length ? c.failingFlows.map(flowShort).join(', ') : 'None'),
      h('td', { 'data-testid': 'connection-paused' },
        c.pausedFlows === null ? 'Unknown' : c.pausedFlows.length ? c.pausedFlows.map(flowShort).join(', ') : 'None'),
      h('td', { class: 'num', 'data-testid': 'connection-dead-letters' },
        c.deadLetters === null ? 'Unknown' : String(c.deadLetters)));
  }

  /** Shows the sign-in form and forgets every piece of data shown so far. */
  function signedOut(message) {
    const wasIn = state.signedIn;
    state.signedIn = false;
    clearInterval(state.connectionsTimer);
    state.connectionsTimer = null;
    $('connections-page').hidden = true;
    $('connections').replaceChildren();
    $('connections-summary').replaceChildren();
    $('nodes').replaceChildren();
    $('nodes-summary').replaceChildren();
    stopLive();
    clearInterval(state.statsTimer);
    clearInterval(state.tickTimer);
    clearTimeout(state.reloadTimer);
    clearInterval(state.progressTimer);
    state.progressTimer = null;
    state.status = null;
    state.statusJson = '';
    state.stats = null;
    state.rendered = {};
    state.conflictChoices = {};
    state.dataflowLoaded = false;
    state.recordsQuery = null;
    for (const id of ['flows', 'systems', 'charts', 'service-summary', 'timeline', 'conflicts', 'dead-letters',
      'records', 'record-detail', 'dataflow', 'plan']) {
      $(id).replaceChildren();
    }
    $('app').hidden = true;
    $('session-bar').hidden = true;
    $('loading').hidden = true;
    $('signin').hidden = false;
    const error = $('signin-error');
    error.textContent = message || '';
    error.hidden = !message;
    banner('');
    if (wasIn || !document.activeElement || document.activeElement === document.body) $('token').focus();
  }

  async function signIn(event) {
    event.preventDefault();
    const input = $('token');
    const error = $('signin-error');
    const button = event.submitter || document.querySelector('[data-testid="signin-submit"]');
    const token = input.value;
    if (!token.trim()) {
      error.textContent = 'Enter the service token.';
      error.hidden = false;
      input.focus();
      return;
    }
    button.disabled = true;
    error.hidden = true;
    try {
      const res = await fetch('/api/session', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ token }),
      });
      if (res.status === 401) {
        error.textContent = 'That token was not accepted. Check it and try again.';
        error.hidden = false;
        input.select();
        input.focus();
        return;
      }
      if (res.status === 429) {
        // Too many wrong tokens from this address: the service looks at none until the wait is over.
        const wait = res.headers.get('Retry-After') || 'a few';
        error.textContent = 'Too many wrong tokens. Wait ' + wait + ' seconds, then try again.';
        error.hidden = false;
        return;
      }
      if (!res.ok) throw new Error('The service answered ' + res.status + '.');
      input.value = '';
      await boot();
    } catch (e) {
      error.textContent = 'Could not sign in: ' + (e.message || 'crmsync did not answer.');
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  }

  async function signOut() {
    try {
      await fetch('/api/session', { method: 'DELETE', credentials: 'same-origin' });
    } catch (e) {
      // signing out locally is what matters
    }
    signedOut(null);
    // A service started with --insecure-no-auth needs no sign-in: show it again, and say so.
    try {
      const res = await fetch(connectionUrl('/api/status'), { credentials: 'same-origin', cache: 'no-store' });
      if (res.ok) {
        enter(await res.json());
        toast('This service runs without sign-in (--insecure-no-auth), so there is nothing to sign out of.');
      }
    } catch (e) {
      // stay on the form
    }
  }

  // ------------------------------------------------------------------ live updates

  function setLive(mode) {
    state.live = mode;
    const el = $('live');
    el.setAttribute('data-live', mode);
    el.textContent = {
      live: 'Live',
      connecting: 'Connecting…',
      polling: 'Updating every 5 s',
      offline: 'Not connected',
      off: '',
    }[mode];
    el.title = mode === 'live' ? 'The page updates as soon as something changes' : '';
  }

  function startLive() {
    if (state.source) state.source.close();
    state.source = null;
    clearTimeout(state.retryTimer);
    if (!('EventSource' in window)) {
      startPolling();
      return;
    }
    if (!state.pollTimer) setLive('connecting');
    const source = new EventSource(connectionUrl('/api/events'), { withCredentials: true });
    state.source = source;
    source.addEventListener('open', () => {
      if (state.source !== source) return;
      stopPolling();
      banner('');
      setLive('live');
    });
    source.addEventListener('status', (ev) => {
      if (state.source !== source) return;
      try {
        onStatus(JSON.parse(ev.data));
      } catch (e) {
        // a malformed event is skipped; the next one or the poll brings the truth
      }
    });
    source.addEventListener('change', (ev) => {
      if (state.source !== source) return;
      try {
        onChange(JSON.parse(ev.data));
      } catch (e) {
        // as above
      }
    });
    source.addEventListener('error', () => {
      if (state.source !== source) return;
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. a 401 or a proxy that cuts streams): poll, and try the stream again later.
        state.source = null;
        state.retryTimer = setTimeout(() => {
          if (state.signedIn && !state.source) startLive();
        }, 30000);
      }
      // While the browser retries an open stream by itself, poll so that nothing is missed.
      startPolling();
    });
  }

  function stopLive() {
    if (state.source) state.source.close();
    state.source = null;
    clearTimeout(state.retryTimer);
    stopPolling();
    setLive('off');
  }

  function startPolling() {
    if (state.pollTimer) return;
    setLive('polling');
    state.pollTimer = setInterval(poll, POLL_MS);
    poll();
  }

  function stopPolling() {
    clearInterval(state.pollTimer);
    state.pollTimer = null;
  }

  async function poll() {
    if (!state.signedIn) return;
    try {
      onStatus(await api('/api/status'));
      banner('');
      if (state.live === 'offline') setLive('polling');
      reloadPage();
    } catch (e) {
      if (e instanceof Unauthorized) return;
      setLive('offline');
      banner(e.message);
    }
  }

  function onStatus(status) {
    if (!status || !Array.isArray(status.flows)) return;
    const json = JSON.stringify(status);
    if (json === state.statusJson) return;
    const before = state.status;
    state.status = status;
    state.statusJson = json;
    renderBadges();
    renderOverview();
    watchProgress();
    if (!before) return;
    const sum = (st, key) => st.flows.reduce((n, f) => n + (f[key] || 0), 0);
    if (state.page === 'conflicts' && sum(before, 'openConflicts') !== sum(status, 'openConflicts')) scheduleReload();
    if (state.page === 'dead-letters' && (sum(before, 'deadLetters') !== sum(status, 'deadLetters')
      || sum(before, 'waitingRecords') !== sum(status, 'waitingRecords'))) scheduleReload();
    const finished = (st) => st.flows.map((f) => (f.lastCycle && f.lastCycle.finishedAt) || '').join();
    if (finished(before) !== finished(status) && Date.now() - state.statsLoadedAt > 15000) loadStats();
  }

  /**
   * While a flow is running, or about to (its next sync is due), reads the status every 2 s: a long cycle's
   * progress moves between the events that mark its start and end, and a long cycle keeps the other flows, and
   * so their events, waiting.
   */
  function watchProgress() {
    const soon = Date.now() + 1000;
    const busy = (f) => f.state === 'running' || (!f.paused && f.nextCycleAt && Date.parse(f.nextCycleAt) <= soon);
    const running = state.signedIn && state.status && state.status.flows.some(busy);
    if (running && !state.progressTimer) {
      state.progressTimer = setInterval(async () => {
        if (state.pollTimer) return;   // polling reads the status anyway
        try {
          onStatus(await api('/api/status'));
        } catch (e) {
          // the next event or poll tells
        }
      }, PROGRESS_MS);
    } else if (!running && state.progressTimer) {
      clearInterval(state.progressTimer);
      state.progressTimer = null;
    }
  }

  function onChange(entry) {
    if (!entry) return;
    if (state.page === 'timeline' || state.page === 'conflicts' || state.page === 'dead-letters') scheduleReload();
    if (state.page === 'records' && state.pageArg && state.pageArg === entry.linkId) scheduleReload();
  }

  /** Reloads the shown page soon, once for a burst of events. */
  function scheduleReload() {
    clearTimeout(state.reloadTimer);
    state.reloadTimer = setTimeout(reloadPage, 300);
  }

  function reloadPage() {
    if (!state.signedIn) return;
    const page = PAGES[state.page];
    if (page && page.refresh) page.refresh(state.pageArg);
  }

  // ------------------------------------------------------------------ navigation

  const PAGES = {
    overview: { load: () => loadStats(), refresh: null },
    timeline: { load: loadTimeline, refresh: loadTimeline },
    conflicts: { load: loadConflicts, refresh: loadConflicts },
    'dead-letters': { load: () => { state.targetShown = null; return loadDeadLetters(); }, refresh: loadDeadLetters },
    records: { load: loadRecords, refresh: refreshRecords },
    configuration: { load: loadDataflow, refresh: null },
  };

  function route(moveFocus) {
    if (!state.signedIn) return;
    const parts = location.hash.replace(/^#\/?/, '').split('/');
    let page = parts[0] || 'overview';
    if (!PAGES[page]) page = 'overview';
    const arg = parts.length > 1 ? decodeURIComponent(parts.slice(1).join('/')) : null;
    state.page = page;
    state.pageArg = arg;
    for (const name of Object.keys(PAGES)) {
      $('page-' + name).hidden = name !== page;
    }
    for (const a of document.querySelectorAll('.tabs a')) {
      if (a.getAttribute('data-page') === page) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const title = $('h-' + page).textContent;
    document.title = title + ' · crmsync';
    PAGES[page].load(arg);
    if (moveFocus) $('h-' + page).focus();
  }

  function go(hash) {
    if (location.hash === hash) route(true);
    else location.hash = hash;
  }

  function recordLink(linkId, text, testId) {
    return h('a', { href: '#/records/' + encodeURIComponent(linkId), 'data-testid': testId || 'record-link' },
      text || linkId);
  }

  // ------------------------------------------------------------------ overview

  function renderBadges() {
    const st = state.status;
    const conflicts = st.flows.reduce((n, f) => n + (f.openConflicts || 0), 0);
    // Waiting records are counted with the dead letters: they are not synced either, and are listed on that page
    const dead = st.flows.reduce((n, f) => n + (f.deadLetters || 0) + (f.waitingRecords || 0), 0);
    badge($('badge-conflicts'), conflicts, 'waiting for a person');
    badge($('badge-dead-letters'), dead, 'records not synced');
  }

  function badge(el, count, words) {
    el.hidden = !count;
    el.textContent = count ? num(count) : '';
    el.setAttribute('aria-label', count ? num(count) + ' ' + words : '');
  }

  function health(flow) {
    if (flow.paused || flow.state === 'paused') return 'paused';
    if (flow.state === 'failing') return 'failing';
    if (flow.state === 'system-down') return 'system-down';
    return 'ok';
  }

  function renderOverview() {
    const st = state.status;
    if (!st) return;
    const failing = st.flows.filter((f) => health(f) === 'failing').length;
    const down = st.flows.filter((f) => health(f) === 'system-down').length;
    const paused = st.flows.filter((f) => health(f) === 'paused').length;
    const words = [];
    words.push(failing ? plural(failing, 'flow is failing', 'flows are failing')
      : down ? plural(down, 'flow waits', 'flows wait') + ' for a system that is down'
        : paused ? 'No flow is failing' : 'All flows are healthy');
    if (paused) words.push(plural(paused, 'flow is paused', 'flows are paused'));
    words.push(st.ready ? 'both systems and the store answer' : 'not ready: a system or the store does not answer');
    replace($('service-summary'),
      h('span', { 'data-testid': 'service-health', 'data-health': failing || down ? 'failing' : 'ok' },
        words.join('; ') + '.'),
      ' Running since ', clockTime(st.startedAt), ' (', relTime(st.startedAt), ').');
    replace($('flows'), st.flows.map(flowCard));
    replace($('systems'), (st.systems || []).map(systemCard));
    if (state.stats) renderCharts();
  }

  function flowCard(f) {
    const hlt = health(f);
    const running = f.state === 'running';
    const pill = {
      ok: running ? 'Syncing now' : 'Healthy',
      // A mass delete held back is no error of a system: it waits for a person to say whether it is real
      failing: f.lastResult === 'held' ? 'Deletes held back' : 'Failing',
      'system-down': 'Waiting for a system',
      paused: 'Paused',
    }[hlt];
    const last = f.lastCycle;
    const id = 'flow-title-' + f.flow;
    return h('article', {
      class: 'card flow', 'data-key': f.flow, 'data-testid': 'flow-card-' + f.flow, 'data-health': hlt,
      'data-state': f.state, 'aria-labelledby': id,
    },
    h('div', { class: 'card-head' },
      h('h3', { id }, f.title || flowTitle(f.flow)),
      h('span', { class: 'pill pill-' + hlt, 'data-testid': 'flow-health-' + f.flow }, pill)),
    f.progress ? progress(f) : null,
    h('dl', { class: 'facts' },
      fact('Last sync', last
        ? [relTime(last.finishedAt, { 'data-testid': 'flow-last-sync-' + f.flow }),
          h('span', { class: 'muted' }, ' · read ' + num(last.read) + ', wrote ' + num(last.written)
            + (last.failed ? ', ' + num(last.failed) + ' failed' : ''))]
        : h('span', { class: 'muted' }, 'not yet')),
      fact('Next sync', f.paused
        ? h('span', { class: 'muted' }, 'none until resumed')
        : running ? 'syncing now' : f.nextCycleAt ? relTime(f.nextCycleAt, null, true) : h('span', { class: 'muted' }, '–')),
      fact('Linked records', h('span', { 'data-testid': 'flow-links-' + f.flow }, num(f.links))),
      fact('Waiting for a person', f.openConflicts
        ? h('span', { class: 'attention' },
          h('a', { href: '#/conflicts', 'data-testid': 'flow-conflicts-' + f.flow },
            plural(f.openConflicts, 'conflict', 'conflicts')))
        : h('span', { 'data-testid': 'flow-conflicts-' + f.flow }, 'none')),
      fact('Could not be synced', f.deadLetters
        ? h('span', { class: 'attention' },
          h('a', { href: '#/dead-letters', 'data-testid': 'flow-dead-letters-' + f.flow },
            plural(f.deadLetters, 'record', 'records')))
        : h('span', { 'data-testid': 'flow-dead-letters-' + f.flow }, 'none')),
      fact('Waiting to be synced', f.waitingRecords
        ? h('span', { class: 'attention' },
          h('a', { href: '#/dead-letters/waiting', 'data-testid': 'flow-waiting-' + f.flow },
            plural(f.waitingRecords, 'record', 'records')))
        : h('span', { 'data-testid': 'flow-waiting-' + f.flow }, 'none')),
      fact('Delay', f.lagSeconds === null || f.lagSeconds === undefined
        ? h('span', { class: 'muted' }, 'nothing carried yet')
        : 'changes arrived within ' + duration(f.lagSeconds))),
    f.lastError ? h('p', { class: 'flow-error', 'data-testid': 'flow-error-' + f.flow },
      (f.lastResult === 'held' ? 'Held by the delete circuit breaker' : 'Last error') + ': ' + f.lastError
      + (f.lastResultSince ? ' (since ' + clock(f.lastResultSince) + ')' : '')) : null,
    h('div', { class: 'actions' },
      h('button', {
        type: 'button', class: 'btn', 'data-testid': 'flow-sync-now-' + f.flow, disabled: f.paused || running,
        onclick: (ev) => act(ev.currentTarget, () => api('/api/flows/' + f.flow + '/sync-now', { method: 'POST' })
          .then(mergeFlow), 'Syncing ' + flowShort(f.flow) + ' now, with a complete check of both sides.'),
      }, 'Sync now'),
      h('button', {
        type: 'button', class: 'btn', 'data-testid': 'flow-resync-' + f.flow, disabled: f.paused,
        title: 'Read every record of both systems again and write what differs; links stay as they are.',
        onclick: (ev) => act(ev.currentTarget, () => api('/api/flows/' + f.flow + '/resync', { method: 'POST' })
          .then(mergeFlow), 'Resyncing ' + flowShort(f.flow) + ': every record of both systems is read again.'),
      }, 'Resync'),
      f.paused
        ? h('button', {
          type: 'button', class: 'btn btn-primary', 'data-testid': 'flow-resume-' + f.flow,
          onclick: (ev) => act(ev.currentTarget, () => api('/api/flows/' + f.flow + '/resume', { method: 'POST' })
            .then(mergeFlow), 'Resumed ' + flowShort(f.flow) + '; it syncs now.'),
        }, 'Resume')
        : h('button', {
          type: 'button', class: 'btn', 'data-testid': 'flow-pause-' + f.flow,
          onclick: (ev) => act(ev.currentTarget, () => api('/api/flows/' + f.flow + '/pause', { method: 'POST' })
            .then(mergeFlow), 'Paused ' + flowShort(f.flow) + '. Nothing syncs until you resume it, after a restart too.'),
        }, 'Pause')));
  }

  function fact(term, ...desc) {
    return [h('dt', null, term), h('dd', null, desc)];
  }

  function progress(f) {
    const p = f.progress;
    const total = Math.max(p.total || 0, p.done || 0);
    if (!total) {
      // A cycle that is still reading what changed has no plan yet: say so, with a bar that only shows activity.
      return h('div', { class: 'progress', 'data-testid': 'flow-progress-' + f.flow },
        h('div', { class: 'progress-label' }, h('strong', null, 'Syncing: '), 'reading what changed…'),
        h('div', {
          class: 'bar bar-busy', role: 'progressbar', 'aria-valuetext': 'reading what changed',
          'aria-label': 'Progress of ' + flowShort(f.flow),
        }, h('span')));
    }
    const share = Math.min(100, (100 * p.done) / total);
    const words = [num(p.done) + ' of ' + num(total) + ' changes'];
    if (p.ratePerSecond !== null && p.ratePerSecond !== undefined) {
      words.push(decimalFormat.format(p.ratePerSecond) + ' per second');
    }
    if (p.etaSeconds !== null && p.etaSeconds !== undefined) words.push('about ' + duration(p.etaSeconds) + ' left');
    return h('div', { class: 'progress', 'data-testid': 'flow-progress-' + f.flow },
      h('div', { class: 'progress-label' }, h('strong', null, 'Syncing: '), words.join(' · ')),
      h('div', {
        class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': p.done,
        'aria-valuetext': words.join(', '), 'aria-label': 'Progress of ' + flowShort(f.flow),
      }, h('span', { style: { width: share.toFixed(1) + '%' } })));
  }

  function mergeFlow(flowStatus) {
    if (!flowStatus || !state.status) return flowStatus;
    if (Array.isArray(flowStatus.flows)) {
      onStatus(flowStatus);
      return flowStatus;
    }
    const next = JSON.parse(state.statusJson);
    next.flows = next.flows.map((x) => (x.flow === flowStatus.flow ? flowStatus : x));
    onStatus(next);
    return flowStatus;
  }

  function systemCard(sys) {
    const name = sys.title || SIDE[sys.side] || sys.side;
    const used = sys.budgetUsed || 0;
    const limit = sys.budgetLimit || 0;
    return h('article', { class: 'card system', 'data-key': sys.side, 'data-testid': 'system-' + sys.side },
      h('div', { class: 'card-head' },
        h('h3', null, name),
        h('span', {
          class: 'pill ' + (sys.reachable ? 'pill-ok' : 'pill-failing'),
          'data-testid': 'system-reachable-' + sys.side,
          'data-reachable': String(!!sys.reachable),
        }, sys.reachable ? 'Reachable' : 'Not reachable')),
      h('dl', { class: 'facts' },
        fact('Last answered', sys.lastCheckAt ? relTime(sys.lastCheckAt) : h('span', { class: 'muted' }, 'not yet')),
        fact('Requests since start', num(sys.calls)),
        fact('Told to slow down', sys.throttled ? h('span', { class: 'attention' }, plural(sys.throttled, 'time', 'times'))
          : 'never'),
        sys.hooksReceived ? fact('Notifications received', num(sys.hooksReceived)) : null),
      limit ? budget(sys.side, name, used, limit)
        : h('div', { class: 'budget', 'data-testid': 'budget-' + sys.side },
          h('div', { class: 'budget-text' }, h('strong', null, 'API budget: '),
            'no limit set; ' + num(used) + ' requests in the current window')),
      circuit(sys),
      sys.lastError ? h('p', { class: 'flow-error' }, 'Last error: ' + sys.lastError) : null);
  }

  /** While a system's circuit is open, says that crmsync leaves it alone and when it tries again. */
  function circuit(sys) {
    const c = sys.circuit;
    if (!c || c.state === 'closed') return null;
    const name = sys.title || SIDE[sys.side] || sys.side;
    return h('p', { class: 'flow-error', 'data-testid': 'system-circuit-' + sys.side, 'data-circuit': c.state },
      c.state === 'open'
        ? [name + ' is down (' + (c.lastProblem || 'no answer') + '); its flows wait and are tried again ',
          relTime(c.nextTrialAt, null, true), '.']
        : name + ' is being tried again.');
  }

  /** The API budget as a bar: requests used of the limit in the current rate-limit window. */
  function budget(side, name, used, limit) {
    const share = Math.min(1, used / limit);
    const colour = share >= 0.95 ? 'var(--bad)' : share >= 0.8 ? 'var(--warn)' : 'var(--accent)';
    const words = num(used) + ' of ' + num(limit) + ' requests used in the current window ('
      + Math.round(share * 100) + ' %)';
    return h('div', { class: 'budget', 'data-testid': 'budget-' + side },
      h('div', { class: 'budget-text' }, h('strong', null, 'API budget: '), words),
      s('svg', { viewBox: '0 0 300 16', preserveAspectRatio: 'none', role: 'img', 'aria-label': name + ' API budget: ' + words },
        s('rect', { x: 0, y: 2, width: 300, height: 12, rx: 6, fill: 'var(--surface-2)', stroke: 'var(--border)' }),
        s('rect', { x: 0, y: 2, width: (300 * share).toFixed(1), height: 12, rx: 6, fill: colour }),
        s('line', { x1: 240, x2: 240, y1: 0, y2: 16, stroke: 'var(--muted)', 'stroke-dasharray': '2 2' })));
  }

  // ------------------------------------------------------------------ charts

  async function loadStats() {
    if (!state.signedIn) return;
    try {
      state.stats = await api('/api/stats?hours=24&bucketMinutes=15');
      state.statsLoadedAt = Date.now();
      renderCharts();
    } catch (e) {
      if (e instanceof Unauthorized) return;
      if (!state.stats) replace($('charts'), h('p', { class: 'empty' }, 'Charts unavailable: ' + e.message));
    }
  }

  function renderCharts() {
    const stats = state.stats;
    const buckets = (stats && stats.buckets) || [];
    renderOnce('charts', stats, $('charts'), () => [
      chart({
        id: 'chart-written',
        title: 'Records written per flow',
        unit: 'records',
        buckets,
        minutes: stats.bucketMinutes,
        kind: 'bars',
        valueOf: (b, flow) => (b.flows && b.flows[flow] && b.flows[flow].written) || 0,
        axisTitle: 'records written per ' + stats.bucketMinutes + ' min',
        format: (v) => num(Math.round(v)),
        emptyText: 'Nothing was written in the last 24 hours.',
      }),
      chart({
        id: 'chart-lag',
        title: 'Delay from edit to the other side (longest per period)',
        unit: 'seconds',
        buckets,
        minutes: stats.bucketMinutes,
        kind: 'lines',
        valueOf: (b, flow) => {
          const v = b.flows && b.flows[flow] ? b.flows[flow].maxLagSeconds : null;
          return v === undefined ? null : v;
        },
        axisTitle: 'longest delay',
        format: (v) => duration(v),
        emptyText: 'No change was carried in the last 24 hours.',
      }),
    ]);
  }

  /** Tick values 0..max in 1-2-5 steps, about five of them. */
  function niceTicks(max) {
    if (!(max > 0)) return [0, 1];
    const rough = max / 5;
    const power = Math.pow(10, Math.floor(Math.log10(rough)));
    const step = [1, 2, 5, 10].map((m) => m * power).find((x) => x >= rough);
    const ticks = [];
    for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
    return ticks;
  }

  /** Nice ticks for seconds: steps that read well as durations. */
  function durationTicks(max) {
    if (!(max > 0)) return [0, 1];
    const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400];
    const step = steps.find((x) => x >= max / 5) || 86400;
    const ticks = [];
    for (let v = 0; v < max + step * 0.999; v += step) ticks.push(v);
    return ticks;
  }

  function chart(c) {
    const W = 720;
    const H = 260;
    const M = { left: 64, right: 14, top: 14, bottom: 46 };
    const plotW = W - M.left - M.right;
    const plotH = H - M.top - M.bottom;
    const n = c.buckets.length;
    const flows = FLOWS.filter((f) => c.buckets.some((b) => b.flows && f in b.flows)).concat([]);
    const shownFlows = flows.length ? flows : FLOWS;

    let max = 0;
    const totals = {};
    for (const flow of shownFlows) totals[flow] = c.kind === 'bars' ? 0 : null;
    c.buckets.forEach((b) => {
      let stack = 0;
      for (const flow of shownFlows) {
        const v = c.valueOf(b, flow);
        if (v === null) continue;
        if (c.kind === 'bars') {
          stack += v;
          totals[flow] += v;
        } else {
          max = Math.max(max, v);
          totals[flow] = totals[flow] === null ? v : Math.max(totals[flow], v);
        }
      }
      if (c.kind === 'bars') max = Math.max(max, stack);
    });
    const hasData = c.kind === 'bars' ? max > 0 : shownFlows.some((f) => totals[f] !== null);
    const ticks = c.kind === 'bars' ? niceTicks(max) : durationTicks(max);
    const top = ticks[ticks.length - 1] || 1;
    const y = (v) => M.top + plotH - (plotH * v) / top;
    const slot = n ? plotW / n : plotW;
    const x = (i) => M.left + i * slot;

    const titleId = c.id + '-title';
    const descId = c.id + '-desc';
    const description = chartDescription(c, shownFlows, totals, hasData);
    const svg = s('svg', {
      viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-labelledby': titleId + ' ' + descId,
      'data-testid': c.id + '-svg',
    },
    s('title', { id: titleId }, c.title),
    s('desc', { id: descId }, description));

    // grid and y axis
    const axis = s('g', { class: 'axis' });
    for (const t of ticks) {
      axis.appendChild(s('line', { class: 'grid-line', x1: M.left, x2: W - M.right, y1: y(t), y2: y(t) }));
      axis.appendChild(s('text', { x: M.left - 6, y: y(t) + 4, 'text-anchor': 'end' }, c.format(t)));
    }
    axis.appendChild(s('text', {
      class: 'axis-title', transform: 'translate(12 ' + (M.top + plotH / 2) + ') rotate(-90)', 'text-anchor': 'middle',
    }, c.axisTitle));
    // x axis: a label about every three hours, on whole bucket starts
    axis.appendChild(s('line', { class: 'axis-line', x1: M.left, x2: W - M.right, y1: y(0), y2: y(0) }));
    const every = Math.max(1, Math.round(n / 8));
    c.buckets.forEach((b, i) => {
      if (i % every !== 0) return;
      const cx = x(i);
      axis.appendChild(s('line', { class: 'axis-line', x1: cx, x2: cx, y1: y(0), y2: y(0) + 4 }));
      axis.appendChild(s('text', { x: cx, y: y(0) + 17, 'text-anchor': 'middle' }, clockFormat.format(new Date(b.start))));
    });
    axis.appendChild(s('text', { class: 'axis-title', x: M.left + plotW / 2, y: H - 6, 'text-anchor': 'middle' },
      'time of day (your local time), ' + c.minutes + ' minutes per period'));
    svg.appendChild(axis);

    const plot = s('g', null);
    if (!hasData) {
      plot.appendChild(s('text', { class: 'empty-note', x: M.left + plotW / 2, y: M.top + plotH / 2, 'text-anchor': 'middle' },
        c.emptyText));
    } else if (c.kind === 'bars') {
      const gap = slot > 4 ? 1 : 0;
      c.buckets.forEach((b, i) => {
        let stack = 0;
        for (const flow of shownFlows) {
          const v = c.valueOf(b, flow) || 0;
          if (!v) continue;
          const y0 = y(stack);
          stack += v;
          const y1 = y(stack);
          plot.appendChild(s('rect', {
            x: (x(i) + gap / 2).toFixed(2), y: y1.toFixed(2), width: Math.max(0.5, slot - gap).toFixed(2),
            height: Math.max(0.5, y0 - y1).toFixed(2), fill: 'var(--flow-' + flow + ')',
          }, s('title', null, periodLabel(b, c.minutes) + ' · ' + flowShort(flow) + ': ' + c.format(v) + ' written')));
        }
      });
    } else {
      const dashes = { organisations: null, persons: '6 3', products: '2 3' };
      for (const flow of shownFlows) {
        let path = '';
        let pen = false;
        c.buckets.forEach((b, i) => {
          const v = c.valueOf(b, flow);
          if (v === null) {
            pen = false;
            return;
          }
          const px = (x(i) + slot / 2).toFixed(2);
          const py = y(v).toFixed(2);
          path += (pen ? 'L' : 'M') + px + ' ' + py + ' ';
          pen = true;
          plot.appendChild(s('circle', { cx: px, cy: py, r: 2.6, fill: 'var(--flow-' + flow + ')' },
            s('title', null, periodLabel(b, c.minutes) + ' · ' + flowShort(flow) + ': ' + c.format(v))));
        });
        if (path) {
          plot.insertBefore(s('path', {
            d: path, fill: 'none', stroke: 'var(--flow-' + flow + ')', 'stroke-width': 2,
            'stroke-dasharray': dashes[flow], 'stroke-linejoin': 'round',
          }), plot.firstChild);
        }
      }
    }
    svg.appendChild(plot);

    const dashed = { organisations: null, persons: '6 3', products: '2 3' };
    const legend = h('ul', { class: 'legend', 'aria-hidden': 'true' }, shownFlows.map((flow) =>
      h('li', null,
        c.kind === 'bars'
          ? h('span', { class: 'swatch', style: { background: 'var(--flow-' + flow + ')' } })
          : s('svg', { width: 24, height: 10, viewBox: '0 0 24 10' },
            s('line', { x1: 0, x2: 24, y1: 5, y2: 5, stroke: 'var(--flow-' + flow + ')', 'stroke-width': 2.5,
              'stroke-dasharray': dashed[flow] })),
        flowShort(flow))));

    return h('figure', { class: 'card chart', 'data-testid': c.id },
      h('figcaption', null, c.title),
      svg,
      legend,
      dataTable(c, shownFlows, hasData));
  }

  function periodLabel(bucket, minutes) {
    const start = new Date(bucket.start);
    const end = new Date(start.getTime() + minutes * 60000);
    return clockFormat.format(start) + '–' + clockFormat.format(end);
  }

  function chartDescription(c, flows, totals, hasData) {
    if (!hasData) return c.emptyText;
    if (c.kind === 'bars') {
      return 'Last 24 hours: ' + flows.map((f) => flowShort(f) + ' ' + num(totals[f])).join(', ') + ' records written.';
    }
    return 'Longest delay in the last 24 hours: ' + flows.map((f) => flowShort(f) + ' '
      + (totals[f] === null ? 'none carried' : c.format(totals[f]))).join(', ') + '.';
  }

  /** The chart's numbers as a table, for screen readers and for anyone who wants them exactly. */
  function dataTable(c, flows, hasData) {
    if (!hasData) return null;
    const rows = c.buckets.filter((b) => flows.some((f) => {
      const v = c.valueOf(b, f);
      return v !== null && v !== 0;
    }));
    return h('details', null,
      h('summary', null, 'Show the numbers (' + plural(rows.length, 'period', 'periods') + ' with data)'),
      h('div', { class: 'table-wrap' },
        h('table', null,
          h('caption', { class: 'sr-only' }, c.title),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Period'),
            flows.map((f) => h('th', { scope: 'col', class: 'num' }, flowShort(f))))),
          h('tbody', null, rows.map((b) => h('tr', null,
            h('th', { scope: 'row', class: 'nowrap' }, periodLabel(b, c.minutes)),
            flows.map((f) => {
              const v = c.valueOf(b, f);
              return h('td', { class: 'num' }, v === null ? '–' : c.format(v));
            })))))));
  }

  // ------------------------------------------------------------------ dry run

  async function showPlan() {
    const dialog = $('plan-dialog');
    const holder = $('plan');
    replace(holder, h('p', { class: 'muted' }, 'Asking both systems what changed… this may take a moment.'));
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    try {
      const plan = await api('/api/plan');
      replace(holder, renderPlan(plan));
    } catch (e) {
      if (e instanceof Unauthorized) {
        closePlan();
        return;
      }
      replace(holder, h('p', { class: 'form-error', role: 'alert' }, 'No dry run possible now: ' + e.message));
    }
  }

  function closePlan() {
    const dialog = $('plan-dialog');
    if (typeof dialog.close === 'function' && dialog.open) dialog.close();
    else dialog.removeAttribute('open');
  }

  function renderPlan(plan) {
    const flows = plan.flows || [];
    const trips = plan.breakerTrips || [];
    return [
      trips.length ? h('div', { class: 'form-error', role: 'alert' },
        h('strong', null, 'A sync would stop before deleting: '), h('ul', null, trips.map((t) => h('li', null, t))))
        : null,
      flows.map((f) => {
        const changes = f.changes || [];
        const writes = f.writes !== undefined ? f.writes : changes.filter((c) => c.writes).length;
        return h('section', { class: 'plan-flow', 'data-testid': 'plan-flow-' + f.flow },
          h('h3', null, flowTitle(f.flow)),
          h('p', null, writes ? plural(writes, 'write', 'writes') + ' would be made.' : 'Nothing would be written.'),
          changes.length ? h('ul', null, changes.map((c) => h('li', { class: c.writes ? null : 'no-write' },
            c.summary || '', c.writes ? null : ' (no write)'))) : null);
      }),
      flows.length ? null : h('p', { class: 'muted' }, 'Nothing to do.'),
    ];
  }

  // ------------------------------------------------------------------ timeline

  async function loadTimeline() {
    const flow = $('timeline-flow').value;
    const el = $('timeline');
    try {
      const entries = await api('/api/timeline?limit=100' + (flow ? '&flow=' + encodeURIComponent(flow) : ''));
      renderOnce('timeline', entries, el, () => historyTable(entries, { withRecord: true, testId: 'timeline-row' }));
    } catch (e) {
      state.rendered.timeline = null;
      reportLoadError(el, e);
    }
  }

  /** A table of history entries, for the timeline (with the record) and for one record's history (without). */
  function historyTable(entries, opts) {
    if (!entries.length) {
      return h('p', { class: 'empty' }, opts.withRecord ? 'No changes yet.' : 'No history yet.');
    }
    return h('div', { class: 'table-wrap' },
      h('table', null,
        h('caption', { class: 'sr-only' }, opts.withRecord ? 'Recent changes, newest first' : 'History, newest first'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'When'),
          opts.withRecord ? h('th', { scope: 'col' }, 'Record') : null,
          opts.withRecord ? h('th', { scope: 'col' }, 'Flow') : null,
          h('th', { scope: 'col' }, 'Made in'),
          h('th', { scope: 'col' }, 'What happened'),
          h('th', { scope: 'col' }, 'Changes'))),
        h('tbody', null, entries.map((e) => h('tr', {
          'data-testid': opts.testId, 'data-link-id': e.linkId, 'data-action': e.action,
        },
        h('td', { class: 'nowrap' }, clockTime(e.at), h('br'), h('small', { class: 'muted' }, relTime(e.at))),
        opts.withRecord ? h('td', null, recordLink(e.linkId, e.title || ('(no name) ' + e.linkId), 'timeline-record'))
          : null,
        opts.withRecord ? h('td', { class: 'nowrap' }, flowShort(e.flow)) : null,
        h('td', null, h('span', { class: 'origin', 'data-testid': 'origin' },
          e.origin ? SIDE[e.origin] || e.origin : 'crmsync')),
        h('td', null, h('strong', null, actionWord(e.action)), e.detail ? [h('br'), h('span', { class: 'muted' }, e.detail)]
          : null),
        h('td', null, changeList(e.changes)))))));
  }

  /** Field changes as "field: before → after"; a long list (a create lists every field) is folded. */
  function changeList(changes) {
    const names = Object.keys(changes || {}).sort();
    if (!names.length) return h('span', { class: 'muted' }, '–');
    const list = h('ul', { class: 'changes', 'data-testid': 'changes' }, names.map((name) => {
      const c = changes[name] || {};
      return h('li', { 'data-field': name },
        h('span', { class: 'change-field' }, name), ': ',
        h('span', { class: 'before' }, value(c.before)),
        h('span', { class: 'arrow', 'aria-label': 'changed to' }, '→'),
        h('span', { class: 'after' }, value(c.after)));
    }));
    if (names.length <= 4) return list;
    return h('details', { class: 'changes-fold' },
      h('summary', null, plural(names.length, 'field', 'fields') + ': ' + names.slice(0, 3).join(', ') + ', …'),
      list);
  }

  // ------------------------------------------------------------------ conflicts

  async function loadConflicts() {
    const el = $('conflicts');
    const settled = $('conflicts-settled').checked;
    try {
      const conflicts = await api('/api/conflicts?open=' + (settled ? 'false' : 'true'));
      renderOnce('conflicts', conflicts, el, () => conflictList(conflicts, settled));
    } catch (e) {
      state.rendered.conflicts = null;
      reportLoadError(el, e);
    }
  }

  function conflictList(conflicts, settled) {
    if (!conflicts.length) {
      return h('p', { class: 'empty', 'data-testid': 'conflicts-empty' },
        settled ? 'No conflicts yet.' : 'No conflict is waiting for a person.');
    }
    return conflicts.map(conflictCard);
  }

  function conflictCard(c) {
    const choices = state.conflictChoices[c.id] || (state.conflictChoices[c.id] = {});
    const titleId = 'conflict-title-' + c.id;
    const fields = c.fields || [];
    const apply = h('button', {
      type: 'button', class: 'btn', 'data-testid': 'conflict-apply',
      disabled: !fields.every((f) => choices[f.field]),
      onclick: (ev) => resolve(ev.currentTarget, c, { fields: Object.assign({}, choices) }),
    }, 'Apply choices');
    const radio = (f, side) => h('input', {
      type: 'radio', name: 'choice-' + c.id + '-' + f.field, value: side,
      'data-testid': 'conflict-choice-' + side, checked: choices[f.field] === side,
      'aria-label': 'Keep ' + SIDE[side] + "'s value of " + f.field,
      onchange: () => {
        choices[f.field] = side;
        apply.disabled = !fields.every((x) => choices[x.field]);
      },
    });
    const cell = (f, side) => {
      const differs = !same(f[side], f.base);
      const won = f.winner === side;
      return h('td', { class: differs ? 'differs' : null, 'data-testid': 'conflict-value-' + side },
        c.open && fields.length > 1
          ? h('label', { class: 'choice' }, radio(f, side), h('span', null, value(f[side])))
          : [value(f[side]), won && !c.open ? [' ', h('span', { class: 'winner-mark' }, '✓ kept')] : null]);
    };
    return h('article', {
      class: 'card conflict', 'data-key': c.id, 'data-testid': 'conflict', 'data-conflict-id': c.id,
      'data-open': String(!!c.open), 'aria-labelledby': titleId,
    },
    h('div', { class: 'card-head' },
      h('div', null,
        h('h3', { id: titleId }, c.title || '(no name)'),
        h('div', { class: 'meta' }, flowTitle(c.flow), ' · found ', relTime(c.detectedAt),
          c.policy ? ' · policy: ' + c.policy : null, ' · ', recordLink(c.linkId, 'history'))),
      h('span', { class: 'pill ' + (c.open ? 'pill-paused' : 'pill-ok') },
        c.open ? 'Waiting for a person' : 'Settled')),
    h('div', { class: 'table-wrap compare' },
      h('table', null,
        h('caption', { class: 'sr-only' }, 'Values of ' + (c.title || c.linkId) + ' on each side'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Field'),
          h('th', { scope: 'col' }, 'Last agreed value'),
          h('th', { scope: 'col' }, 'webCRM now'),
          h('th', { scope: 'col' }, 'Customcrm now'))),
        h('tbody', null, fields.map((f) => h('tr', { 'data-field': f.field },
          h('th', { scope: 'row' }, f.field),
          h('td', { 'data-testid': 'conflict-value-base' }, value(f.base)),
          cell(f, 'webcrm'),
          cell(f, 'customcrm')))))),
    c.open
      ? h('div', { class: 'actions' },
        h('button', {
          type: 'button', class: 'btn btn-primary', 'data-testid': 'conflict-keep-webcrm',
          onclick: (ev) => resolve(ev.currentTarget, c, { keep: 'webcrm' }),
        }, 'Keep webCRM'),
        h('button', {
          type: 'button', class: 'btn btn-primary', 'data-testid': 'conflict-keep-customcrm',
          onclick: (ev) => resolve(ev.currentTarget, c, { keep: 'customcrm' }),
        }, 'Keep Customcrm'),
        fields.length > 1 ? apply : null)
      : h('p', { class: 'muted' }, 'Settled ', c.resolvedAt ? relTime(c.resolvedAt) : null,
        c.resolvedBy ? ' by ' + c.resolvedBy : null, '.'));
  }

  async function resolve(button, conflict, body) {
    const what = body.keep ? SIDE[body.keep] + "'s values" : 'your choices';
    const result = await act(button,
      () => api('/api/conflicts/' + encodeURIComponent(conflict.id) + '/resolve', { method: 'POST', body }),
      'Kept ' + what + ' for ' + (conflict.title || conflict.linkId) + '. crmsync now writes them to both systems.');
    if (result !== undefined) {
      delete state.conflictChoices[conflict.id];
      state.rendered.conflicts = null;
      loadConflicts();
    }
  }

  // ------------------------------------------------------------------ dead letters

  async function loadDeadLetters() {
    const el = $('dead-letters');
    try {
      const [letters, waiting] = await Promise.all([api('/api/dead-letters'), api('/api/waiting')]);
      $('replay-all').disabled = !letters.length;
      renderOnce('dead-letters', letters, el, () => deadLetterTable(letters));
      // Rendered again only when a record changes, not as the seconds waited tick on (the row shows its time)
      const shown = waiting.map(({ waitingSeconds, ...rest }) => rest);
      renderOnce('waiting', shown, $('waiting'), () => waitingTable(waiting));
      const target = state.page === 'dead-letters' ? state.pageArg : null;
      showTarget(target, state.targetShown !== target);
      state.targetShown = target;
    } catch (e) {
      state.rendered['dead-letters'] = null;
      state.rendered.waiting = null;
      reportLoadError(el, e);
    }
  }

  /** The address of a dead letter's or waiting record's row: #/dead-letters/flow/side/id. */
  function rowHash(flow, side, recordId) {
    return '#/dead-letters/' + [flow, side, recordId].map(encodeURIComponent).join('/');
  }

  /**
   * Marks the row the address names (flow/side/id), or the waiting section ("waiting"), and on arrival moves
   * there, so a link from a waiting record leads straight to the dead letter that holds it back.
   */
  function showTarget(target, move) {
    for (const old of document.querySelectorAll('#page-dead-letters tr.is-target')) {
      old.classList.remove('is-target');
      old.removeAttribute('data-targeted');
    }
    if (!target) return;
    const el = target === 'waiting' ? $('h-waiting')
      : document.querySelector('#page-dead-letters tr[data-key="' + CSS.escape(target) + '"]');
    if (!el) return;
    if (el.tagName === 'TR') {
      el.classList.add('is-target');
      el.setAttribute('data-targeted', 'true');
    }
    if (move) {
      el.scrollIntoView({ block: 'center' });
      el.focus({ preventScroll: true });
    }
  }

  function deadLetterPath(d) {
    return '/api/dead-letters/' + encodeURIComponent(d.flow) + '/' + encodeURIComponent(d.side) + '/'
      + encodeURIComponent(d.recordId);
  }

  function deadLetterTable(letters) {
    if (!letters.length) {
      return h('p', { class: 'empty', 'data-testid': 'dead-letters-empty' }, 'Every record went through. Nothing waits here.');
    }
    return h('div', { class: 'table-wrap' },
      h('table', null,
        h('caption', { class: 'sr-only' }, 'Records that could not be synced'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Record'),
          h('th', { scope: 'col' }, 'Flow'),
          h('th', { scope: 'col' }, 'Why it was refused'),
          h('th', { scope: 'col', class: 'num' }, 'Attempts'),
          h('th', { scope: 'col' }, 'Since'),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
        h('tbody', null, letters.map((d) => {
          const key = d.flow + '/' + d.side + '/' + d.recordId;
          const actions = h('td', { class: 'nowrap' });
          const normal = () => replace(actions,
            h('button', {
              type: 'button', class: 'btn btn-small btn-primary', 'data-testid': 'dead-letter-replay',
              onclick: (ev) => act(ev.currentTarget, () => api(deadLetterPath(d) + '/replay', { method: 'POST' }),
                'Trying ' + (d.title || d.recordId) + ' again now.').then(() => {
                state.rendered['dead-letters'] = null;
                loadDeadLetters();
              }),
            }, 'Try again'),
            ' ',
            h('button', {
              type: 'button', class: 'btn btn-small', 'data-testid': 'dead-letter-dismiss',
              onclick: () => confirmDismiss(),
            }, 'Dismiss'));
          const confirmDismiss = () => {
            replace(actions, h('span', { class: 'confirm', role: 'group', 'aria-label': 'Confirm dismiss' },
              'Stop trying this record? ',
              h('button', {
                type: 'button', class: 'btn btn-small btn-danger', 'data-testid': 'dead-letter-dismiss-confirm',
                onclick: (ev) => act(ev.currentTarget, () => api(deadLetterPath(d), { method: 'DELETE' }),
                  'Dismissed ' + (d.title || d.recordId) + '. A later edit of it syncs as usual.').then(() => {
                  state.rendered['dead-letters'] = null;
                  loadDeadLetters();
                }),
              }, 'Yes, dismiss'),
              h('button', { type: 'button', class: 'btn btn-small', onclick: normal, 'data-testid': 'dead-letter-dismiss-cancel' },
                'Cancel')));
            const yes = actions.querySelector('[data-testid="dead-letter-dismiss-confirm"]');
            if (yes) yes.focus();
          };
          normal();
          return h('tr', {
            'data-key': key, 'data-testid': 'dead-letter', 'data-flow': d.flow, 'data-side': d.side,
            'data-record-id': d.recordId, tabindex: '-1',
          },
          h('td', null,
            h('strong', null, d.title || '(no name)'), h('br'),
            h('span', { class: 'muted' }, recordKind(d.flow, d.side) + ' '), h('code', null, d.recordId)),
          h('td', { class: 'nowrap' }, flowShort(d.flow)),
          h('td', { class: 'reason', 'data-testid': 'dead-letter-reason' }, d.reason),
          h('td', { class: 'num' }, num(d.attempts)),
          h('td', { class: 'nowrap' }, d.observedAt ? relTime(d.observedAt) : '–'),
          actions);
        }))));
  }

  // ------------------------------------------------------------------ waiting records

  const PARENT_WORDS = {
    dead: 'is a dead letter',
    waiting: 'waits itself',
    pending: 'is not created on the other system yet',
    unlinked: 'is not linked',
    unread: 'has not been read by crmsync',
  };

  function waitingTable(records) {
    if (!records.length) {
      return h('p', { class: 'empty', 'data-testid': 'waiting-empty' }, 'No record waits.');
    }
    return h('div', { class: 'table-wrap' },
      h('table', null,
        h('caption', { class: 'sr-only' }, 'Records that wait to be synced'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Record'),
          h('th', { scope: 'col' }, 'Flow'),
          h('th', { scope: 'col' }, 'Why it waits'),
          h('th', { scope: 'col' }, 'Waiting since'))),
        h('tbody', null, records.map((w) => h('tr', {
          'data-key': w.flow + '/' + w.side + '/' + w.recordId, 'data-testid': 'waiting-record',
          'data-flow': w.flow, 'data-side': w.side, 'data-record-id': w.recordId, tabindex: '-1',
          'data-blocked-by-dead-letter': w.parents.some((p) => p.status === 'dead') ? 'true' : 'false',
        },
        h('td', null,
          h('strong', null, w.title || '(no name)'), h('br'),
          h('span', { class: 'muted' }, recordKind(w.flow, w.side) + ' '), h('code', null, w.recordId)),
        h('td', { class: 'nowrap' }, flowShort(w.flow)),
        h('td', { class: 'reason' },
          h('span', { 'data-testid': 'waiting-reason' }, w.explanation || w.reason),
          w.parents.length ? h('ul', { class: 'parents' }, w.parents.map(parentItem)) : null),
        h('td', { class: 'nowrap' }, relTime(w.observedAt)))))));
  }

  /** One parent that holds a waiting record back, with a link to where it can be seen or fixed. */
  function parentItem(p) {
    const own = ENTITY[p.flow] ? ENTITY[p.flow][p.side] + ' ' + p.recordId : p.recordId;
    const label = recordKind(p.flow, p.side) + ' ' + p.recordId + (p.title && p.title !== own ? ' “' + p.title + '”' : '');
    let link;
    if (p.status === 'dead') {
      link = h('a', { href: rowHash(p.flow, p.side, p.recordId), 'data-testid': 'waiting-parent-link' },
        'Go to the dead letter: ' + label);
    } else if (p.status === 'waiting') {
      link = h('a', { href: rowHash(p.flow, p.side, p.recordId), 'data-testid': 'waiting-parent-link' },
        'See why ' + label + ' waits');
    } else if (p.linkId) {
      link = recordLink(p.linkId, 'Open ' + label, 'waiting-parent-link');
    } else {
      link = label + ' ' + (PARENT_WORDS[p.status] || p.status);
    }
    return h('li', { 'data-testid': 'waiting-parent', 'data-status': p.status }, link);
  }

  // ------------------------------------------------------------------ records

  function loadRecords(arg) {
    const detail = $('record-detail');
    if (arg) {
      loadRecordDetail(arg);
    } else {
      detail.hidden = true;
      detail.replaceChildren();
      state.rendered.detail = null;
    }
    if (state.recordsQuery === null) searchRecords();
  }

  function refreshRecords(arg) {
    if (arg) loadRecordDetail(arg);
  }

  async function searchRecords() {
    const q = $('records-q').value.trim();
    const flow = $('records-flow').value;
    state.recordsQuery = q;
    const el = $('records');
    try {
      const params = new URLSearchParams({ q, limit: '50' });
      if (flow) params.set('flow', flow);
      const result = await api('/api/links?' + params.toString());
      const items = (result && result.items) || [];
      renderOnce('records', { q, flow, items }, el, () => recordTable(items, q));
    } catch (e) {
      state.rendered.records = null;
      reportLoadError(el, e);
    }
  }

  function recordTable(items, q) {
    if (!items.length) {
      return h('p', { class: 'empty', 'data-testid': 'records-empty' },
        q ? 'No linked record matches “' + q + '”.' : 'No linked records yet.');
    }
    return h('div', { class: 'table-wrap' },
      h('table', null,
        h('caption', { class: 'sr-only' }, 'Linked records'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Name'),
          h('th', { scope: 'col' }, 'E-mail'),
          h('th', { scope: 'col' }, 'Flow'),
          h('th', { scope: 'col' }, 'webCRM id'),
          h('th', { scope: 'col' }, 'Customcrm id'),
          h('th', { scope: 'col' }, 'State'),
          h('th', { scope: 'col' }, 'Last change'))),
        h('tbody', null, items.map((l) => h('tr', { 'data-testid': 'record-row', 'data-link-id': l.id },
          h('td', null, recordLink(l.id, l.title || '(no name)', 'record-open')),
          h('td', null, l.email || ''),
          h('td', { class: 'nowrap' }, flowShort(l.flow)),
          h('td', null, h('code', null, l.webcrmId || '–')),
          h('td', null, h('code', null, l.customcrmId || '–')),
          h('td', null, linkState(l.state)),
          h('td', { class: 'nowrap' }, l.updatedAt ? relTime(l.updatedAt) : '–'))))));
  }

  function linkState(st) {
    const words = { active: 'Synced', pending: 'Being created', retired: 'No longer synced' };
    return words[String(st).toLowerCase()] || st;
  }

  /**
   * A record's properties in its system's own shape, flattened for a table: nested objects (Customcrm's address,
   * external ids) become "address.city".
   */
  function flatten(properties, prefix, out) {
    const into = out || {};
    for (const [key, v] of Object.entries(properties || {})) {
      const name = prefix ? prefix + '.' + key : key;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v, name, into);
      else into[name] = v;
    }
    return into;
  }

  function isEmpty(v) {
    return v === null || v === undefined || v === '';
  }

  /** One side's record as crmsync last read it: its state there and its properties, empty ones folded away. */
  function sideCard(link, side) {
    const record = link[side];
    const id = side === 'webcrm' ? link.webcrmId : link.customcrmId;
    const heading = h('h3', null, recordKind(link.flow, side) + ' ', id ? h('code', null, id) : null);
    if (!record) {
      return h('section', { class: 'card side', 'data-testid': 'record-side-' + side }, heading,
        h('p', { class: 'muted' }, id ? 'Not read yet.' : 'There is no record on this side.'));
    }
    const all = flatten(record.properties);
    const names = Object.keys(all).sort();
    const filled = names.filter((n) => !isEmpty(all[n]));
    const empty = names.length - filled.length;
    const facts = [];
    if (record.deleted) facts.push('deleted');
    if (record.status) facts.push(String(record.status).toLowerCase());
    return h('section', { class: 'card side', 'data-testid': 'record-side-' + side }, heading,
      h('p', { class: 'muted' }, facts.length ? facts.join(' · ') + ' · ' : '', 'read ',
        record.observedAt ? relTime(record.observedAt) : 'never'),
      record.reason ? h('p', { class: 'flow-error' }, record.reason) : null,
      filled.length ? h('div', { class: 'table-wrap' },
        h('table', null,
          h('caption', { class: 'sr-only' }, SIDE[side] + "'s properties"),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Property'), h('th', { scope: 'col' }, 'Value'))),
          h('tbody', null, filled.map((n) => h('tr', { 'data-property': n },
            h('th', { scope: 'row', class: 'mono' }, n), h('td', null, value(all[n]))))))) : null,
      empty ? h('p', { class: 'muted' }, plural(empty, 'empty property', 'empty properties') + ' not shown.') : null);
  }

  async function loadRecordDetail(id) {
    const el = $('record-detail');
    el.hidden = false;
    try {
      const link = await api('/api/links/' + encodeURIComponent(id));
      renderOnce('detail', link, el, () => recordDetail(link));
    } catch (e) {
      state.rendered.detail = null;
      if (e instanceof Unauthorized) return;
      replace(el, h('p', { class: 'empty error-text', role: 'alert' },
        e.status === 404 ? 'There is no record with the id ' + id + '.' : 'Could not load the record: ' + e.message));
    }
  }

  function recordDetail(link) {
    const base = link.base || {};
    const fields = Object.keys(base).sort();
    const history = (link.history || []).slice().sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    return h('article', { class: 'card detail', 'data-testid': 'record-detail-card', 'data-link-id': link.id },
      h('div', { class: 'card-head' },
        h('div', null,
          h('h2', { id: 'record-title', tabindex: '-1' }, link.title || '(no name)'),
          h('div', { class: 'muted' }, flowTitle(link.flow), ' · ', linkState(link.state),
            link.email ? ' · ' + link.email : null)),
        h('div', { class: 'actions' },
          link.webcrmId || link.customcrmId ? h('button', {
            type: 'button', class: 'btn btn-small', 'data-testid': 'record-resync',
            title: 'Read this record again from both systems and write what differs.',
            onclick: (ev) => act(ev.currentTarget, () => api('/api/flows/' + link.flow + '/resync/'
              + (link.webcrmId ? 'webcrm/' + encodeURIComponent(link.webcrmId)
                : 'customcrm/' + encodeURIComponent(link.customcrmId)), { method: 'POST' }),
            'Read again from both systems; the flow syncs now.'),
          }, 'Resync') : null,
          h('a', { href: '#/records', class: 'btn btn-small', 'data-testid': 'record-close' }, 'Close'))),
      h('p', null,
        recordKind(link.flow, 'webcrm') + ' ', h('code', null, link.webcrmId || '–'), ' ↔ ',
        recordKind(link.flow, 'customcrm') + ' ', h('code', null, link.customcrmId || '–'),
        h('span', { class: 'muted' }, ' · link ', h('code', null, link.id))),
      h('h3', null, 'History'),
      historyTable(history, { withRecord: false, testId: 'history-row' }),
      h('h3', null, 'Values both systems last agreed on'),
      fields.length ? h('div', { class: 'table-wrap' },
        h('table', { 'data-testid': 'record-base' },
          h('caption', { class: 'sr-only' }, 'Values both systems last agreed on'),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Value'))),
          h('tbody', null, fields.map((f) => h('tr', { 'data-field': f },
            h('th', { scope: 'row' }, f), h('td', null, value(base[f]))))))) : h('p', { class: 'muted' }, 'None yet.'),
      h('h3', null, 'Each system\'s record as crmsync last read it'),
      h('div', { class: 'grid grid-sides' }, sideCard(link, 'webcrm'), sideCard(link, 'customcrm')));
  }

  // ------------------------------------------------------------------ configuration

  async function loadDataflow(force) {
    if (state.dataflowLoaded && force !== true) return;
    const el = $('dataflow');
    replace(el, h('p', { class: 'muted' }, 'Loading the property tables…'));
    try {
      const html = await api('/api/dataflow?format=html', { accept: 'text/html' });
      el.replaceChildren(trustedFragment(String(html)));
      state.dataflowLoaded = true;
    } catch (e) {
      reportLoadError(el, e);
    }
  }

  /**
   * Our own server's dataflow HTML, parsed without running anything; a whole document is cut down to its body,
   * and its style sheet is dropped so it cannot restyle the dashboard.
   */
  function trustedFragment(html) {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    for (const el of doc.querySelectorAll('script, style, link, meta, title, iframe, object, embed')) el.remove();
    for (const el of doc.body.querySelectorAll('*')) {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name) || /^\s*javascript:/i.test(attr.value)) el.removeAttribute(attr.name);
      }
    }
    const fragment = document.createDocumentFragment();
    for (const node of Array.from(doc.body.childNodes)) fragment.appendChild(document.importNode(node, true));
    return fragment;
  }

  // ------------------------------------------------------------------ wiring

  function wire() {
    $('signin-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', signOut);
    window.addEventListener('hashchange', () => route(true));
    $('timeline-flow').addEventListener('change', () => {
      state.rendered.timeline = null;
      loadTimeline();
    });
    $('conflicts-settled').addEventListener('change', () => {
      state.rendered.conflicts = null;
      loadConflicts();
    });
    $('replay-all').addEventListener('click', (ev) => act(ev.currentTarget,
      () => api('/api/dead-letters/replay', { method: 'POST' }),
      (r) => (r && r.replayed ? 'Trying ' + plural(r.replayed, 'record', 'records') + ' again now.'
        : 'Nothing to try again.')).then(() => {
      state.rendered['dead-letters'] = null;
      loadDeadLetters();
    }));
    $('records-search').addEventListener('submit', (ev) => {
      ev.preventDefault();
      state.rendered.records = null;
      searchRecords();
    });
    $('records-flow').addEventListener('change', () => searchRecords());
    $('dataflow-reload').addEventListener('click', () => loadDataflow(true));
    $('sync-all').addEventListener('click', (ev) => act(ev.currentTarget,
      () => api('/api/sync-now', { method: 'POST' }).then(mergeFlow), 'Syncing every flow that is not paused now.'));
    $('dry-run').addEventListener('click', showPlan);
    $('store-backup').addEventListener('click', (ev) => act(ev.currentTarget, downloadBackup,
      (name) => 'Backup ' + name + ' downloaded. docs/operations.md says how to restore it.'));
    $('plan-close').addEventListener('click', closePlan);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && state.signedIn) {
        if (state.connectionsTimer) loadConnections();
        else poll();
      }
    });
  }

  function start() {
    if (CONNECTION) {
      // One of several: say which, and lead back to the others.
      document.title = CONNECTION + ' · crmsync';
      $('connection-name').textContent = CONNECTION;
      $('connection-name').hidden = false;
      $('all-connections').hidden = false;
    }
    wire();
    setLive('off');
    boot();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());
