// 诉求统计 charts (appeals/stats.html). The data comes from a <script type="application/json"> block written
// by Django's json_script (not executed, so the Content-Security-Policy allows it); this file draws it
// with the locally served Apache ECharts. Tooltips use ECharts' rich-text mode: its HTML tooltips would
// carry inline style attributes, which the CSP forbids.
(function () {
  "use strict";
  var STATUS_COLORS = {
    pending_dispatch: "#94a3b8", pending_sign: "#f59e0b", in_progress: "#2563eb", resolved: "#0891b2",
    closed: "#16a34a", withdrawn: "#cbd5e1", merged: "#e2e8f0"
  };
  var RATING_COLORS = { "满意": "#16a34a", "基本满意": "#84cc16", "不满意": "#dc2626", "未评价": "#cbd5e1" };
  var TOOLTIP = { renderMode: "richText", confine: true };

  function weeks(data) {
    return {
      tooltip: Object.assign({ trigger: "axis" }, TOOLTIP),
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 36, right: 12, top: 12, bottom: 56 },
      xAxis: { type: "category", data: data.weeks },
      yAxis: { type: "value", minInterval: 1 },
      series: data.statuses.map(function (s) {
        return { name: s.label, type: "bar", stack: "status", data: s.data, itemStyle: { color: STATUS_COLORS[s.key] } };
      })
    };
  }

  function categories(data) {
    var rows = data.categories.slice(0, 15).reverse();
    return {
      tooltip: Object.assign({ trigger: "axis" }, TOOLTIP),
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      series: [{ type: "bar", data: rows.map(function (r) { return r.value; }), itemStyle: { color: "#1f4e79" },
                 label: { show: true, position: "right" } }]
    };
  }

  // The donut's labels sit outside the ring and must fit the box: a smaller ring, labels aligned to the edges
  // (edgeDistance) and wrapped rather than cut (overflow "break"); on a narrow box (a phone) the labels move
  // into the legend, which names each part with its count.
  function ratings(data, el) {
    var narrow = el && el.clientWidth < 420;
    var counts = {};
    data.ratings.forEach(function (r) { counts[r.label] = r.value; });
    return {
      tooltip: Object.assign({ trigger: "item" }, TOOLTIP),
      legend: {
        bottom: 0, type: "scroll",
        formatter: function (name) { return narrow ? name + " " + counts[name] : name; }
      },
      series: [{
        type: "pie", radius: narrow ? ["38%", "68%"] : ["30%", "55%"], center: ["50%", "45%"],
        avoidLabelOverlap: true,
        label: narrow ? { show: false } : {
          show: true, position: "outside", formatter: "{b}\n{c}（{d}%）",
          alignTo: "edge", edgeDistance: 8, overflow: "break", lineHeight: 16
        },
        labelLine: { show: !narrow, length: 10, length2: 8 },
        labelLayout: { hideOverlap: false },
        data: data.ratings.map(function (r) {
          return { name: r.label, value: r.value, itemStyle: { color: RATING_COLORS[r.label] } };
        })
      }]
    };
  }

  var BUILDERS = { weeks: weeks, categories: categories, ratings: ratings };
  var EMPTY = { weeks: "statuses", categories: "categories", ratings: "ratings" };

  function draw() {
    var source = document.getElementById("appeal-stats-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-appeal-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-appeal-chart");
      if (!BUILDERS[kind]) { return; }
      if (!data[EMPTY[kind]].length) {
        el.textContent = "暂无数据";
        el.classList.add("appeal-chart-empty");
        return;
      }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(BUILDERS[kind](data, el));
      charts.push({ chart: chart, kind: kind, el: el });
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) {
        c.chart.setOption(BUILDERS[c.kind](data, c.el), true);  // narrow or wide layout for the new size
        c.chart.resize();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
