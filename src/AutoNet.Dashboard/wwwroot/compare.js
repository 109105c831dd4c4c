'use strict';
(() => {
  const { api, el, pct, int, duration, header, fail, chart } = AutoNet;
  header('compare');
  const names = new URLSearchParams(location.search).getAll('name');

  async function start() {
    if (names.length < 2) return;
    const summary = document.getElementById('summary');
    try {
      const data = await api('/api/compare?' + names.map(n => 'name=' + encodeURIComponent(n)).join('&'));
      document.getElementById('target').textContent = data.target === null
        ? 'No experiment has a completed trial yet, so there is no target accuracy.'
        : `Target: ${pct(data.target)} validation accuracy (the lowest of the experiments' best, as autonet compare takes it).`;
      const rows = [
        ['State', s => s.state], ['Data', s => s.data], ['Space', s => s.space], ['Strategy', s => s.strategy], ['Scheduler', s => s.scheduler], ['Seed', s => String(s.seed)],
        ['Trials', s => int(s.trials)], ['Completed', s => int(s.completed)], ['Pruned', s => int(s.pruned)], ['Failed', s => int(s.failed)], ['Unfinished', s => int(s.unfinished)],
        ['Best validation', s => pct(s.bestValidationAccuracy)], ['Median validation', s => pct(s.medianValidationAccuracy)], ['Best test', s => pct(s.bestTestAccuracy)],
        ['Training time', s => duration(s.trainingSeconds)], ['Epochs', s => int(s.epochs)],
        ['Training time to target', s => s.targetReached ? duration(s.secondsToTarget) : 'not reached'],
        ['Trials to target', s => s.targetReached ? int(s.trialsToTarget) : 'not reached'],
      ];
      summary.replaceChildren(el('table', { id: 'comparison' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: '' }), data.experiments.map(x => el('th', { scope: 'col', text: x.summary.name })))),
        el('tbody', {}, rows.map(([label, get]) => el('tr', {}, el('th', { scope: 'row', text: label }), data.experiments.map(x => el('td', { text: get(x.summary) })))))));
      const line = (key, axisName, formatter) => ({
        grid: { left: 60, right: 20, top: 40, bottom: 45 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis', renderMode: 'richText' },
        xAxis: { type: 'value', name: axisName, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter } },
        yAxis: { type: 'value', scale: true, name: 'best validation so far', axisLabel: { formatter: AutoNet.axisPercent } },
        series: data.experiments.map(x => ({ type: 'line', step: 'end', name: x.summary.name, data: x.bestSoFar.filter(p => p.best !== null).map(p => [p[key], p.best]) })),
      });
      chart(document.getElementById('by-trials'), line('trials', 'trials finished', v => String(v)), `Best validation accuracy so far against trials finished for ${names.join(', ')}`);
      chart(document.getElementById('by-time'), line('seconds', 'wall time since the experiment started', v => v < 10 ? `${Number(v.toFixed(1))} s` : duration(v)), `Best validation accuracy so far against wall time for ${names.join(', ')}`);
    } catch (error) {
      fail(summary, error);
    }
  }
  start();
})();
