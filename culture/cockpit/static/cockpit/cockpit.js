/* The cockpit's two charts (ECharts, no external resources):
   - the map: the org GeoJSON (culture.org's /org/geojson/) coloured by each unit's share of
     targets met (data in #ck-map-data: code -> {name, share, met, judged, url}); click drills down;
   - the monthly trend: activities (bars) and person-times (line) per month (#ck-trend-data). */
(function () {
  "use strict";

  var big = document.body.classList.contains("ck-screen");
  var charts = [];

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function ink() { return big ? "#e8eef7" : "#1f2328"; }
  function muted() { return big ? "#9fb3cf" : "#59636e"; }
  function fontSize() {
    if (big) return 15;
    return document.body.classList.contains("elderly") ? 18 : 13;
  }

  function bounds(fc) {
    var b = { s: 90, n: -90 };
    function walk(c) {
      if (typeof c[0] === "number") { b.s = Math.min(b.s, c[1]); b.n = Math.max(b.n, c[1]); return; }
      c.forEach(walk);
    }
    fc.features.forEach(function (f) { walk(f.geometry.coordinates); });
    return b;
  }

  function message(el, text) {
    el.textContent = text;
    el.classList.add("ck-message");
  }

  function drawMap(el, fc, shares) {
    if (!fc.features.length) { message(el, el.dataset.emptyText); return; }
    var d = el.dataset;
    var sep = /^zh/.test(document.documentElement.lang) ? "：" : ": ";
    var name = "ck-map-" + fc.features.length;
    echarts.registerMap(name, fc);
    var data = fc.features.map(function (f) {
      var s = shares[f.properties.code];
      var share = s && s.share !== null ? s.share : null;
      var item = { name: f.properties.code, value: share === null ? NaN : share };
      if (share === null) item.itemStyle = { areaColor: big ? "#2b3d59" : "#d8dee4" };
      return item;
    });
    var b = bounds(fc);
    var font = fontSize();
    var chart = echarts.init(el, null, { renderer: "canvas" });
    charts.push(chart);
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        confine: true,
        textStyle: { fontSize: font },
        formatter: function (p) {
          var s = shares[p.name];
          var f = fc.features.find(function (x) { return x.properties.code === p.name; });
          var title = s ? s.name : (f ? f.properties.name : p.name);
          var lines = ["<b>" + esc(title) + "</b>"];
          if (s && s.share !== null) {
            lines.push(esc(d.shareLabel) + sep + s.share + "%");
            lines.push(esc(d.metLabel) + sep + s.met + "/" + s.judged);
          } else {
            lines.push(esc(d.noneLabel));
          }
          if (s && s.url && fc.features.length > 1) lines.push("<i>" + esc(d.clickHint) + "</i>");
          return lines.join("<br>");
        },
      },
      visualMap: {
        type: "continuous",
        min: 0,
        max: 100,
        orient: "horizontal",
        left: "center",
        bottom: 0,
        itemHeight: Math.min(220, Math.max(100, el.clientWidth - 140)),
        itemWidth: 12,
        text: ["100%", "0%"],
        textStyle: { color: ink(), fontSize: font },
        calculable: false,
        inRange: { color: ["#cf222e", "#f2a33a", "#f6e05e", "#8fd18f", "#1a7f37"] },
        outOfRange: { color: big ? "#2b3d59" : "#d8dee4" },
      },
      series: [{
        type: "map",
        map: name,
        nameProperty: "code",
        aspectScale: Math.cos(((b.s + b.n) / 2) * Math.PI / 180),
        layoutCenter: ["50%", "46%"],
        layoutSize: "88%",
        roam: false,
        selectedMode: false,
        labelLayout: { hideOverlap: true },
        label: {
          show: fc.features.length <= 24,
          fontSize: font - 1,
          color: "#1f2328",
          textBorderColor: "#fff",
          textBorderWidth: 2,
          formatter: function (p) {
            var s = shares[p.name];
            var label = s ? s.name : "";
            label = label.replace(/ (Subdistrict|Community|District)$/, "");
            return s && s.share !== null ? label + "\n" + Math.round(s.share) + "%" : label;
          },
        },
        itemStyle: { borderColor: big ? "#0a1424" : "#ffffff", borderWidth: 1 },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffd33d" } },
        data: data,
      }],
    });
    if (fc.features.length > 1) {
      chart.on("click", function (p) {
        var s = shares[p.name];
        if (s && s.url) window.location.href = s.url;
      });
    }
  }

  function initMap() {
    var el = document.getElementById("ck-map");
    if (!el) return;
    var shares = readJson("ck-map-data") || {};
    fetch(el.dataset.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (fc) { drawMap(el, fc, shares); })
      .catch(function () { message(el, el.dataset.errorText); });
  }

  function initTrend() {
    var el = document.getElementById("ck-trend");
    var rows = readJson("ck-trend-data");
    if (!el || !rows) return;
    var d = el.dataset;
    var font = fontSize();
    var zh = /^zh/.test(document.documentElement.lang);
    var months = rows.map(function (r) { return zh ? r.month + d.monthLabel : String(r.month); });
    var chart = echarts.init(el, null, { renderer: "canvas" });
    charts.push(chart);
    var axisText = { color: muted(), fontSize: font };
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
      legend: { top: 0, textStyle: { color: ink(), fontSize: font } },
      tooltip: { trigger: "axis", confine: true, textStyle: { fontSize: font } },
      xAxis: { type: "category", data: months, axisLabel: axisText },
      yAxis: [
        { type: "value", name: "", minInterval: 1, axisLabel: axisText, splitLine: { lineStyle: { color: big ? "#23395c" : "#eef1f4" } } },
        { type: "value", name: "", minInterval: 1, axisLabel: axisText, splitLine: { show: false } },
      ],
      series: [
        { name: d.activitiesLabel, type: "bar", data: rows.map(function (r) { return r.activities; }),
          itemStyle: { color: big ? "#4ea1ff" : "#0b5cad" } },
        { name: d.attendanceLabel, type: "line", yAxisIndex: 1, smooth: true,
          data: rows.map(function (r) { return r.attendance; }),
          itemStyle: { color: big ? "#ffd33d" : "#a61b1b" } },
      ],
    });
  }

  function init() {
    if (typeof echarts === "undefined") return;
    initMap();
    initTrend();
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
