// A stand-in for a usage-statistics script: it counts its runs, sets a traffic-log cookie and
// sends one page-view hit to its own endpoint, like the tracker a real site would gate.
(function () {
  window.statsRuns = (window.statsRuns || 0) + 1;
  document.cookie = '_stats_visitor=1; path=/; SameSite=Lax';
  var img = new Image();
  img.src = 'www/demo/collect.png?page=' + encodeURIComponent(location.pathname);
  var show = function () {
    var status = document.getElementById('stats-status');
    if (status) status.textContent = 'Statistics: running (page view counted).';
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show);
  else show();
})();
