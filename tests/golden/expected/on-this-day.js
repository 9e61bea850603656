// Optional: marks today's date on the "On this day" index. The page is complete without it;
// the build never looks at the clock, so the site stays the same whichever day it is built.
(function () {
  var now = new Date();
  var key = String(now.getMonth() + 1).padStart(2, "0") + "-" + String(now.getDate()).padStart(2, "0");
  var cell = document.querySelector('[data-day="' + key + '"]');
  if (!cell) return;
  cell.classList.add("today");
  var link = cell.querySelector("a");
  if (link) link.setAttribute("aria-current", "date");
})();
