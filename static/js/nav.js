// The staff menu's groups are <details> that open without JavaScript; this only closes them:
// one open group at a time, and a click outside or Escape closes it.
(function () {
  "use strict";
  var groups = document.querySelectorAll("details.nav-group");
  function closeAll(except) {
    groups.forEach(function (group) { if (group !== except) { group.open = false; } });
  }
  groups.forEach(function (group) {
    group.addEventListener("toggle", function () { if (group.open) { closeAll(group); } });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("details.nav-group")) { closeAll(null); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector("details.nav-group[open]");
    if (open) { open.open = false; open.querySelector("summary").focus(); }
  });
})();
