// Live hall state: server-sent events from /api/events, polling /api/state while they fail.
// live(onState) calls onState(state) on every change; the page shows whether it is connected.
"use strict";

function live(onState, onLink) {
  let lastVersion = null;
  let pollTimer = null;
  const POLL_MS = 3000;

  function take(state) {
    if (state.version === lastVersion) return;
    lastVersion = state.version;
    onState(state);
  }

  async function poll() {
    try {
      const response = await fetch("/api/state", { cache: "no-store" });
      if (response.ok) {
        take(await response.json());
        if (onLink) onLink(true);
      } else if (onLink) onLink(false);
    } catch (e) {
      if (onLink) onLink(false);
    }
  }

  function startPolling() {
    if (pollTimer === null) pollTimer = setInterval(poll, POLL_MS);
  }

  function stopPolling() {
    if (pollTimer !== null) clearInterval(pollTimer);
    pollTimer = null;
  }

  if (window.EventSource && !/[?&]poll=1/.test(location.search)) {
    const source = new EventSource("/api/events");
    source.addEventListener("state", (event) => {
      stopPolling();
      if (onLink) onLink(true);
      take(JSON.parse(event.data));
    });
    source.onerror = () => {
      startPolling(); // the browser reconnects by itself; poll meanwhile
      poll();
    };
  } else {
    startPolling();
  }
  poll();
  return { refresh: poll, forget: () => { lastVersion = null; } };
}
