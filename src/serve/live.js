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
  // check's findings for this page, in a small panel the writer can close.
  function findings() {
    if (sessionStorage.getItem('handout-panel-closed') === location.pathname) return;
    fetch('/__handout/findings?page=' + encodeURIComponent(location.pathname))
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (list) {
        if (!list.length) return;
        var panel = document.createElement('aside');
        panel.id = 'handout-findings';
        panel.setAttribute('aria-label', 'handout check');
        panel.style.cssText = 'position:fixed;right:1rem;bottom:1rem;z-index:2147483646;max-width:28rem;' +
          'max-height:40vh;overflow:auto;background:#fff;color:#1a1a1a;border:2px solid #8a4b00;' +
          'border-radius:6px;padding:.75rem 1rem;font:14px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3)';
        var title = document.createElement('p');
        title.style.cssText = 'margin:0 0 .5rem;font-weight:bold';
        title.textContent = list.length + (list.length === 1 ? ' thing' : ' things') + ' to check on this page';
        var ul = document.createElement('ul');
        ul.style.cssText = 'margin:0 0 .5rem;padding-left:1.2rem';
        list.forEach(function (f) {
          var li = document.createElement('li');
          li.textContent = f.severity + ' (line ' + f.line + ', ' + f.rule + '): ' + f.message;
          if (f.hint) {
            var hint = document.createElement('div');
            hint.style.cssText = 'color:#444';
            hint.textContent = f.hint;
            li.appendChild(hint);
          }
          ul.appendChild(li);
        });
        var close = document.createElement('button');
        close.type = 'button';
        close.textContent = 'Close';
        close.onclick = function () {
          sessionStorage.setItem('handout-panel-closed', location.pathname);
          panel.remove();
        };
        panel.append(title, ul, close);
        document.body.appendChild(panel);
      })
      .catch(function () {});
  }
  findings();
  // Which page this is: a save that renders many pages renders it first.
  var events = new EventSource('/__handout/events?page=' + encodeURIComponent(location.pathname));
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
