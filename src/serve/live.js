// handout serve: reloads the page when the site is rebuilt, swaps
// stylesheets when only CSS changed, and shows build errors over the page.
(function () {
  var overlay = null;
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function show(text) {
    hide();
    overlay = document.createElement('div');
    overlay.id = 'handout-error';
    overlay.setAttribute('role', 'alertdialog');
    overlay.setAttribute('aria-label', 'The site did not build');
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;' +
      'background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,monospace;padding:2rem';
    var title = document.createElement('p');
    title.style.cssText = 'font:bold 18px system-ui,sans-serif;margin:0 0 1rem';
    title.textContent = 'The site did not build. The last good version is still served. Fix this and save:';
    var pre = document.createElement('pre');
    pre.style.cssText = 'white-space:pre-wrap;margin:0 0 1rem;color:#ffb4b4';
    pre.textContent = text;
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Hide';
    close.onclick = hide;
    overlay.append(title, pre, close);
    document.body.appendChild(overlay);
  }
  var events = new EventSource('/__handout/events');
  events.addEventListener('reload', function () { location.reload(); });
  events.addEventListener('css', function () {
    hide();
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set('handout', String(Date.now()));
      link.href = url.toString();
    });
  });
  events.addEventListener('build-error', function (e) { show(e.data); });
})();
