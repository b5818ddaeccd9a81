// The reach map: service points and places on longitude/latitude axes (no map tiles: the system runs on an
// intranet). Data comes from the page's json_script block; the tables under the map carry the same content for
// screen readers and for browsers without JavaScript.
(function () {
  "use strict";
  var el = document.getElementById("reach-map");
  var source = document.getElementById("reach-data");
  if (!el || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  el.style.height = Math.max(360, Math.min(640, window.innerWidth * 0.6)) + "px";
  function size(population) { return Math.max(5, Math.min(30, Math.sqrt(population) / 8)); }
  function placePoint(p) {
    return { value: [p.lon, p.lat, p.population], name: p.name,
             info: p.district + " " + p.name + "：常住人口 " + p.population + "，最近服务点约 " +
                   (p.minutes === null ? "—" : p.minutes) + " 分钟（目标 " + p.target + " 分钟）" };
  }
  var inside = data.places.filter(function (p) { return p.within; }).map(placePoint);
  var outside = data.places.filter(function (p) { return !p.within; }).map(placePoint);
  var sites = data.sites.map(function (s) {
    return { value: [s.lon, s.lat], name: s.name, info: s.name + "（" + s.kind + "）" };
  });
  var picks = data.picks.map(function (p, i) {
    return { value: [p.lon, p.lat], name: p.name,
             info: "建议 " + (i + 1) + "：" + p.name + "，新覆盖 " + p.people + " 人" };
  });
  var chart = echarts.init(el, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    aria: { enabled: true },
    legend: { top: 0 },
    grid: { left: 60, right: 20, top: 40, bottom: 50 },
    tooltip: { trigger: "item", formatter: function (item) { return echarts.format.encodeHTML(item.data.info); } },
    xAxis: { type: "value", name: "经度", nameLocation: "middle", nameGap: 28, scale: true },
    yAxis: { type: "value", name: "纬度", nameLocation: "middle", nameGap: 45, scale: true },
    dataZoom: [{ type: "inside", xAxisIndex: 0 }, { type: "inside", yAxisIndex: 0 }],
    series: [
      { name: "服务圈内的村（社区）", type: "scatter", data: inside, itemStyle: { color: "#adb5bd" },
        symbolSize: function (v) { return size(v[2]) * 0.6; } },
      { name: "服务圈外的村（社区）", type: "scatter", data: outside, itemStyle: { color: "#dc3545" },
        symbolSize: function (v) { return size(v[2]); } },
      { name: "服务点", type: "scatter", data: sites, symbol: "triangle", symbolSize: 10,
        itemStyle: { color: "#0a58ca" } },
      { name: "建议新增", type: "scatter", data: picks, symbol: "path://M50 0 L61 35 L98 35 L68 57 L79 91 L50 70 " +
        "L21 91 L32 57 L2 35 L39 35 Z", symbolSize: 16, itemStyle: { color: "#198754" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
