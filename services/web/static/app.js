// The only script the pages load (the Content-Security-Policy allows no other):
// it opens the page's event stream, if it names one, and applies what the server
// sends: a new intelligence card on top of the feed, or a fresh board fragment.
// Without it every page still works; it only saves a reload.
(() => {
  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content');
  const stream = meta('event-stream');
  if (!stream || !window.EventSource) return;
  const status = document.getElementById('feed-status');
  const say = (text) => { if (status) status.textContent = text; };
  const source = new EventSource(stream);
  source.addEventListener('open', () => say('Live: new calls appear as they arrive.'));
  source.addEventListener('error', () => say('Reconnecting to the live feed…'));
  source.addEventListener('intel', (event) => {
    const feed = document.getElementById('feed');
    if (!feed) return;
    const { incidentId, html } = JSON.parse(event.data);
    document.getElementById(`incident-${incidentId}`)?.remove();
    feed.insertAdjacentHTML('afterbegin', html);
    while (feed.children.length > 100) feed.lastElementChild.remove();
  });
  source.addEventListener('board', (event) => {
    const board = document.getElementById('board');
    if (!board) return;
    const { html } = JSON.parse(event.data);
    board.outerHTML = html;
    say('Top five updated.');
  });
  source.addEventListener('alert', () => say('A new custody-release alert: reload the page to see it.'));
})();
