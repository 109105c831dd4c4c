'use strict';
(() => {
  const { api, el, pct, int, compact, duration, value, header, fail, chart, segment } = AutoNet;
  header('experiments');
  const name = decodeURIComponent(location.pathname.split('/')[2]);
  const base = `/api/experiments/${segment(name)}`;
  document.title = `${name} · AutoNet dashboard`;
  document.getElementById('title').textContent = name;

  const view = {
    sort: 'validationAccuracy', desc: true, state: '', q: '', size: 50, page: 1,
    ranges: new Map(), choices: new Map(),
    hidden: new Set(JSON.parse(localStorage.getItem('autonet.hiddenColumns') || '[]')),
  };
  const labels = {
    number: 'Trial', state: 'State', role: 'Role', validationAccuracy: 'Validation', testAccuracy: 'Test',
    parameters: 'Parameters', flops: 'FLOPs', latencyMs: 'Latency', epochs: 'Epochs', seconds: 'Wall time',
  };
  const numericColumns = new Set(['number', 'validationAccuracy', 'testAccuracy', 'parameters', 'flops', 'latencyMs', 'epochs', 'seconds']);

  function filterParams() {
    const p = new URLSearchParams();
    if (view.state) p.set('state', view.state);
    if (view.q) p.set('q', view.q);
    for (const [column, [min, max]] of view.ranges) p.append('range', `${column}:${min}:${max}`);
    for (const [column, values] of view.choices) p.append('in', `${column}:${[...values].join('|')}`);
    return p;
  }
  function tableParams() {
    const p = filterParams();
    p.set('sort', view.sort); p.set('desc', String(view.desc)); p.set('page', String(view.page)); p.set('size', String(view.size));
    return p;
  }

  function cell(row, column) {
    const v = column in labels ? row[column] : row.hyperparameters[column];
    switch (column) {
      case 'number': return el('td', { class: 'num' }, el('a', { href: `/experiments/${segment(name)}/trials/${row.number}`, text: String(row.number) }));
      case 'state': return el('td', { class: `state-${row.state}`, text: row.state, title: row.failureReason || null });
      case 'validationAccuracy': case 'testAccuracy': return el('td', { class: 'num', text: pct(v) });
      case 'parameters': case 'flops': return el('td', { class: 'num', text: compact(v), title: v === null ? null : int(v) });
      case 'seconds': return el('td', { class: 'num', text: duration(v) });
      case 'latencyMs': return el('td', { class: 'num', text: v === null || v === undefined ? '–' : `${v.toFixed(2)} ms` });
      case 'epochs': return el('td', { class: 'num', text: int(v) });
      default: return el('td', { class: typeof v === 'number' ? 'num' : null, text: value(v) });
    }
  }

  function columnChooser(all) {
    const box = document.getElementById('columns');
    box.replaceChildren(...all.map(column => el('label', {},
      el('input', { type: 'checkbox', checked: !view.hidden.has(column), onchange: e => {
        e.target.checked ? view.hidden.delete(column) : view.hidden.add(column);
        localStorage.setItem('autonet.hiddenColumns', JSON.stringify([...view.hidden]));
        loadTable();
      } }), ' ', labels[column] || column)));
  }

  function filterChips() {
    const chips = [];
    for (const [column] of view.ranges) chips.push([column, () => view.ranges.delete(column)]);
    for (const [column] of view.choices) chips.push([column, () => view.choices.delete(column)]);
    document.getElementById('filters').replaceChildren(...chips.map(([column, clear]) =>
      el('button', { type: 'button', class: 'chip', 'aria-label': `clear the filter on ${labels[column] || column}`,
        onclick: () => { clear(); view.page = 1; refreshAll(true); } }, `${labels[column] || column} ✕`)));
  }

  let tableRequest = 0;
  async function loadTable() {
    const ticket = ++tableRequest;
    const container = document.getElementById('table');
    try {
      const page = await api(`${base}/trials?${tableParams()}`);
      if (ticket !== tableRequest) return;
      const all = [...page.columns.filter(c => c !== 'role'), ...page.hyperparameters];
      columnChooser(all);
      const shown = all.filter(c => !view.hidden.has(c));
      const head = el('tr', {}, shown.map(column => {
        const sorted = view.sort === column;
        return el('th', { scope: 'col', class: numericColumns.has(column) ? 'num' : null, 'aria-sort': sorted ? (view.desc ? 'descending' : 'ascending') : null },
          el('button', { type: 'button', onclick: () => {
            view.desc = sorted ? !view.desc : numericColumns.has(column) && column !== 'number';
            view.sort = column; view.page = 1; loadTable();
          } }, `${labels[column] || column}${sorted ? (view.desc ? ' ▼' : ' ▲') : ''}`));
      }));
      const body = page.rows.map(row => el('tr', { 'data-trial': row.number }, shown.map(c => cell(row, c))));
      container.replaceChildren(el('table', { id: 'trial-table' },
        el('caption', { class: 'visually-hidden', text: `Trials of ${name}` }), el('thead', {}, head), el('tbody', {}, body)));
      const pages = Math.max(1, Math.ceil(page.matched / page.size));
      document.getElementById('page').textContent = `page ${page.page} of ${pages} · ${int(page.matched)} of ${int(page.total)} trials`;
      document.getElementById('previous').disabled = page.page <= 1;
      document.getElementById('next').disabled = page.page >= pages;
      document.getElementById('csv').href = `${base}/trials.csv?${tableParams()}`;
      filterChips();
    } catch (error) {
      fail(container, error);
    }
  }

  function head(x) {
    const facts = [
      ['State', x.state], ['Data', x.data], ['Space', x.space], ['Strategy', x.strategy], ['Scheduler', x.scheduler], ['Seed', String(x.seed)],
      ['Trials', `${int(x.totalTrials)} (${int(x.trials.completed)} completed, ${int(x.trials.pruned)} pruned, ${int(x.trials.failed)} failed, ${int(x.trials.running)} running, ${int(x.trials.waiting)} waiting)`],
      ['Progress', x.progress === null ? '–' : `${Math.round(100 * x.progress)} %` + (x.wallBudgetSeconds ? ` of ${duration(x.wallBudgetSeconds)}` : x.maxTrials ? ` of ${x.maxTrials} trials` : '')],
      ['Search time', duration(x.searchSeconds)],
      ['Best validation', pct(x.bestValidationAccuracy)], ['Best test', pct(x.bestTestAccuracy)],
    ];
    document.getElementById('facts').replaceChildren(...facts.map(([k, v]) => el('li', { id: `fact-${k.toLowerCase().replace(' ', '-')}` }, el('span', { text: k }), v)));
    document.getElementById('message').textContent = x.failureReason ? `Failed: ${x.failureReason}` : '';
  }

  let rungs = [];
  async function loadCurves() {
    const container = document.getElementById('curves');
    try {
      const data = await api(`${base}/curves?${filterParams()}`);
      rungs = data.rungs;
      document.getElementById('curves-note').textContent =
        `${data.shown} of ${data.matched} trials drawn (the best and the running ones)` + (rungs.length ? `; ASHA compares trials at epochs ${rungs.join(', ')} (dashed lines); a triangle marks where a trial was pruned` : '');
      const series = data.curves.map(curve => ({
        type: 'line', name: `trial ${curve.number}`, showSymbol: false, lineStyle: { width: curve.state === 'Running' ? 2.5 : 1.2 },
        data: curve.epochs.map((e, i) => ({
          value: [e[0], e[1]],
          symbol: curve.state === 'Pruned' && i === curve.epochs.length - 1 ? 'triangle' : 'circle',
          symbolSize: curve.state === 'Pruned' && i === curve.epochs.length - 1 ? 9 : 4,
        })),
        emphasis: { focus: 'series' },
      }));
      if (series.length && rungs.length) {
        series[0].markLine = { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#4f5863' }, label: { formatter: 'rung {c}' }, data: rungs.map(r => ({ xAxis: r })) };
      }
      for (const s of series) {
        if (s.data.length && s.data[s.data.length - 1].symbol === 'triangle') s.showSymbol = true;
      }
      await chart(container, {
        // The axis name runs along the axis: at its top end it sat under the label of a rung drawn at epoch 1.
        grid: { left: 72, right: 20, top: 28, bottom: 45 },
        tooltip: { trigger: 'item', renderMode: 'richText', formatter: p => `${p.seriesName}\nepoch ${p.value[0]}: ${pct(p.value[1])}` },
        xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 1 },
        yAxis: { type: 'value', name: 'validation accuracy', nameLocation: 'middle', nameGap: 50, scale: true, axisLabel: { formatter: AutoNet.axisPercent } },
        series,
      }, `Validation accuracy per epoch of ${data.shown} trials of ${name}`);
    } catch (error) {
      fail(container, error);
    }
  }

  function pareto(points) {
    // Points no other beats on both: fewer (or as many) parameters and higher accuracy. A step line joins them.
    const sorted = points.filter(p => p[0] !== null && p[1] !== null).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const front = [];
    let best = -Infinity;
    for (const p of sorted) if (p[1] > best) { front.push(p); best = p[1]; }
    return front;
  }

  function sizeChart(container, data, column, title) {
    const at = data.columns.indexOf(column), acc = data.columns.indexOf('validationAccuracy'), num = data.columns.indexOf('number');
    const points = data.rows.filter(r => r[at] !== null && r[acc] !== null).map(r => [r[at], r[acc], r[num]]);
    const front = pareto(points);
    chart(container, {
      grid: { left: 60, right: 20, top: 30, bottom: 45 },
      title: { text: title, textStyle: { fontSize: 13 }, left: 'center' },
      tooltip: { trigger: 'item', renderMode: 'richText', formatter: p => `trial ${p.value[2]}\n${column === 'latencyMs' ? p.value[0].toFixed(2) + ' ms per image' : compact(p.value[0]) + ' ' + column}\n${pct(p.value[1])}` },
      xAxis: { type: 'log', name: { flops: 'FLOPs (multiply-adds)', parameters: 'parameters', latencyMs: 'ms per image at batch 1' }[column], nameLocation: 'middle', nameGap: 28,
        axisLabel: { formatter: v => column === 'latencyMs' ? `${Number(v.toPrecision(2))} ms` : compact(v) } },
      yAxis: { type: 'value', scale: true, axisLabel: { formatter: AutoNet.axisPercent } },
      series: [
        { type: 'scatter', name: 'trials', symbolSize: 6, data: points, itemStyle: { color: '#0b5cad', opacity: 0.6 } },
        { type: 'line', name: 'Pareto front', step: 'end', data: front, symbolSize: 8, itemStyle: { color: '#b42318' }, lineStyle: { color: '#b42318' } },
      ],
      legend: { bottom: 0, data: ['trials', 'Pareto front'], show: false },
    }, `Validation accuracy against ${column} for ${points.length} trials, with the ${front.length} trials of the Pareto front marked`);
  }

  // Axis names without their arch/ or hp/ prefix, unless two would then read the same.
  let shortNames = new Map();
  const short = (column) => shortNames.get(column) || column;
  let parallelData = null;
  async function parallelChart(data) {
    const container = document.getElementById('parallel');
    const acc = data.columns.indexOf('validationAccuracy');
    const rows = data.rows.filter(r => r[acc] !== null);
    const fixed = 9;
    const varying = data.columns.slice(fixed).filter((c, i) => new Set(rows.map(r => r[fixed + i])).size > 1).slice(0, 24);
    const axes = [...varying, 'validationAccuracy'];
    const stripped = varying.map(c => c.replace(/^(arch|hp)\//, ''));
    shortNames = new Map(varying.map((c, i) => [c, stripped.indexOf(stripped[i]) === stripped.lastIndexOf(stripped[i]) ? stripped[i] : c]));
    const categorical = new Set(data.categorical);
    const categories = {};
    const parallelAxis = axes.map((column, dim) => {
      const at = data.columns.indexOf(column);
      if (categorical.has(column)) {
        categories[column] = [...new Set(rows.map(r => r[at] === null ? '–' : String(r[at])))].sort();
        return { dim, name: short(column), type: 'category', data: categories[column] };
      }
      return { dim, name: column === 'validationAccuracy' ? 'validation' : short(column), type: 'value', scale: true };
    });
    parallelData = { axes, categories };
    const values = rows.map(r => axes.map(column => {
      const v = r[data.columns.indexOf(column)];
      return categorical.has(column) ? (v === null ? '–' : String(v)) : v;
    }));
    const instance = await chart(container, {
      parallel: { left: 60, right: 80, top: 50, bottom: 30, parallelAxisDefault: { nameRotate: 25, nameTextStyle: { fontSize: 11, width: 110, overflow: 'truncate' } } },
      parallelAxis,
      visualMap: { show: false, min: Math.min(...values.map(v => v[v.length - 1])), max: Math.max(...values.map(v => v[v.length - 1])), dimension: axes.length - 1, inRange: { color: ['#c6d4e6', '#0b5cad'] } },
      series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.5 }, data: values, inactiveOpacity: 0.05, activeOpacity: 0.8 }],
    }, `Parallel coordinates of ${axes.length - 1} hyperparameters and architecture choices against validation accuracy for ${values.length} trials`);
    instance.off('axisareaselected');
    instance.on('axisareaselected', () => {
      const model = instance.getModel();
      view.ranges.clear(); view.choices.clear();
      axes.forEach((column, i) => {
        const axis = model.getComponent('parallelAxis', i);
        const intervals = axis ? axis.activeIntervals : [];
        if (!intervals || !intervals.length) return;
        const [low, high] = intervals[0];
        if (categories[column]) {
          const chosen = categories[column].filter((_, k) => k >= low && k <= high);
          view.choices.set(column, new Set(chosen));
        } else {
          view.ranges.set(column, [low, high]);
        }
      });
      view.page = 1;
      clearTimeout(brushTimer);
      brushTimer = setTimeout(() => refreshAll(false), 250);
    });
  }
  let brushTimer = 0;

  async function loadPoints(withParallel) {
    try {
      const data = await api(`${base}/points?${filterParams()}`);
      sizeChart(document.getElementById('by-parameters'), data, 'parameters', 'Accuracy against parameters');
      sizeChart(document.getElementById('by-flops'), data, 'flops', 'Accuracy against FLOPs');
      sizeChart(document.getElementById('by-latency'), data, 'latencyMs', 'Accuracy against latency (completed trials)');
      if (withParallel) {
        const all = (view.ranges.size || view.choices.size) ? await api(`${base}/points?${new URLSearchParams(view.state ? { state: view.state } : {})}`) : data;
        await parallelChart(all);
      }
    } catch (error) {
      fail(document.getElementById('by-parameters'), error);
    }
  }

  // Spearman's rank correlation (average ranks for ties), to say how well the proxy's order matched training's.
  function spearman(xs, ys) {
    const rank = (v) => {
      const order = v.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]);
      const r = new Array(v.length);
      for (let i = 0; i < order.length;) {
        let j = i;
        while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
        for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2 + 1;
        i = j + 1;
      }
      return r;
    };
    const a = rank(xs), b = rank(ys), n = xs.length;
    const mean = (n + 1) / 2;
    let num = 0, da = 0, db = 0;
    for (let i = 0; i < n; i++) { num += (a[i] - mean) * (b[i] - mean); da += (a[i] - mean) ** 2; db += (b[i] - mean) ** 2; }
    return da && db ? num / Math.sqrt(da * db) : null;
  }

  async function loadStrategy() {
    const note = document.getElementById('strategy-note');
    const container = document.getElementById('proxy-scores');
    try {
      const data = await api(`${base}/strategy`);
      if (!data.available) {
        note.textContent = `Nothing to show: ${data.reason}.`;
        container.hidden = true;
        return;
      }
      const trained = data.points.filter(p => p.validationAccuracy !== null);
      const rho = trained.length >= 3 ? spearman(trained.map(p => p.score), trained.map(p => p.validationAccuracy)) : null;
      note.textContent = `${data.strategy === 'oneshot' ? 'The supernet' : `The ${data.proxy} proxy`} judged ${int(data.poolSize)} networks before the first trial and kept the ${int(data.kept)} best to seed the search; ` +
        `${trained.length} of them were trained` + (rho === null ? '.' : ` (Spearman's ρ between score and validation accuracy: ${rho.toFixed(2)}).`);
      container.hidden = trained.length === 0;
      if (!trained.length) return;
      await chart(container, {
        grid: { left: 60, right: 20, top: 20, bottom: 45 },
        tooltip: { trigger: 'item', renderMode: 'richText', formatter: p => `trial ${p.value[2]} (rank ${p.value[3]} of the pool)\nscore ${Number(p.value[0].toPrecision(4))}\n${pct(p.value[1])}` },
        xAxis: { type: 'value', scale: true, name: `${data.strategy === 'oneshot' ? 'supernet accuracy' : data.proxy + ' score'}`, nameLocation: 'middle', nameGap: 28 },
        yAxis: { type: 'value', scale: true, name: 'validation accuracy', axisLabel: { formatter: AutoNet.axisPercent } },
        series: [{ type: 'scatter', symbolSize: 7, data: trained.map(p => [p.score, p.validationAccuracy, p.trial, p.rank]) }],
      }, `Proxy score against validation accuracy for the ${trained.length} trained networks of the warm-up pool`);
    } catch (error) {
      fail(container, error);
    }
  }

  function refreshAll(withParallel) {
    loadTable();
    loadCurves();
    loadPoints(withParallel);
    loadStrategy();
  }

  async function start() {
    // The head and the first page of the table are asked for together.
    const headRequest = api(base);
    refreshAll(true);
    try {
      head(await headRequest);
    } catch (error) {
      fail(document.getElementById('facts'), error);
      return;
    }
    document.getElementById('state').addEventListener('change', e => { view.state = e.target.value; view.page = 1; refreshAll(true); });
    let typing = 0;
    document.getElementById('search').addEventListener('input', e => { clearTimeout(typing); typing = setTimeout(() => { view.q = e.target.value.trim(); view.page = 1; refreshAll(false); }, 300); });
    document.getElementById('size').addEventListener('change', e => { view.size = Number(e.target.value); view.page = 1; loadTable(); });
    document.getElementById('previous').addEventListener('click', () => { view.page = Math.max(1, view.page - 1); loadTable(); });
    document.getElementById('next').addEventListener('click', () => { view.page += 1; loadTable(); });

    // Live: the server pushes only when a trial changes; the table follows at once, the charts at most every 5 s.
    const live = document.getElementById('live');
    const events = new EventSource(`${base}/events`);
    let chartsTimer = 0, lastCharts = Date.now();
    events.addEventListener('open', () => { live.classList.add('on'); live.title = 'live: updates as trials change'; });
    events.addEventListener('error', () => { live.classList.remove('on'); live.title = 'reconnecting…'; });
    let first = true;
    events.addEventListener('change', e => {
      const message = JSON.parse(e.data);
      head(message.experiment);
      // The first message is the state the page just loaded; later ones are changes.
      if (first) { first = false; return; }
      loadTable();
      clearTimeout(chartsTimer);
      chartsTimer = setTimeout(() => { lastCharts = Date.now(); loadCurves(); loadPoints(!(view.ranges.size || view.choices.size)); },
        Math.max(0, 5000 - (Date.now() - lastCharts)));
    });
  }
  start();
})();
