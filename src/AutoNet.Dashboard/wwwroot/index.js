'use strict';
(() => {
  const { api, el, pct, int, duration, header, fail, segment } = AutoNet;
  header('experiments');
  const selected = new Set();
  const compare = document.getElementById('compare');
  const selection = document.getElementById('selection');

  function updateCompare() {
    const names = [...selected];
    compare.href = '/compare?' + names.map(n => 'name=' + encodeURIComponent(n)).join('&');
    compare.setAttribute('aria-disabled', names.length < 2 ? 'true' : 'false');
    selection.textContent = names.length < 2 ? 'select two or more' : `${names.length} selected`;
  }
  compare.addEventListener('click', e => { if (selected.size < 2) e.preventDefault(); });

  function progress(experiment) {
    if (experiment.progress === null || experiment.progress === undefined) return '–';
    const bar = el('span', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
      'aria-valuenow': Math.round(100 * experiment.progress), 'aria-label': `${experiment.name} progress` }, el('span'));
    bar.firstChild.style.width = `${(100 * experiment.progress).toFixed(1)}%`;
    const budget = experiment.wallBudgetSeconds ? ` of ${duration(experiment.wallBudgetSeconds)}` : experiment.maxTrials ? ` of ${experiment.maxTrials} trials` : '';
    return el('span', {}, bar, ` ${Math.round(100 * experiment.progress)} %${budget}`);
  }

  async function load() {
    const container = document.getElementById('experiments');
    try {
      const data = await api('/api/experiments');
      document.getElementById('store').textContent = `Store: ${data.store}`;
      if (data.experiments.length === 0) {
        container.replaceChildren(el('p', { text: 'No experiments in this store yet: start one with `autonet search`.' }));
        return;
      }
      const head = ['Compare', 'Name', 'State', 'Progress', 'Data', 'Space', 'Strategy', 'Scheduler', 'Trials', 'Completed', 'Pruned', 'Failed', 'Running', 'Waiting', 'Best validation', 'Best test', 'Created'];
      const numeric = new Set(['Trials', 'Completed', 'Pruned', 'Failed', 'Running', 'Waiting', 'Best validation', 'Best test']);
      const rows = [...data.experiments].reverse().map(x => el('tr', {},
        el('td', {}, el('input', { type: 'checkbox', 'aria-label': `compare ${x.name}`, checked: selected.has(x.name),
          onchange: e => { e.target.checked ? selected.add(x.name) : selected.delete(x.name); updateCompare(); } })),
        el('td', {}, el('a', { href: `/experiments/${segment(x.name)}`, text: x.name })),
        el('td', { class: `state-${x.state}`, text: x.state, title: x.failureReason || null }),
        el('td', {}, progress(x)),
        el('td', { text: x.data }), el('td', { text: x.space }), el('td', { text: x.strategy }), el('td', { text: x.scheduler }),
        el('td', { class: 'num', text: int(x.totalTrials) }), el('td', { class: 'num', text: int(x.trials.completed) }),
        el('td', { class: 'num', text: int(x.trials.pruned) }), el('td', { class: 'num', text: int(x.trials.failed) }),
        el('td', { class: 'num', text: int(x.trials.running) }), el('td', { class: 'num', text: int(x.trials.waiting) }),
        el('td', { class: 'num', text: pct(x.bestValidationAccuracy) }), el('td', { class: 'num', text: pct(x.bestTestAccuracy) }),
        el('td', { text: new Date(x.created).toLocaleString('en-GB') })));
      container.replaceChildren(el('table', { id: 'experiment-table' },
        el('caption', { class: 'visually-hidden', text: 'Experiments in the store, newest first' }),
        el('thead', {}, el('tr', {}, head.map(h => el('th', { scope: 'col', class: numeric.has(h) ? 'num' : null, text: h })))),
        el('tbody', {}, rows)));
    } catch (error) {
      fail(container, error);
    }
  }

  updateCompare();
  load();
  setInterval(load, 5000);
})();
