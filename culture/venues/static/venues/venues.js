/* Venue charts and maps (ECharts, our own GeoJSON, no tile server):
   - #venue-map: every visible venue as a scatter point over the org boundaries;
   - #venue-week: the reference week's opening spans, off-peak parts in another colour;
   - #venue-minimap: the venue's point inside its community's boundary. */
(function () {
  "use strict";

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

  /* Symbol per kind group: the five district venues as large pins on top, then the
     subdistrict and community bases, the small spaces, sports grounds and news boards. */
  var GROUP = {
    library: 0, culture_centre: 0, museum: 0, heritage_hall: 0, theatre: 0,
    culture_station: 1, community_centre: 1, branch_library: 1, culture_centre_branch: 1,
    sports_centre: 1,
    city_bookroom: 2, culture_post: 2, performance_spot: 2, reading_room: 2, gallery: 2,
    arts_education_base: 2, exchange_base: 2,
    sports_court: 3, sports_ground: 3, gym: 3, public_gym: 3, school_ground: 3,
    news_board: 4, e_screen: 4,
  };
  var SHAPES = ["pin", "roundRect", "circle", "triangle", "diamond"];
  var SIZES = [30, 15, 12, 13, 11];
  // 27 distinguishable colours, one per kind in the order of the kind list.
  var KIND_COLORS = ["#c92a2a", "#d9480f", "#5f3dc4", "#862e9c", "#a61e4d", "#1864ab", "#2b8a3e",
    "#e67700", "#0b7285", "#9c36b5", "#364fc7", "#5c940d", "#c2255c", "#087f5b", "#f08c00",
    "#1971c2", "#2f9e44", "#74b816", "#0c8599", "#3b5bdb", "#e8590c", "#495057", "#868e96",
    "#7048e8", "#d6336c", "#15aabf", "#82c91e"];

  function kindOrder() {
    var order = {};
    document.querySelectorAll("select[name=kind] option").forEach(function (o, i) {
      if (o.value) order[o.value] = i - 1;
    });
    return order;
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

  /* The largest box of the district's true shape that fits the map element. */
  function geoBox(el, fc) {
    var b = bounds(fc), pad = 10;
    var aspect = (b[2] - b[0]) * Math.cos((b[1] + b[3]) / 2 * Math.PI / 180) / (b[3] - b[1]);
    var w = el.clientWidth - 2 * pad, h = el.clientHeight - 2 * pad;
    var size = aspect > 1 ? Math.min(w, h * aspect) : Math.min(h, w / aspect);
    return { layoutCenter: [pad + w / 2, pad + h / 2], layoutSize: Math.max(Math.floor(size), 50) };
  }

  /* The legend is HTML under the map: one toggle button per kind (symbol, name, count), large
     enough to tap, wrapping on a phone, readable by screen readers; it drives the chart's
     (hidden) legend, which shows and hides that kind's series. */
  function legendBox(box, chart, entries, el, onChange) {
    function selected() { return chart.getOption().legend[0].selected || {}; }
    function refresh() {
      var sel = selected();
      box.querySelectorAll("[data-name]").forEach(function (b) {
        b.setAttribute("aria-pressed", sel[b.dataset.name] === false ? "false" : "true");
      });
      onChange(sel);
    }
    function button(text, cls, action) {
      var b = document.createElement("button");
      b.type = "button"; b.className = cls; b.textContent = text;
      b.addEventListener("click", function () { action(b); refresh(); });
      return b;
    }
    box.textContent = "";
    var tools = document.createElement("div");
    tools.className = "venue-legend-tools";
    tools.appendChild(button(el.dataset.allText || "All", "venue-legend-tool", function () {
      chart.dispatchAction({ type: "legendAllSelect" });
    }));
    tools.appendChild(button(el.dataset.inverseText || "Invert", "venue-legend-tool", function () {
      chart.dispatchAction({ type: "legendInverseSelect" });
    }));
    box.appendChild(tools);
    entries.forEach(function (e) {
      var b = button("", "venue-legend-item", function () {
        chart.dispatchAction({ type: "legendToggleSelect", name: e.name });
      });
      b.dataset.name = e.name;
      b.dataset.kind = e.kind;
      var swatch = document.createElement("span");
      swatch.className = "venue-swatch shape-" + e.symbol;
      swatch.style.backgroundColor = e.color;
      swatch.setAttribute("aria-hidden", "true");
      var label = document.createElement("span");
      label.textContent = e.name;
      var n = document.createElement("span");
      n.className = "venue-legend-n";
      n.textContent = e.count;
      b.appendChild(swatch); b.appendChild(label); b.appendChild(n);
      box.appendChild(b);
    });
    refresh();
  }

  function districtMap(el) {
    var chart = echarts.init(el);
    var geoP = el.dataset.geojsonUrl ? getJSON(el.dataset.geojsonUrl) : Promise.resolve(null);
    var count = document.getElementById("venue-map-count");
    var legendEl = document.getElementById("venue-map-legend");
    Promise.all([geoP, getJSON(el.dataset.pointsUrl)]).then(function (res) {
      var fc = res[0], points = res[1].points;
      if (count) count.textContent = (el.dataset.countText || "%n").replace("%n", points.length);
      if (!points.length) { el.textContent = el.dataset.emptyText; return; }
      var order = kindOrder();
      var byKind = {};
      points.forEach(function (p) { (byKind[p.kind] = byKind[p.kind] || []).push(p); });
      var kinds = Object.keys(byKind).sort(function (a, b) {
        return (order[a] === undefined ? 99 : order[a]) - (order[b] === undefined ? 99 : order[b]);
      });
      var hasGeo = !!(fc && fc.features.length);
      var elderly = document.body.classList.contains("elderly");
      var touch = el.clientWidth < 700 || window.matchMedia("(pointer: coarse)").matches;
      var crowded = points.length > 4000;  // a --scale benchmark: many small points
      var entries = [], counts = {};
      var series = kinds.map(function (kind) {
        var group = GROUP[kind] === undefined ? 2 : GROUP[kind];
        var size = SIZES[group] + (touch && group ? 3 : 0) + (elderly && group ? 3 : 0);
        if (crowded && group) size = Math.max(5, Math.round(size / 2));
        var name = byKind[kind][0].kind_label;
        var color = KIND_COLORS[(order[kind] || 0) % KIND_COLORS.length];
        counts[name] = byKind[kind].length;
        entries.push({ kind: kind, name: name, color: color, symbol: SHAPES[group], count: byKind[kind].length });
        return {
          name: name, type: "scatter", data: byKind[kind],
          coordinateSystem: hasGeo ? "geo" : "cartesian2d",
          symbol: SHAPES[group], symbolSize: size, z: 10 - group,
          // a pin points at its place with its tip
          symbolOffset: SHAPES[group] === "pin" ? [0, "-50%"] : [0, 0],
          itemStyle: { color: color, borderColor: "#fff", borderWidth: crowded ? 0 : 1.5, opacity: 0.95 },
          emphasis: { scale: 1.4, itemStyle: { borderColor: "#111", borderWidth: 2 } },
          large: crowded && byKind[kind].length > 2000, largeThreshold: 2000,
        };
      });
      var option = {
        textStyle: { fontSize: font() },
        tooltip: { confine: true, formatter: function (p) {
          return esc(p.data.name) + "<br>" + esc(p.data.kind_label) + " · " + esc(p.data.code);
        } },
        legend: { show: false, data: entries.map(function (e) { return e.name; }) },
        series: series,
      };
      if (hasGeo) {
        var geo = geoLayer("venues-district", fc);
        var box = geoBox(el, fc);
        geo.layoutCenter = box.layoutCenter; geo.layoutSize = box.layoutSize;
        geo.scaleLimit = { min: 0.8, max: 12 };
        option.geo = geo;
      } else {
        // Without boundaries in the viewer's scope (a venue manager), plain lon/lat axes.
        option.grid = { left: 16, right: 16, top: 16, bottom: 16 };
        option.xAxis = { type: "value", scale: true, show: false };
        option.yAxis = { type: "value", scale: true, show: false };
      }
      chart.setOption(option);
      chart.on("click", function (p) {
        if (p.componentType === "series" && p.data && p.data.url) window.location = p.data.url;
      });
      if (legendEl) {
        legendBox(legendEl, chart, entries, el, function (sel) {
          if (!count) return;
          var shown = 0;
          entries.forEach(function (e) { if (sel[e.name] !== false) shown += e.count; });
          count.textContent = shown === points.length
            ? (el.dataset.countText || "%n").replace("%n", points.length)
            : (el.dataset.shownText || "{shown} / {total}").replace("{shown}", shown).replace("{total}", points.length);
        });
      }
      window.addEventListener("resize", function () {
        chart.resize();
        if (hasGeo) chart.setOption({ geo: geoBox(el, fc) });
      });
    }).catch(function () { el.textContent = el.dataset.errorText; });
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
