// Live reload for `briefing serve`: reload the page when the site is rebuilt, swap only the
// stylesheets when only CSS changed, and reconnect (then reload) when the preview restarts.
(() => {
  "use strict";
  const state = { connected: false, reloads: 0 };
  window.briefingPreview = state;
  let delay = 250;
  let wasLost = false;

  function swapStylesheets(paths) {
    const links = document.querySelectorAll('link[rel="stylesheet"][href]');
    let swapped = 0;
    for (const link of links) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      if (!paths.some((path) => url.pathname.endsWith("/" + path))) continue;
      url.searchParams.set("preview", Date.now().toString(36));
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove(), { once: true });
      fresh.addEventListener("error", () => location.reload(), { once: true });
      link.after(fresh);
      swapped += 1;
    }
    return swapped > 0;
  }

  function receive(event) {
    const message = JSON.parse(event.data);
    if (message.css && swapStylesheets(message.css)) {
      state.reloads += 1;
      return;
    }
    location.reload();
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/.preview/reload`);
    socket.addEventListener("open", () => {
      state.connected = true;
      delay = 250;
      if (wasLost) location.reload();
    });
    socket.addEventListener("message", receive);
    socket.addEventListener("close", () => {
      if (state.connected) wasLost = true;
      state.connected = false;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    });
  }

  connect();
})();
