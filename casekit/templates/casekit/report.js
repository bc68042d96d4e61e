/* casekit report: unpack the page's data and chart library (gzip + base85 inside the page; nothing
   is requested), draw every chart, arm the "Data (CSV)" links, show tooltips and glossary definitions.
   Written for any current browser, without a build step; casekit/render.py fills in @ALPHABET@. */
(function () {
  'use strict';
  var charts = Array.prototype.slice.call(document.querySelectorAll('.casekit-chart'));

  function mark(state) {
    charts.forEach(function (chart) { if (!chart.hasAttribute('data-drawn')) chart.setAttribute('data-drawn', state); });
  }

  // A glossary definition shown on hover or focus stays inside the window ...
  function placeTip(event) {
    var term = event.target.closest && event.target.closest('.casekit-term');
    if (!term) return;
    var definition = term.querySelector('.casekit-term-tip');
    definition.style.left = '0px';
    var over = definition.getBoundingClientRect().right - (document.documentElement.clientWidth - 8);
    if (over > 0) definition.style.left = -over + 'px';
  }
  document.addEventListener('mouseover', placeTip);
  document.addEventListener('focusin', placeTip);
  // ... and Escape closes it (WCAG 1.4.13).
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') document.body.classList.add('casekit-tips-closed');
  });
  document.addEventListener('pointermove', function () { document.body.classList.remove('casekit-tips-closed'); });

  // Base85 in casekit's alphabet (see casekit/render.py), then gunzip.
  var ALPHABET = '@ALPHABET@', DIGIT = new Uint8Array(128);
  for (var d = 0; d < ALPHABET.length; d++) DIGIT[ALPHABET.charCodeAt(d)] = d;

  function decode85(text) {
    var length = text.length, rest = length % 5;
    var bytes = new Uint8Array(Math.floor(length / 5) * 4 + (rest ? rest - 1 : 0)), at = 0;
    for (var i = 0; i < length; i += 5) {
      var value = 0;
      for (var k = i; k < i + 5; k++) value = value * 85 + (k < length ? DIGIT[text.charCodeAt(k)] : 84);
      var count = Math.min(4, length - i - 1);  // a whole group gives 4 bytes, a last group of n characters n - 1
      for (var b = 0; b < count; b++) bytes[at++] = Math.floor(value / Math.pow(256, 3 - b)) % 256;
    }
    return bytes;
  }

  function unpack(id) {
    var node = document.getElementById(id);
    if (!node) return Promise.resolve('');
    var stream = new Blob([decode85(node.textContent.trim())]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text();
  }

  if (typeof DecompressionStream !== 'function') {
    mark('unsupported');
    charts.forEach(function (chart) {
      chart.querySelector('.casekit-chart-view').textContent = 'This browser cannot unpack the chart; open the report in a current browser.';
    });
    return;
  }

  // Tooltips: the chart's tooltip fields as a small table beside the pointer.
  var tip = null;
  function tooltip(handler, event, item, value) {
    if (!tip) {
      tip = document.createElement('div');
      tip.id = 'vg-tooltip-element';
      document.body.appendChild(tip);
    }
    if (value == null || value === '') { tip.classList.remove('visible'); return; }
    tip.textContent = '';
    if (typeof value === 'object') {
      var table = document.createElement('table');
      Object.keys(value).forEach(function (key) {
        var row = table.insertRow();
        var name = document.createElement('th');
        name.textContent = key;
        row.appendChild(name);
        row.insertCell().textContent = String(value[key]);
      });
      tip.appendChild(table);
    } else {
      tip.textContent = String(value);
    }
    tip.classList.add('visible');
    var x = event.clientX + 14, y = event.clientY + 14, box = tip.getBoundingClientRect();
    if (x + box.width > window.innerWidth - 8) x = Math.max(8, event.clientX - box.width - 14);
    if (y + box.height > window.innerHeight - 8) y = Math.max(8, event.clientY - box.height - 14);
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }

  function draw(chart, spec) {
    var target = chart.querySelector('.casekit-chart-view'), drawn;
    if (window.vega && window.vega.View && window.vegaLite && window.vegaLite.compile) {
      var view = new vega.View(vega.parse(vegaLite.compile(spec).spec), {renderer: 'svg'});
      drawn = view.tooltip(tooltip).initialize(target).runAsync();
    } else {  // the fuller Vega-Embed bundle (see casekit.render.chart_library)
      drawn = vegaEmbed(target, spec, {renderer: 'svg', actions: false, tooltip: tooltip});
    }
    return drawn.then(function () { chart.setAttribute('data-drawn', 'true'); });
  }

  var data = unpack('casekit-data').then(JSON.parse);

  data.then(function (page) {
    document.querySelectorAll('a.casekit-csv[data-csv]').forEach(function (link) {
      // A byte-order mark, so that spreadsheet programs read the file as UTF-8.
      var file = new Blob(['\ufeff' + page.csv[+link.getAttribute('data-csv')]], {type: 'text/csv;charset=utf-8'});
      link.href = URL.createObjectURL(file);
    });
  }).catch(function (error) { console.error(error); });

  if (charts.length) {
    Promise.all([data, unpack('casekit-library')]).then(function (unpacked) {
      if (!window.vega && !window.vegaEmbed) {
        var library = document.createElement('script');
        library.textContent = unpacked[1];
        document.head.appendChild(library);
      }
      return Promise.all(charts.map(function (chart) {
        return draw(chart, unpacked[0].charts[+chart.getAttribute('data-chart')]).catch(function (error) {
          chart.setAttribute('data-drawn', 'error');
          console.error(error);
        });
      }));
    }).catch(function (error) { mark('error'); console.error(error); });
  }

})();
