// Shared by every page: reading the API, building DOM safely (text only, never HTML from data), formatting, charts.
'use strict';

const AutoNet = (() => {
  async function api(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    let body = null;
    try { body = await response.json(); } catch { body = null; }
    if (!response.ok) {
      throw new Error(body && body.error ? body.error : `${path} answered ${response.status}`);
    }
    return body;
  }

  // Every text goes in through textContent or an attribute: names and notes from the store are never parsed as HTML.
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Axis ticks close together (a few points apart) need a decimal, or 12.5 % and 13 % both read "13 %".
  const axisPercent = (v) => `${Number((100 * v).toFixed(1))} %`;
  const pct = (x, digits = 2) => (x === null || x === undefined || Number.isNaN(x)) ? '–' : `${(100 * x).toFixed(digits)} %`;
  const int = (x) => (x === null || x === undefined) ? '–' : Math.round(x).toLocaleString('en-US');
  const compact = (x) => (x === null || x === undefined) ? '–'
    : x >= 1e9 ? `${(x / 1e9).toFixed(2)} G` : x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : String(Math.round(x));
  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '–';
    const s = Math.round(seconds);
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
    return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  }
  const value = (v) => v === null || v === undefined ? '–' : typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)).toString() : String(v);

  function header(active) {
    const top = el('header', { class: 'top' },
      el('a', { href: '/', text: 'AutoNet' }),
      el('nav', { 'aria-label': 'Sections' },
        el('a', { href: '/', text: 'Experiments', 'aria-current': active === 'experiments' ? 'page' : null }),
        el('a', { href: '/compare', text: 'Compare', 'aria-current': active === 'compare' ? 'page' : null }),
        el('a', { href: '/jobs', text: 'Jobs' })));
    document.body.prepend(top);
  }

  function fail(container, error) {
    container.replaceChildren(el('p', { class: 'error', role: 'alert', text: error.message || String(error) }));
  }

  // Charts: canvas with rich-text tooltips (no HTML built from data), labelled for screen readers, resized with the window.
  const charts = new Set();
  // The chart library is the page's last deferred script, so the tables' data is fetched while it compiles; a chart
  // waits for it (every deferred script has run by DOMContentLoaded).
  const chartsReady = new Promise(resolve => {
    if (window.echarts) resolve();
    else document.addEventListener('DOMContentLoaded', resolve, { once: true });
  });
  async function chart(container, option, description) {
    await chartsReady;
    let instance = echarts.getInstanceByDom(container);
    if (!instance) {
      instance = echarts.init(container, null, { renderer: 'canvas' });
      charts.add(instance);
      container.setAttribute('role', 'img');
    }
    container.setAttribute('aria-label', description);
    instance.setOption(Object.assign({
      animation: false,
      textStyle: { fontFamily: 'system-ui, sans-serif' },
      tooltip: { renderMode: 'richText' },
    }, option), { notMerge: true });
    return instance;
  }
  window.addEventListener('resize', () => charts.forEach(c => c.resize()));

  function segment(name) { return encodeURIComponent(name); }

  return { api, el, axisPercent, pct, int, compact, duration, value, header, fail, chart, segment };
})();
