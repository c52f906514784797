/* The coverage map (ECharts over our own GeoJSON, no tile server): homes coloured by what they
   lack, the counted venues and spaces, and a what-if: with a kind chosen, a click on the map
   drops a hypothetical facility there and the server engine recomputes the coverage (nothing is
   stored). */
(function () {
  "use strict";

  var el = document.getElementById("coverage-map");
  if (!el || !window.echarts) return;

  var COLORS = { ok: "#2f9e44", venue: "#c92a2a", spaces: "#e67700", sports: "#c92a2a" };
  var MIXED = "#862e9c";
  var FACILITY = { venue: ["#1864ab", "diamond"], spaces: ["#0b7285", "triangle"],
                   sports: ["#1864ab", "diamond"] };
  var sites = [];
  var chart = echarts.init(el);
  var fc = null;
  var labels = {};

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(body.message || r.status);
          return body;
        });
      });
  }

  function touch() {
    return el.clientWidth < 700 || window.matchMedia("(pointer: coarse)").matches;
  }

  function categoryName(cat, reqs) {
    if (cat === "ok") return el.dataset.coveredText;
    var names = cat.split(",").map(function (k) {
      var r = reqs.filter(function (q) { return q.key === k; })[0];
      return r ? r.label : k;
    });
    return "✕ " + names.join(" + ");
  }

  function bounds(collection) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    function walk(c) {
      if (typeof c[0] === "number") {
        b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
        b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
        return;
      }
      c.forEach(walk);
    }
    collection.features.forEach(function (f) { walk(f.geometry.coordinates); });
    return b;
  }

  function geoBox() {
    var b = bounds(fc), pad = 8;
    var aspect = (b[2] - b[0]) * Math.cos((b[1] + b[3]) / 2 * Math.PI / 180) / (b[3] - b[1]);
    var w = el.clientWidth - 2 * pad, h = el.clientHeight - 2 * pad;
    var size = aspect > 1 ? Math.min(w, h * aspect) : Math.min(h, w / aspect);
    return { layoutCenter: [pad + w / 2, pad + h / 2], layoutSize: Math.max(Math.floor(size), 50) };
  }

  /* Symbols sized to the map: the district spans layoutSize pixels and holds n points. */
  function sized(n, factor, min, max) {
    var span = fc ? geoBox().layoutSize : Math.min(el.clientWidth, el.clientHeight);
    var size = Math.round(span / Math.sqrt(Math.max(n, 1)) * factor);
    return Math.max(min, Math.min(max, size));
  }

  function series(data) {
    var reqs = data.requirements, out = [], legend = [];
    var byCat = {};
    data.homes.forEach(function (h) { (byCat[h.category] = byCat[h.category] || []).push(h); });
    var cats = Object.keys(byCat).sort(function (a, b) {
      return (a === "ok" ? -1 : a.length) - (b === "ok" ? -1 : b.length);
    });
    var size = sized(data.homes.length, 0.6, 3, 9);
    var nFacilities = (data.facilities.length ? data.facilities : labels.facilities || []).length;
    var fsize = sized(nFacilities, 0.5, 6, touch() ? 14 : 12);
    cats.forEach(function (cat) {
      var name = categoryName(cat, reqs);
      var color = COLORS[cat] || MIXED;
      legend.push({ name: name, color: color, count: byCat[cat].length, shape: "circle" });
      out.push({
        name: name, type: "scatter", coordinateSystem: "geo", symbolSize: size, z: 3,
        itemStyle: { color: color, opacity: cat === "ok" ? 0.55 : 0.9, borderColor: "#fff", borderWidth: 0.5 },
        data: byCat[cat].map(function (h) {
          return { value: [h.lon, h.lat], home: h };
        }),
      });
    });
    var byReq = {};
    (data.facilities.length ? data.facilities : labels.facilities || []).forEach(function (f) {
      (byReq[f.requirement] = byReq[f.requirement] || []).push(f);
    });
    if (data.facilities.length) labels.facilities = data.facilities;
    reqs.forEach(function (r) {
      var list = byReq[r.key] || [];
      var style = FACILITY[r.key] || ["#364fc7", "rect"];
      legend.push({ name: r.label, color: style[0], count: list.length, shape: style[1] });
      out.push({
        name: r.label, type: "scatter", coordinateSystem: "geo", symbol: style[1],
        symbolSize: fsize, z: 5,
        itemStyle: { color: style[0], borderColor: "#fff", borderWidth: 1 },
        data: list.map(function (f) { return { value: [f.lon, f.lat], facility: f }; }),
      });
    });
    if (data.sites.length) {
      legend.push({ name: el.dataset.siteText, color: "#111", count: data.sites.length, shape: "pin" });
      out.push({
        name: el.dataset.siteText, type: "scatter", coordinateSystem: "geo", symbol: "pin",
        symbolSize: 26, symbolOffset: [0, "-50%"], z: 8,
        itemStyle: { color: "#111", borderColor: "#fff", borderWidth: 1 },
        data: data.sites.map(function (s) { return { value: [s.lon, s.lat], site: s }; }),
      });
    }
    return { series: out, legend: legend };
  }

  function tooltip(p) {
    var d = p.data || {};
    if (d.home) {
      var h = d.home;
      var lines = [esc(h.name || h.code) + " · " + esc(h.population) + " " + esc(el.dataset.peopleText)];
      lines.push(h.covered ? esc(el.dataset.coveredText) : esc(h.lacks_text));
      return lines.join("<br>");
    }
    if (d.facility) {
      var f = d.facility;
      return esc(f.name || el.dataset.hiddenText) + "<br>" + esc(f.kind_label);
    }
    if (d.site) return esc(el.dataset.siteText);
    return "";
  }

  function drawLegend(items) {
    var box = document.getElementById("coverage-legend");
    if (!box) return;
    box.textContent = "";
    items.forEach(function (e) {
      var item = document.createElement("span");
      item.className = "circle-legend-item";
      var sw = document.createElement("span");
      sw.className = "circle-swatch shape-" + e.shape;
      sw.style.backgroundColor = e.color;
      sw.setAttribute("aria-hidden", "true");
      item.appendChild(sw);
      item.appendChild(document.createTextNode(e.name + " " + e.count));
      box.appendChild(item);
    });
  }

  function setText(id, value) {
    var node = document.getElementById(id);
    if (node) node.textContent = value;
  }

  function updateTiles(data) {
    setText("share-population", data.pct.population);
    setText("share-points", data.pct.points);
    setText("share-population-city", data.pct.population_city);
    setText("share-points-city", data.pct.points_city);
    setText("population-covered", data.total.population_covered.toLocaleString("en-US"));
    setText("points-covered", data.total.points_covered);
    Object.keys(data.total.homes_lacking).forEach(function (k) {
      setText("lacking-" + k, data.total.homes_lacking[k]);
    });
    var status = document.getElementById("whatif-status");
    if (status) {
      status.textContent = sites.length
        ? (status.dataset.text || "{n}").replace("{n}", sites.length) : "";
    }
  }

  function render(data) {
    var s = series(data);
    var option = {
      textStyle: { fontSize: document.body.classList.contains("elderly") ? 18 : 13 },
      tooltip: { confine: true, formatter: tooltip },
      series: s.series,
    };
    chart.setOption(option, { replaceMerge: ["series"] });
    drawLegend(s.legend);
    updateTiles(data);
  }

  function url() {
    var u = el.dataset.dataUrl;
    if (!sites.length) return u;
    var text = sites.map(function (s) {
      return s.lon.toFixed(6) + "," + s.lat.toFixed(6) + "," + s.key;
    }).join(";");
    return u + (u.indexOf("?") >= 0 ? "&" : "?") + "sites=" + encodeURIComponent(text);
  }

  function load() {
    el.setAttribute("aria-busy", "true");
    return getJSON(url()).then(function (data) {
      render(data);
      el.dataset.loaded = String(sites.length);
      el.removeAttribute("aria-busy");
    }).catch(function (err) {
      el.removeAttribute("aria-busy");
      var status = document.getElementById("whatif-status");
      if (status) status.textContent = err.message || el.dataset.errorText;
    });
  }

  function chosenKind() {
    var r = document.querySelector("input[name=whatif-kind]:checked");
    return r ? r.value : "";
  }

  var geoP = el.dataset.geojsonUrl ? getJSON(el.dataset.geojsonUrl) : Promise.resolve(null);
  geoP.then(function (collection) {
    fc = collection && collection.features.length ? collection : null;
    if (fc) {
      echarts.registerMap("circles-coverage", fc);
      var box = geoBox();
      chart.setOption({
        geo: {
          map: "circles-coverage", roam: true, aspectScale: Math.cos(30.33 * Math.PI / 180),
          layoutCenter: box.layoutCenter, layoutSize: box.layoutSize,
          scaleLimit: { min: 0.8, max: 14 },
          itemStyle: { areaColor: "#f3f5f8", borderColor: "#98a2b3" },
          emphasis: { disabled: true }, label: { show: false }, silent: false,
        },
      });
    }
    return load();
  }).catch(function () { el.textContent = el.dataset.errorText; });

  chart.getZr().on("click", function (e) {
    var kind = chosenKind();
    if (!kind || !fc) return;
    var pt = chart.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]);
    if (!pt || !isFinite(pt[0]) || !isFinite(pt[1])) return;
    sites.push({ lon: pt[0], lat: pt[1], key: kind });
    load();
  });

  var clear = document.getElementById("whatif-clear");
  if (clear) clear.addEventListener("click", function () { sites = []; load(); });

  window.addEventListener("resize", function () {
    chart.resize();
    if (fc) chart.setOption({ geo: geoBox() });
  });
})();
