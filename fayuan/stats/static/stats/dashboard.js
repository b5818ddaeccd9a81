// The dashboard's charts. Every chart draws what the table under it holds (from the page's json_script block), so
// the page reads the same without JavaScript and with a screen reader; the charts only add the picture.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function targetLine(value, label) {
    if (value === null || value === undefined) { return undefined; }
    return { symbol: "none", silent: true, lineStyle: { color: "#b02a37", type: "dashed", width: 2 },
             label: { position: "insideEndTop", formatter: label + " " + value }, data: [{ yAxis: value }] };
  }
  function bars(names, series, opts) {
    return {
      animation: false, aria: { enabled: true }, tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 56 },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
      // The axis reaches the target line even when every bar is far below it.
      yAxis: { type: "value", name: opts.unit || "",
               max: opts.target ? function (v) { return Math.ceil(Math.max(v.max, opts.target * 1.1)); } : null },
      series: series
    };
  }
  var builders = {
    aidRate: function (d) {
      return bars(d.names, [
        { name: "年初至今", type: "bar", data: d.rate, markLine: targetLine(d.target, "目标") },
        { name: "预计全年", type: "bar", data: d.projected, itemStyle: { opacity: 0.6 } }
      ], { unit: "人/万人", target: d.target });
    },
    monthly: function (d) {
      var months = []; for (var m = 1; m <= 12; m++) { months.push(m + "月"); }
      return bars(months, d.years.map(function (y, i) {
        return { name: y + "年", type: "line", data: d.series[i], smooth: false };
      }), { unit: "人次" });
    },
    staff: function (d) {
      return bars(d.names, [{ name: "法律职业资格比例", type: "bar", data: d.percent,
                              markLine: targetLine(d.target, "目标") }], { unit: "%", target: d.target });
    },
    deadlines: function (d) {
      return bars(d.names, [{ name: "按期", type: "bar", stack: "all", data: d.onTime },
                            { name: "逾期", type: "bar", stack: "all", data: d.late, itemStyle: { color: "#b02a37" } }],
                  { unit: "件" });
    },
    typical: function (d) {
      var months = []; for (var m = 1; m <= 12; m++) { months.push(m + "月"); }
      return bars(months, d.centers.map(function (c, i) {
        return { name: c, type: "bar", data: d.cells[i] };
      }), { unit: "件" });
    }
  };
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var name = el.getAttribute("data-chart");
    if (!builders[name] || !data[name]) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(builders[name](data[name]));
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
