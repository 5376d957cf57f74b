/* 社区大屏: rotate the slides, draw the trend charts (ECharts, canvas), and refresh the figures from the screen's
   data link every few minutes without reloading the page. When the network drops, the last figures stay with the
   time they were fetched; a stopped screen shows “已停用”. No inline script, no outside request (CSP). */
(function () {
  "use strict";
  var frame = document.querySelector("[data-bigscreen]");
  if (!frame) return;
  var source = document.getElementById("bigscreen-data");
  var data = JSON.parse(source.textContent);
  var slides = Array.prototype.slice.call(frame.querySelectorAll("[data-slide]"));
  var current = 0;
  var charts = {};
  var rotateTimer = null;
  var dots = frame.querySelector("[data-dots]");

  function structure(d) {
    return d.panels.map(function (p) {
      return p.panel + ":" + (p.cells ? p.cells.map(function (c) { return c.key; }).join(",") : "") +
        ":" + (p.charts ? p.charts.length : "") + ":" + (p.pages ? p.pages.length : "");
    }).join("|");
  }

  function chartData(index) {
    var trends = data.panels.filter(function (p) { return p.charts; })[0];
    return trends ? { months: trends.months, chart: trends.charts[index] } : null;
  }

  // The last month is this month so far (live): named 本月 so that its lower count does not read as a fall.
  function monthLabels(months) {
    return months.map(function (m, i) { return i === months.length - 1 ? "本月" : Number(m.slice(5)) + "月"; });
  }

  function chartOption(index, el) {
    var found = chartData(index);
    if (!found || !found.chart) return null;
    var size = Math.max(14, Math.round(el.clientHeight / 18));
    var colors = ["#ffd166", "#4cc9f0", "#80ed99", "#f4978e"];
    return {
      animation: false,
      color: colors,
      textStyle: { color: "#e9f1ff", fontSize: size },
      legend: { top: 0, textStyle: { color: "#e9f1ff", fontSize: size }, itemWidth: size * 1.5, itemHeight: size * 0.7 },
      grid: { left: size * 3.2, right: size, top: size * 2.6, bottom: size * 2.2 },
      tooltip: { show: false },
      xAxis: {
        type: "category",
        data: monthLabels(found.months),
        // every other month counted back from this one, so that 本月 is always labelled
        axisLabel: { color: "#c9d6ea", fontSize: size * 0.85,
                     interval: function (i) { return (found.months.length - 1 - i) % 2 === 0; } },
        axisLine: { lineStyle: { color: "#5b6b85" } }
      },
      yAxis: {
        type: "value",
        minInterval: 1,
        axisLabel: { color: "#c9d6ea", fontSize: size * 0.85 },
        splitLine: { lineStyle: { color: "#2b3a55" } }
      },
      series: found.chart.series.map(function (s) {
        return { name: s.label, type: "line", data: s.data, connectNulls: false, symbolSize: size * 0.5, lineStyle: { width: 4 } };
      })
    };
  }

  function drawCharts(slide) {
    if (!window.echarts) return;
    Array.prototype.forEach.call(slide.querySelectorAll("[data-chart]"), function (el) {
      var index = Number(el.getAttribute("data-chart"));
      var chart = charts[index];
      if (!chart || chart.isDisposed()) {
        chart = charts[index] = window.echarts.init(el, null, { renderer: "canvas" });
      } else {
        chart.resize();
      }
      var option = chartOption(index, el);
      if (option) chart.setOption(option, true);
    });
  }

  function show(index) {
    if (!slides.length) return;
    current = (index + slides.length) % slides.length;
    slides.forEach(function (s, i) { s.classList.toggle("active", i === current); });
    drawCharts(slides[current]);
    if (dots) {
      dots.textContent = slides.length > 1 ? (current + 1) + " / " + slides.length : "";
    }
  }

  function rotate() {
    if (rotateTimer) clearInterval(rotateTimer);
    var seconds = Math.max(5, Number(data.rotate_seconds) || 20);
    if (slides.length > 1) rotateTimer = setInterval(function () { show(current + 1); }, seconds * 1000);
  }

  function text(el, value) { if (el) el.textContent = value; }

  function update(next) {
    if (structure(next) !== structure(data)) {
      window.location.reload();  // panels or pages changed: the only time the page reloads
      return;
    }
    var rotateChanged = next.rotate_seconds !== data.rotate_seconds;
    data = next;
    text(frame.querySelector("[data-node]"), next.node);
    next.panels.forEach(function (p) {
      (p.cells || []).forEach(function (c) {
        Array.prototype.forEach.call(frame.querySelectorAll('[data-cell="' + c.key + '"]'), function (cell) {
          text(cell.querySelector("[data-value]"), c.value === null ? "—" : String(c.value));
          text(cell.querySelector(".bs-label"), c.label);
        });
      });
      (p.pages || []).forEach(function (page, i) {
        var list = frame.querySelector('[data-wall="' + i + '"]');
        if (!list) return;
        var items = page.map(function (e) {
          var li = document.createElement("li");
          li.className = "bs-deed bs-" + e.kind_code;
          var kind = document.createElement("p");
          kind.className = "bs-deed-kind";
          kind.textContent = e.kind;
          li.appendChild(kind);
          var what = document.createElement("p");
          what.className = "bs-deed-what";
          what.textContent = e.what;
          var who = document.createElement("p");
          who.className = "bs-deed-who";
          var name = document.createElement("b");
          name.textContent = e.who;
          who.appendChild(name);
          who.appendChild(document.createTextNode(" · " + e.day + (e.hours ? " · " + e.hours + "小时" : "") +
            (e.points ? " · " + e.points + "积分" : "")));
          li.appendChild(what);
          li.appendChild(who);
          return li;
        });
        list.replaceChildren.apply(list, items);
      });
    });
    Object.keys(charts).forEach(function (k) { charts[k].dispose(); });
    charts = {};
    drawCharts(slides[current]);
    text(frame.querySelector("[data-updated]"), "数据更新于 " + next.updated_short);
    frame.querySelector("[data-offline]").hidden = true;
    frame.classList.remove("offline");
    if (rotateChanged) rotate();
  }

  function stopped(message) {
    if (rotateTimer) clearInterval(rotateTimer);
    var stage = frame.querySelector("[data-stage]");
    var notice = document.createElement("section");
    notice.className = "bs-notice";
    notice.setAttribute("data-stopped", "");
    var h = document.createElement("h1");
    h.textContent = "这块大屏已停用";
    var p = document.createElement("p");
    p.textContent = message || "如需继续使用，请社区工作人员在“社区大屏”中重新生成显示链接。";
    notice.appendChild(h);
    notice.appendChild(p);
    stage.replaceChildren(notice);
  }

  function offline() {
    var note = frame.querySelector("[data-offline]");
    note.textContent = "网络中断，正在显示 " + data.updated_short + " 的数据";
    note.hidden = false;
    frame.classList.add("offline");
  }

  function refresh() {
    fetch(frame.getAttribute("data-src"), { cache: "no-store", credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 410 || response.status === 404) {
          return response.json().then(function (body) { stopped(body.message || body.error); return "stop"; });
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json().then(update);
      })
      .then(function (result) {
        if (result !== "stop") schedule();
      })
      .catch(function () { offline(); schedule(); });
  }

  function schedule() {
    var seconds = Math.max(30, Number(data.refresh_seconds) || 180);
    setTimeout(refresh, seconds * 1000);
  }

  function tick() {
    // The community's time (the server's zone), whatever zone the display device was set up in.
    var clock = frame.querySelector("[data-clock]");
    var parts = {};
    try {
      new Intl.DateTimeFormat("en-GB", {
        timeZone: clock.getAttribute("data-zone") || undefined, year: "numeric", month: "numeric", day: "numeric",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23"
      }).formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    } catch (e) {
      return;  // an old browser without time zones keeps the server's time of the last load
    }
    text(clock, parts.year + "年" + Number(parts.month) + "月" + Number(parts.day) + "日 " + parts.hour + ":" + parts.minute);
  }

  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  window.bigscreen = { refresh: refresh, show: function (i) { show(i); }, slides: function () { return slides.length; } };
  show(0);
  rotate();
  schedule();
  tick();
  setInterval(tick, 20000);
})();
