/* Venue charts and maps (ECharts, our own GeoJSON, no tile server):
   - #venue-map: every visible venue as a scatter point over the org boundaries;
   - #venue-week: the reference week's opening spans, off-peak parts in another colour;
   - #venue-minimap: the venue's point inside its community's boundary. */
(function () {
  "use strict";

  var PALETTE = ["#1f6feb", "#d9480f", "#2f9e44", "#9c36b5", "#e67700", "#0c8599", "#c2255c",
    "#5c940d", "#364fc7", "#862e9c", "#a61e4d", "#087f5b", "#5f3dc4", "#e8590c"];

  function font() {
    return document.body.classList.contains("elderly") ? 18 : 13;
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  function geoLayer(name, fc) {
    echarts.registerMap(name, fc);
    return {
      map: name, roam: true, aspectScale: Math.cos(30.33 * Math.PI / 180),
      itemStyle: { areaColor: "#f3f5f8", borderColor: "#98a2b3" },
      emphasis: { disabled: true }, label: { show: false },
    };
  }

  function districtMap(el) {
    var chart = echarts.init(el);
    var geoP = el.dataset.geojsonUrl ? getJSON(el.dataset.geojsonUrl) : Promise.resolve(null);
    Promise.all([geoP, getJSON(el.dataset.pointsUrl)]).then(function (res) {
      var fc = res[0], points = res[1].points;
      var count = document.getElementById("venue-map-count");
      if (count) count.textContent = (el.dataset.countText || "%n").replace("%n", points.length);
      if (!points.length) { el.textContent = el.dataset.emptyText; return; }
      var kinds = {};
      points.forEach(function (p) { (kinds[p.kind_label] = kinds[p.kind_label] || []).push(p); });
      var names = Object.keys(kinds);
      var hasGeo = !!(fc && fc.features.length);
      var series = names.map(function (k, i) {
        return {
          name: k, type: "scatter", coordinateSystem: hasGeo ? "geo" : "cartesian2d", data: kinds[k],
          symbolSize: 8, itemStyle: { color: PALETTE[i % PALETTE.length] },
        };
      });
      chart.setOption({
        textStyle: { fontSize: font() },
        tooltip: { formatter: function (p) {
          return esc(p.data.name) + "<br>" + esc(p.data.kind_label) + " · " + esc(p.data.code);
        } },
        legend: { type: "scroll", bottom: 0, textStyle: { fontSize: font() } },
        geo: hasGeo ? geoLayer("venues-district", fc) : undefined,
        // Without boundaries in the viewer's scope (a venue manager), plain lon/lat axes.
        xAxis: hasGeo ? undefined : { type: "value", scale: true, show: false },
        yAxis: hasGeo ? undefined : { type: "value", scale: true, show: false },
        series: series,
      });
      chart.on("click", function (p) { if (p.data && p.data.url) window.location = p.data.url; });
    }).catch(function () { el.textContent = el.dataset.errorText; });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function weekChart(el) {
    var data = JSON.parse(document.getElementById("venue-week-data").textContent);
    var chart = echarts.init(el);
    var colors = ["#2f9e44", "#e67700"];
    chart.setOption({
      textStyle: { fontSize: font() },
      tooltip: { formatter: function (p) {
        var v = p.value;
        function hm(h) { var m = Math.round(h * 60); return ("0" + Math.floor(m / 60)).slice(-2) + ":" + ("0" + m % 60).slice(-2); }
        return esc(data.days[v[0]]) + " " + hm(v[1]) + "–" + hm(v[2]) + "<br>" + esc(v[3] ? data.labels.offpeak : data.labels.core);
      } },
      legend: { data: [data.labels.core, data.labels.offpeak], bottom: 0 },
      grid: { left: 56, right: 16, top: 12, bottom: 48 },
      xAxis: { type: "value", min: 0, max: 24, interval: 3, name: data.labels.hours },
      yAxis: { type: "category", data: data.days, inverse: true },
      series: [0, 1].map(function (flag) {
        return {
          name: flag ? data.labels.offpeak : data.labels.core, type: "custom",
          itemStyle: { color: colors[flag] },
          encode: { x: [1, 2], y: 0 },
          data: data.spans.filter(function (s) { return s[3] === flag; }),
          renderItem: function (params, api) {
            var start = api.coord([api.value(1), api.value(0)]);
            var end = api.coord([api.value(2), api.value(0)]);
            var h = api.size([0, 1])[1] * 0.6;
            return { type: "rect", shape: { x: start[0], y: start[1] - h / 2, width: Math.max(end[0] - start[0], 1), height: h },
                     style: api.style() };
          },
        };
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function miniMap(el) {
    var chart = echarts.init(el);
    var point = JSON.parse(el.dataset.point);
    getJSON(el.dataset.geojsonUrl).then(function (fc) {
      chart.setOption({
        geo: geoLayer("venue-mini", fc),
        series: [{ type: "scatter", coordinateSystem: "geo", symbolSize: 14,
                   itemStyle: { color: "#d9480f" }, data: [{ name: el.dataset.name, value: point }],
                   label: { show: true, formatter: "{b}", position: "top", fontSize: font() } }],
      });
    }).catch(function () { el.remove(); });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() {
    if (typeof echarts === "undefined") return;
    var m = document.getElementById("venue-map"); if (m) districtMap(m);
    var w = document.getElementById("venue-week"); if (w) weekChart(w);
    var s = document.getElementById("venue-minimap"); if (s) miniMap(s);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
