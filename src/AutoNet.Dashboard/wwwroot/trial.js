'use strict';
(() => {
  const { api, el, pct, int, compact, duration, value, header, fail, chart, segment } = AutoNet;
  header('experiments');
  const parts = location.pathname.split('/');
  const name = decodeURIComponent(parts[2]);
  const number = Number(parts[4]);
  const base = `/api/experiments/${segment(name)}/trials/${number}`;
  document.title = `Trial ${number} of ${name} · AutoNet dashboard`;
  document.getElementById('title').textContent = `Trial ${number} of ${name}`;
  const back = document.getElementById('back');
  back.href = `/experiments/${segment(name)}`;
  back.textContent = `← ${name}`;

  function facts(x) {
    const t = x.trial;
    const list = [
      ['State', t.state], ['Role', t.role === 'Final' ? 'final training of the winner' : 'search trial'],
      ['Validation', pct(t.validationAccuracy)], ['Test', pct(t.testAccuracy)],
      ['Parameters', t.parameters === null ? '–' : int(t.parameters)], ['FLOPs', t.flops === null ? '–' : int(t.flops)],
      ['Latency', x.test && x.test.Latency ? `${x.test.Latency.MillisecondsPerImageAtBatch1.toFixed(2)} ms per image (batch 1), ${x.test.Latency.MillisecondsPerImageAtBatchSize.toFixed(3)} at batch ${x.test.Latency.BatchSize} on ${x.test.Latency.Device}` : '–'],
      ['Epochs', int(t.epochs)], ['Wall time', duration(t.seconds)],
      ['Training time', duration(x.epochs.reduce((sum, e) => sum + e.seconds, 0))], ['Device', t.device || '–'], ['Attempts', int(x.attempts)],
    ];
    document.getElementById('facts').replaceChildren(...list.map(([k, v]) => el('li', { id: `fact-${k.toLowerCase().replace(' ', '-')}` }, el('span', { text: k }), v)));
    document.getElementById('failure').textContent = t.failureReason ? `Failed: ${t.failureReason}` : '';
  }

  function commands(x) {
    document.getElementById('commands').replaceChildren(...Object.entries(x.commands).map(([what, command]) =>
      el('div', {}, el('span', { class: 'muted', text: what }), el('pre', { class: 'command', tabindex: 0, 'aria-label': `${what} command` }, el('code', { text: command })))));
  }

  function curve(x) {
    const epochs = x.epochs;
    chart(document.getElementById('curve'), {
      grid: { left: 60, right: 60, top: 30, bottom: 45 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 1 },
      yAxis: [{ type: 'value', name: 'accuracy', scale: true, axisLabel: { formatter: AutoNet.axisPercent } }, { type: 'value', name: 'loss', scale: true }],
      series: [
        { type: 'line', name: 'validation accuracy', data: epochs.map(e => [e.epoch, e.validationAccuracy]) },
        { type: 'line', name: 'training loss', yAxisIndex: 1, data: epochs.map(e => [e.epoch, e.trainLoss]) },
        { type: 'line', name: 'validation loss', yAxisIndex: 1, data: epochs.filter(e => e.validationLoss !== null).map(e => [e.epoch, e.validationLoss]) },
      ],
    }, `Learning curve of trial ${number}: validation accuracy and losses over ${epochs.length} epochs`);
  }

  function hyperparameters(x) {
    const rows = Object.entries(x.trial.hyperparameters).filter(([k]) => !k.startsWith('arch/'));
    document.getElementById('hyperparameters').replaceChildren(el('table', {},
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Hyperparameter' }), el('th', { scope: 'col', text: 'Value' }))),
      el('tbody', {}, rows.map(([k, v]) => el('tr', {}, el('th', { scope: 'row', text: k }), el('td', { text: value(v) }))))));
  }

  function architecture(x) {
    const box = document.getElementById('architecture');
    const choices = Object.entries(x.trial.hyperparameters).filter(([k]) => k.startsWith('arch/'));
    const children = [];
    if (x.cellDiagram === 'available') {
      children.push(el('img', { src: `${base}/cell.svg`, alt: `Normal and reduction cells of trial ${number}`, class: 'cells' }));
    } else {
      children.push(el('p', { class: 'muted', text: `No cell diagram: ${x.cellDiagram}.` }));
    }
    if (choices.length) {
      children.push(el('table', {},
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Choice' }), el('th', { scope: 'col', text: 'Value' }))),
        el('tbody', {}, choices.map(([k, v]) => el('tr', {}, el('th', { scope: 'row', text: k.slice(5) }), el('td', { text: value(v) }))))));
    }
    box.replaceChildren(...children);
  }

  function evaluation(x) {
    const test = x.test;
    const section = document.getElementById('evaluation');
    if (!test) {
      section.replaceChildren(el('h2', { text: 'Test evaluation' }),
        el('p', { class: 'muted', text: x.trial.state === 'Completed' ? 'This trial was not evaluated on a test split.' : `Only completed trials are evaluated on the test split; this one is ${x.trial.state.toLowerCase()}.` }));
      return;
    }
    const classes = test.PerClass.map(c => c.Name);
    document.getElementById('test-facts').replaceChildren(
      ...[['Images', int(test.Count)], ['Accuracy', pct(test.Accuracy)], ['Top-5', pct(test.Top5Accuracy)], ['Macro precision', pct(test.MacroPrecision)],
        ['Macro recall', pct(test.MacroRecall)], ['Macro F1', pct(test.MacroF1)], ['Weighted F1', pct(test.WeightedF1)]]
        .map(([k, v]) => el('li', { id: `test-${k.toLowerCase().replace(' ', '-')}` }, el('span', { text: k }), v)));

    // Confusion matrix heatmap; a cell's click shows the stored confident mistakes of that pair.
    const cells = [];
    let max = 1;
    test.ConfusionMatrix.forEach((row, t) => row.forEach((count, p) => { cells.push([p, t, count]); if (t !== p) max = Math.max(max, count); }));
    chart(document.getElementById('confusion'), {
      grid: { left: 110, right: 20, top: 10, bottom: 90 },
      tooltip: { renderMode: 'richText', formatter: p => `true ${classes[p.value[1]]}\npredicted ${classes[p.value[0]]}\n${p.value[2]} images` },
      xAxis: { type: 'category', data: classes, name: 'predicted', nameLocation: 'middle', nameGap: 70, axisLabel: { rotate: 40, interval: 0 } },
      yAxis: { type: 'category', data: classes, name: 'true class', nameLocation: 'start', nameGap: 8, inverse: true, axisLabel: { interval: 0 } },
      visualMap: { min: 0, max, show: false, inRange: { color: ['#ffffff', '#0b5cad'] } },
      series: [{ type: 'heatmap', data: cells, label: { show: classes.length <= 12 } }],
    }, `Confusion matrix of ${classes.length} classes on ${test.Count} test images`).then(confusion => {
      confusion.off('click');
      confusion.on('click', p => cellImages(test, classes, p.value[1], p.value[0]));
    });

    // Threshold slider over the stored precision/recall points.
    const points = test.Thresholds;
    const slider = document.getElementById('threshold');
    const show = () => {
      const wanted = Number(slider.value);
      const point = points.reduce((a, b) => Math.abs(b.Threshold - wanted) < Math.abs(a.Threshold - wanted) ? b : a, points[0]);
      document.getElementById('threshold-value').textContent = point.Threshold.toFixed(2);
      document.getElementById('threshold-result').textContent =
        `At confidence ≥ ${point.Threshold.toFixed(2)}: precision ${pct(point.Precision)}, recall ${pct(point.Recall)}, ${int(point.Predictions)} predictions`;
      chart(document.getElementById('thresholds'), {
        grid: { left: 60, right: 20, top: 30, bottom: 45 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis', renderMode: 'richText' },
        xAxis: { type: 'value', name: 'confidence threshold', nameLocation: 'middle', nameGap: 28, min: 0, max: 1 },
        yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: AutoNet.axisPercent } },
        series: [
          { type: 'line', name: 'precision', data: points.map(q => [q.Threshold, q.Precision]), markLine: { symbol: 'none', silent: true, data: [{ xAxis: point.Threshold }] } },
          { type: 'line', name: 'recall', data: points.map(q => [q.Threshold, q.Recall]) },
        ],
      }, `Precision and recall against the confidence threshold; the selected threshold is ${point.Threshold.toFixed(2)}`);
    };
    slider.addEventListener('input', show);
    show();
    classCurves(test, classes, slider);

    document.getElementById('per-class').replaceChildren(el('table', {},
      el('thead', {}, el('tr', {}, ['Class', 'Precision', 'Recall', 'F1', 'Support', 'ROC AUC', 'PR AUC'].map((h, i) => el('th', { scope: 'col', class: i ? 'num' : null, text: h })))),
      el('tbody', {}, test.PerClass.map(c => el('tr', {}, el('th', { scope: 'row', text: c.Name }),
        el('td', { class: 'num', text: pct(c.Precision) }), el('td', { class: 'num', text: pct(c.Recall) }), el('td', { class: 'num', text: pct(c.F1) }),
        el('td', { class: 'num', text: int(c.Support) }), el('td', { class: 'num', text: c.RocAuc === null ? '–' : c.RocAuc.toFixed(4) }),
        el('td', { class: 'num', text: c.PrAuc === null ? '–' : c.PrAuc.toFixed(4) }))))));
    mistakes(test, classes);
  }

  // One class against the rest: its precision-recall and ROC curves at the stored thresholds, the slider's point marked.
  function classCurves(test, classes, slider) {
    const section = document.getElementById('class-curves-section');
    if (!test.ClassThresholds) {
      section.replaceChildren(el('p', { class: 'muted', text: 'Per-class curves are kept for trials evaluated by a newer AutoNet.' }));
      return;
    }
    const select = document.getElementById('curve-class');
    select.replaceChildren(...classes.map((c, i) => el('option', { value: i, text: c })));
    const draw = () => {
      const c = Number(select.value);
      const support = test.PerClass[c].Support;
      const negatives = test.Count - support;
      const points = test.ClassThresholds[c].map(p => ({
        threshold: p.Threshold,
        precision: p.TruePositives + p.FalsePositives === 0 ? 1 : p.TruePositives / (p.TruePositives + p.FalsePositives),
        recall: support === 0 ? 0 : p.TruePositives / support,
        fpr: negatives === 0 ? 0 : p.FalsePositives / negatives,
      }));
      const wanted = Number(slider.value);
      const at = points.reduce((a, b) => Math.abs(b.threshold - wanted) < Math.abs(a.threshold - wanted) ? b : a, points[0]);
      document.getElementById('class-threshold-result').textContent =
        `${classes[c]} at confidence ≥ ${at.threshold.toFixed(2)}: precision ${pct(at.precision)}, recall ${pct(at.recall)}, false-positive rate ${pct(at.fpr)}` +
        ` (PR AUC ${test.PerClass[c].PrAuc === null ? '–' : test.PerClass[c].PrAuc.toFixed(4)}, ROC AUC ${test.PerClass[c].RocAuc === null ? '–' : test.PerClass[c].RocAuc.toFixed(4)} over every score)`;
      const curve = (x, y, name, xName, yName, id, diagonal) => chart(document.getElementById(id), {
        grid: { left: 60, right: 20, top: 30, bottom: 45 },
        title: { text: name, left: 'center', textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'item', renderMode: 'richText', formatter: p => `threshold ${p.data[2].toFixed(2)}\n${xName} ${pct(p.data[0])}\n${yName} ${pct(p.data[1])}` },
        xAxis: { type: 'value', min: 0, max: 1, name: xName, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: AutoNet.axisPercent } },
        yAxis: { type: 'value', min: 0, max: 1, name: yName, axisLabel: { formatter: AutoNet.axisPercent } },
        series: [
          { type: 'line', name, data: points.map(p => [p[x], p[y], p.threshold]), symbolSize: 5,
            markPoint: { symbol: 'circle', symbolSize: 14, itemStyle: { color: '#b42318' }, label: { show: false }, data: [{ coord: [at[x], at[y]] }] } },
          ...(diagonal ? [{ type: 'line', silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#8a949e' }, data: [[0, 0], [1, 1]] }] : []),
        ],
      }, `${name} of class ${classes[c]}; the point at threshold ${at.threshold.toFixed(2)} is marked`);
      curve('recall', 'precision', 'Precision against recall', 'recall', 'precision', 'class-pr', false);
      curve('fpr', 'recall', 'ROC', 'false-positive rate', 'true-positive rate', 'class-roc', true);
    };
    select.addEventListener('change', draw);
    slider.addEventListener('input', draw);
    draw();
  }

  // Every image of a confusion-matrix cell, from the predictions the trial saved; the stored confident mistakes of that
  // cell when the workspace does not have them.
  async function cellImages(test, classes, trueClass, predicted) {
    document.getElementById('mistakes-heading').textContent = `${classes[trueClass]} predicted as ${classes[predicted]}`;
    try {
      const cell = await api(`${base}/cell?true=${trueClass}&predicted=${predicted}`);
      const shown = cell.images.map(i => ({ Index: i.index, TrueLabel: trueClass, PredictedLabel: predicted, Confidence: i.confidence }));
      gallery(shown, classes, `${int(cell.count)} test images are ${classes[trueClass]} and were predicted as ${classes[predicted]}` +
        (cell.count > shown.length ? `; the ${shown.length} it was surest of:` : ', surest first:'));
    } catch (error) {
      const chosen = test.ConfidentMistakes.filter(m => m.TrueLabel === trueClass && m.PredictedLabel === predicted);
      gallery(chosen, classes, `${error.message}. Of the stored confident mistakes, ${chosen.length} are ${classes[trueClass]} taken for ${classes[predicted]}.`);
    }
  }

  function mistakes(test, classes) {
    document.getElementById('mistakes-heading').textContent = 'Most confidently wrong test images';
    gallery(test.ConfidentMistakes, classes, `The ${test.ConfidentMistakes.length} wrong answers the network was surest of, as it saw them. Choose a cell of the confusion matrix for its images.`);
  }

  function gallery(chosen, classes, note) {
    document.getElementById('mistakes-note').textContent = note;
    const looked = document.getElementById('saliency').checked;
    document.getElementById('mistakes').replaceChildren(...chosen.map(m => el('figure', {},
      el('img', { src: `${base}/${looked ? 'saliency' : 'images'}/${m.Index}.png`, 'data-index': m.Index, alt: `test image ${m.Index}: a ${classes[m.TrueLabel]} predicted as ${classes[m.PredictedLabel]}`, width: 128, height: 128 }),
      el('figcaption', {}, el('div', { text: `true: ${classes[m.TrueLabel]}` }), el('div', { text: `predicted: ${classes[m.PredictedLabel]} (${pct(m.Confidence, 1)})` }),
        el('div', { class: 'muted', text: `test image ${m.Index}` })))));
  }

  document.getElementById('saliency').addEventListener('change', e => {
    for (const image of document.querySelectorAll('#mistakes img')) {
      image.src = `${base}/${e.target.checked ? 'saliency' : 'images'}/${image.dataset.index}.png`;
      image.alt = image.alt.replace(/ \(where the network looked\)$/, '') + (e.target.checked ? ' (where the network looked)' : '');
    }
  });

  async function start() {
    try {
      const x = await api(base);
      facts(x); commands(x); curve(x); hyperparameters(x); architecture(x); evaluation(x);
    } catch (error) {
      fail(document.getElementById('facts'), error);
    }
  }
  start();
})();
