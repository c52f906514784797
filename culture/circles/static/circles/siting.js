/* The siting map (ECharts over our own GeoJSON, no tiles): the failing homes coloured by what
   happens to them (met once the suggested sites are built, still short, or out of every
   candidate's reach) and the suggested sites as pins numbered in build order. The data are the
   answer the server rendered into the page (#siting-data); htmx swaps re-draw it. */
(function () {
  "use strict";

  var STATUS = { covered_after: "#2f9e44", uncovered_after: "#e67700", unreachable: "#c92a2a" };
  var SITE = { venue: "#1864ab", spaces: "#0b7285" };
  var geoCache = {};
  var chart = null;

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  function bounds(fc) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    function walk(c) {
      if (typeof c[0] === "number") {
        b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
        b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
        return;
      }
      c.forEach(walk);
    }
    fc.features.forEach(function (f) { walk(f.geometry.coordinates); });
    return b;
  }

  function box(el, fc) {
    var b = bounds(fc), pad = 8;
    var aspect = (b[2] - b[0]) * Math.cos((b[1] + b[3]) / 2 * Math.PI / 180) / (b[3] - b[1]);
    var w = el.clientWidth - 2 * pad, h = el.clientHeight - 2 * pad;
    var size = aspect > 1 ? Math.min(w, h * aspect) : Math.min(h, w / aspect);
    return { layoutCenter: [pad + w / 2, pad + h / 2], layoutSize: Math.max(Math.floor(size), 50) };
  }

  function legend(el, items) {
    var boxEl = document.getElementById("siting-legend");
    if (!boxEl) return;
    boxEl.textContent = "";
    items.forEach(function (e) {
      var item = document.createElement("span");
      item.className = "circle-legend-item";
      var sw = document.createElement("span");
      sw.className = "circle-swatch shape-" + e.shape;
      sw.style.backgroundColor = e.color;
      sw.setAttribute("aria-hidden", "true");
      item.appendChild(sw);
      item.appendChild(document.createTextNode(e.name + " " + e.count));
      boxEl.appendChild(item);
    });
  }

  function draw() {
    var el = document.getElementById("siting-map");
    var node = document.getElementById("siting-data");
    if (!el || !node || !window.echarts) return;
    var data = JSON.parse(node.textContent || "{}");
    if (chart) { chart.dispose(); chart = null; }
    chart = echarts.init(el);
    var url = el.dataset.geojsonUrl;
    var p = geoCache[url] ? Promise.resolve(geoCache[url]) : getJSON(url).then(function (fc) {
      geoCache[url] = fc; return fc;
    });
    p.then(function (fc) {
      var series = [], items = [];
      var small = el.clientWidth < 700;
      ["covered_after", "uncovered_after", "unreachable"].forEach(function (status) {
        var homes = (data.homes || []).filter(function (h) { return h.status === status; });
        if (!homes.length) return;
        var name = el.dataset["status" + status.split("_")[0].replace(/^./, function (c) { return c.toUpperCase(); })];
        items.push({ name: name, color: STATUS[status], count: homes.length, shape: "circle" });
        series.push({
          name: name, type: "scatter", coordinateSystem: "geo", z: 3,
          symbolSize: small ? 5 : 6,
          itemStyle: { color: STATUS[status], opacity: 0.85, borderColor: "#fff", borderWidth: 0.5 },
          data: homes.map(function (h) { return { value: [h.lon, h.lat], home: h }; }),
        });
      });
      var byReq = {};
      (data.sites || []).forEach(function (s) { (byReq[s.requirement] = byReq[s.requirement] || []).push(s); });
      Object.keys(byReq).forEach(function (key) {
        var list = byReq[key];
        items.push({ name: list[0].must_be, color: SITE[key] || "#364fc7", count: list.length, shape: "pin" });
        series.push({
          name: list[0].must_be, type: "scatter", coordinateSystem: "geo", symbol: "pin", z: 8,
          symbolSize: small ? 26 : 30, symbolOffset: [0, "-50%"],
          label: { show: true, formatter: function (q) { return q.data.site.order; }, color: "#fff", fontSize: 11 },
          itemStyle: { color: SITE[key] || "#364fc7", borderColor: "#fff", borderWidth: 1 },
          data: list.map(function (s) { return { value: [s.lon, s.lat], site: s }; }),
        });
      });
      echarts.registerMap("circles-siting", fc);
      var b = box(el, fc);
      chart.setOption({
        textStyle: { fontSize: document.body.classList.contains("elderly") ? 18 : 13 },
        tooltip: {
          confine: true,
          formatter: function (q) {
            var d = q.data || {};
            if (d.site) {
              return esc(d.site.order + ". " + d.site.code) + "<br>" + esc(d.site.must_be) + "<br>" +
                esc(el.dataset.addedText) + " " + esc(d.site.residents_added) + " " + esc(el.dataset.peopleText);
            }
            if (d.home) return esc(d.home.name || d.home.code) + " · " + esc(d.home.population) + " " + esc(el.dataset.peopleText);
            return "";
          },
        },
        geo: {
          map: "circles-siting", roam: true, aspectScale: Math.cos(30.33 * Math.PI / 180),
          layoutCenter: b.layoutCenter, layoutSize: b.layoutSize, scaleLimit: { min: 0.8, max: 14 },
          itemStyle: { areaColor: "#f3f5f8", borderColor: "#98a2b3" },
          emphasis: { disabled: true }, label: { show: false },
        },
        series: series,
      });
      legend(el, items);
      el.dataset.loaded = String((data.sites || []).length);
    }).catch(function () { el.textContent = el.dataset.errorText; });
  }

  draw();
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "siting-result") draw();
  });
  window.addEventListener("resize", function () { if (chart) chart.resize(); });
})();
