/* Org unit maps: our own GeoJSON (lon/lat) drawn with ECharts, coloured by population density.
   Every element with class "org-map" and a data-geojson-url gets a map; click opens the unit. */
(function () {
  "use strict";

  function fmt(n, digits) {
    if (n === null || n === undefined) return "—";
    return Number(n).toLocaleString(document.documentElement.lang || undefined, {
      maximumFractionDigits: digits || 0,
    });
  }

  /* Map labels drop the level word of English names ("Wulin Subdistrict" -> "Wulin"). */
  function shortName(name) {
    return String(name).replace(/ (Subdistrict|Community|District)$/, "");
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function bounds(fc) {
    var b = { w: 180, e: -180, s: 90, n: -90 };
    function walk(c) {
      if (typeof c[0] === "number") {
        b.w = Math.min(b.w, c[0]); b.e = Math.max(b.e, c[0]);
        b.s = Math.min(b.s, c[1]); b.n = Math.max(b.n, c[1]);
        return;
      }
      c.forEach(walk);
    }
    fc.features.forEach(function (f) { walk(f.geometry.coordinates); });
    return b;
  }

  /* The largest map that fits the element above the legend, keeping the true shape:
     ECharts keeps the aspect ratio only with layoutCenter + layoutSize. */
  function layout(el, aspect, legendHeight) {
    var pad = 8;
    var w = Math.max(el.clientWidth - 2 * pad, 50);
    var h = Math.max(el.clientHeight - legendHeight - 2 * pad, 50);
    var size = aspect > 1 ? Math.min(w, h * aspect) : Math.min(h, w / aspect);
    return { layoutCenter: [el.clientWidth / 2, pad + h / 2], layoutSize: Math.floor(size) };
  }

  /* A wide shape in a tall box leaves empty bands: shrink the box (never below 240 px). */
  function fitHeight(el, aspect, legendHeight) {
    el.style.height = "";
    var wanted = Math.ceil((el.clientWidth - 16) / aspect + legendHeight + 24);
    if (wanted < el.clientHeight) el.style.height = Math.max(wanted, 240) + "px";
  }

  function render(el, fc) {
    if (!fc.features.length) {
      el.textContent = el.dataset.emptyText;
      el.classList.add("org-map-message");
      return;
    }
    var d = el.dataset;
    var sep = /^zh/.test(document.documentElement.lang) ? "：" : ": ";
    var elderly = document.body.classList.contains("elderly");
    var narrow = el.clientWidth < 560;
    var font = elderly ? 18 : (narrow ? 12 : 14);
    var mapName = "org-" + el.id + "-" + fc.features.length;
    echarts.registerMap(mapName, fc);
    var byCode = {};
    var data = fc.features.map(function (f) {
      byCode[f.properties.code] = f.properties;
      return { name: f.properties.code, value: f.properties.density };
    });
    var values = data.map(function (x) { return x.value; }).filter(function (v) { return v !== null; });
    values.sort(function (a, b) { return a - b; });
    var min = values[0], max = values[values.length - 1], clipped = false;
    // With many units a few outliers would wash out the rest: the scale ends at the 95th
    // percentile and denser units take the darkest colour.
    if (values.length > 30) {
      var p95 = values[Math.floor(0.95 * (values.length - 1))];
      if (p95 < max) { max = p95; clipped = true; }
    }
    if (!(max > min)) { min = 0; max = max || 1; }
    var showLabels = fc.features.length <= 24;
    var b = bounds(fc);
    var aspectScale = Math.cos(((b.s + b.n) / 2) * Math.PI / 180);
    var aspect = ((b.e - b.w) * aspectScale) / Math.max(b.n - b.s, 1e-9);
    var single = fc.features.length === 1;
    var legendHeight = single ? 0 : (elderly ? 64 : 52);
    fitHeight(el, aspect, legendHeight);
    var box = layout(el, aspect, legendHeight);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        confine: true,
        textStyle: { fontSize: font },
        formatter: function (p) {
          var q = byCode[p.name];
          if (!q) return "";
          return "<b>" + esc(q.name) + "</b><br>" +
            esc(d.codeLabel) + sep + esc(q.code) + "<br>" +
            esc(d.populationLabel) + sep + fmt(q.population) + "<br>" +
            esc(d.areaLabel) + sep + fmt(q.area_km2, 2) + "<br>" +
            esc(d.densityLabel) + sep + fmt(q.density) +
            (fc.features.length > 1 ? "<br><i>" + esc(d.clickHint) + "</i>" : "");
        },
      },
      visualMap: single ? undefined : {
        type: "continuous",
        min: min,
        max: max,
        orient: "horizontal",
        left: "center",
        bottom: 4,
        itemWidth: elderly ? 18 : 14,
        itemHeight: narrow ? Math.max(120, el.clientWidth - 150) : 260,
        text: [(clipped ? "≥ " : "") + fmt(max), fmt(min)],
        textGap: 8,
        textStyle: { fontSize: font, color: "#1f2328" },
        calculable: false,
        inRange: { color: ["#fff1cf", "#fbc17d", "#ee7b4a", "#c23a2b", "#7d1212"] },
      },
      series: [{
        type: "map",
        map: mapName,
        nameProperty: "code",
        aspectScale: aspectScale,
        layoutCenter: box.layoutCenter,
        layoutSize: box.layoutSize,
        roam: false,
        selectedMode: false,
        labelLayout: { hideOverlap: true },
        label: {
          show: showLabels,
          fontSize: narrow ? font - 2 : font - 1,
          color: "#1f2328",
          textBorderColor: "#fff",
          textBorderWidth: 3,
          formatter: function (p) { return byCode[p.name] ? shortName(byCode[p.name].name) : ""; },
        },
        itemStyle: single
          ? { areaColor: "#fbd3b5", borderColor: "#a61b1b", borderWidth: 2 }
          : { borderColor: "#ffffff", borderWidth: fc.features.length > 40 ? 0.6 : 1.2 },
        emphasis: {
          label: { show: true, fontWeight: "bold" },
          itemStyle: { areaColor: "#ffd33d", borderColor: "#1f2328", borderWidth: 1.5 },
        },
        data: data,
      }],
    });
    if (fc.features.length > 1) {
      chart.on("click", function (p) {
        var q = byCode[p.name];
        if (q && q.url) window.location.href = q.url;
      });
    }
    window.addEventListener("resize", function () {
      fitHeight(el, aspect, legendHeight);
      chart.resize();
      var next = layout(el, aspect, legendHeight);
      chart.setOption({ series: [{ layoutCenter: next.layoutCenter, layoutSize: next.layoutSize }] });
    });
  }

  function load(el) {
    fetch(el.dataset.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (fc) { render(el, fc); })
      .catch(function () {
        el.textContent = el.dataset.errorText;
        el.classList.add("org-map-message");
      });
  }

  function init() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll(".org-map[data-geojson-url]").forEach(load);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
