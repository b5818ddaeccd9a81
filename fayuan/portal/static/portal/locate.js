// "Find the nearest station": asks the phone for its location (only when the button is pressed) and reloads the
// station list with rounded coordinates (about 100 m). Without JavaScript the button stays hidden and the list
// works by district.
(function () {
  "use strict";
  var button = document.getElementById("locate-me");
  if (!button || !("geolocation" in navigator)) { return; }
  var status = document.getElementById("locate-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    if (status) { status.textContent = "正在获取您的位置……"; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      var url = new URL(window.location.href);
      url.searchParams.set("lat", pos.coords.latitude.toFixed(3));
      url.searchParams.set("lon", pos.coords.longitude.toFixed(3));
      url.searchParams.delete("district");
      window.location.assign(url.toString());
    }, function () {
      if (status) { status.textContent = "无法获取位置。请在下面按区（市）查找，或拨打 12348。"; }
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
  });
}());
