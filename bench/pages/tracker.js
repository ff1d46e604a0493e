// The benchmark's stand-in tracker (like www/demo/stats.js): sets a traffic-log cookie, sends one
// page-view hit, and records when it first ran (performance.now(), ms since navigation start).
(function () {
  var t = window.__tracker = window.__tracker || { runs: 0, at: null };
  t.runs++;
  if (t.at === null) t.at = performance.now();
  document.cookie = '_stats_visitor=1; path=/; SameSite=Lax';
  var img = new Image();
  img.src = '/www/demo/collect.png?page=' + encodeURIComponent(location.pathname);
})();
