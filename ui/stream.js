// Shared by the page's components (ui/live.js, ui/phone.js; Python puts this file in front of each):
// one EventSource per stream address, kept across reruns of the page, and small drawing helpers.
// A stream that cannot be reached tells its listeners once (onFail), and they ask the page to poll.

const streams = new Map();
const GIVE_UP_FAILURES = 3;
const FIRST_EVENT_MS = 8000;
const RETRIGGER_MS = 3000;  // a rerun asked for and not drawn is asked for again after this long
const KEEP_CLOSED_STREAM_MS = 10000;

function stream(url) {
  let entry = streams.get(url);
  if (entry) return entry;
  entry = {url, latest: null, listeners: new Set(), failures: 0, failed: false, skew: 0};
  streams.set(url, entry);
  const source = new EventSource(url);
  entry.source = source;
  const fail = () => {
    entry.failed = true;
    source.close();
    streams.delete(url);
    entry.listeners.forEach((listener) => listener.onFail());
  };
  const firstEventTimer = setTimeout(() => { if (!entry.latest) fail(); }, FIRST_EVENT_MS);
  source.onmessage = (message) => {
    let event;
    try { event = JSON.parse(message.data); } catch (error) { return; }
    clearTimeout(firstEventTimer);
    entry.failures = 0;
    entry.skew = event.now ? event.now * 1000 - Date.now() : 0;
    entry.latest = event;
    entry.listeners.forEach((listener) => listener.onEvent(event));
  };
  source.onerror = () => {
    // EventSource reconnects by itself (the server sent `retry:`); give up after a few failures in a row
    // without any event in between, or at once when the server answered with an error status.
    entry.failures += 1;
    if (source.readyState === EventSource.CLOSED || entry.failures >= GIVE_UP_FAILURES) fail();
  };
  return entry;
}

// Stop listening; the stream stays open a while for the next rerun's listener, then closes if nobody came.
function release(entry, listener) {
  entry.listeners.delete(listener);
  setTimeout(() => {
    if (entry.listeners.size === 0 && streams.get(entry.url) === entry) {
      entry.source.close();
      streams.delete(entry.url);
    }
  }, KEEP_CLOSED_STREAM_MS);
}

// Ask the page for a rerun once per new value, and again only after RETRIGGER_MS without it being drawn.
function askOnce(holder, value, setTriggerValue, event) {
  const asked = holder.__abcAsked || {value: null, at: 0};
  const now = Date.now();
  if (value !== asked.value || now - asked.at >= RETRIGGER_MS) {
    holder.__abcAsked = {value, at: now};
    setTriggerValue(event, value);
  }
}

function countdown(seconds, labels) {
  if (seconds <= 0) return (labels && labels.timeUp) || "time is up";
  const whole = Math.ceil(seconds);
  const clock = `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  return labels && labels.left ? labels.left.replace("{clock}", clock) : `${clock} left`;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;  // people's text (titles, names, questions) only ever as text
  return node;
}
