// 数据看板 trend charts (dashboards/dashboard.html). The numbers come from a <script type="application/json"> block
// (Django's json_script, not executed: the Content-Security-Policy allows it) and are also in the table under each
// chart. Rich-text tooltips: ECharts' HTML tooltips would carry inline styles, which the CSP forbids.
(function () {
  "use strict";
  var TOOLTIP = { renderMode: "richText", confine: true, trigger: "axis" };

  function option(months, family, narrow) {
    return {
      tooltip: TOOLTIP,
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 8, right: 12, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: months, axisLabel: { hideOverlap: true, rotate: narrow ? 45 : 0 } },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", max: 100, min: 0, show: false }],
      series: family.series.map(function (s) {
        var rate = s.unit === "%";
        return { name: s.label, type: rate ? "line" : "bar", yAxisIndex: rate ? 1 : 0, data: s.data,
                 connectNulls: false, symbolSize: 6 };
      })
    };
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-dash-chart]").forEach(function (el) {
      var family = data.trends[Number(el.getAttribute("data-dash-chart"))];
      if (!family) { return; }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(data.months, family, el.clientWidth < 420));
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
