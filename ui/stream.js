// Shared by the page's components (ui/live.js, ui/phone.js; Python puts this file in front of each):
// one EventSource per stream address, kept across reruns of the page, and small drawing helpers.
// A stream that cannot be reached tells its listeners once (onFail), and they ask the page to poll.

const streams = new Map();
const GIVE_UP_FAILURES = 3;
const FIRST_EVENT_MS = 8000;
const RETRIGGER_MS = 1500;  // a rerun asked for and not drawn is asked for again after this long, then twice as long
// A stream nobody listens to any more closes after this long: long enough for a rerun that mounts the
// same listener again, short enough that streams a page has moved on from (the projector follows the
// team whose summary is up) never fill the browser's six connections to one server.
const KEEP_CLOSED_STREAM_MS = 1000;

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

// Ask the page for a rerun once per new value; while it is not drawn (a run whose output Streamlit dropped),
// ask again after RETRIGGER_MS, then after twice that, and so on, so a slow page is not interrupted for ever.
function askOnce(holder, value, setTriggerValue, event) {
  const asked = holder.__abcAsked || {value: null, at: 0, tries: 0};
  const now = Date.now();
  if (value !== asked.value || now - asked.at >= RETRIGGER_MS * 2 ** (asked.tries - 1)) {
    holder.__abcAsked = {value, at: now, tries: value === asked.value ? asked.tries + 1 : 1};
    setTriggerValue(event, value);
  }
}

// A run came back (the page drew new data) but not the state asked for: the next ask goes out at once.
function answered(holder) {
  holder.__abcAsked = null;
}

// Fills a text's {name} places in one pass: a value is never searched again (a question holding "{n}" stays so),
// and a function as replacement keeps "$&" or "$'" in people's text as typed (a string replacement reads them).
function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (place, name) => (Object.hasOwn(values, name) ? String(values[name]) : place));
}

// A counting text comes from Python (ngettext) as its two forms, [for 1, for any other number]: the plural rule
// of the languages the app speaks (English, Dutch, German). Fills {n} with the count, and any other values.
function plural(forms, count, values) {
  return fill(count === 1 ? forms[0] : forms[1], {...values, n: count});
}

// The words come from Python in the page's language: labels.timeUp ("time is up") and labels.left ("{clock} left").
function countdown(seconds, labels) {
  if (seconds <= 0) return labels.timeUp;
  const whole = Math.ceil(seconds);
  const clock = `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  return fill(labels.left, {clock});
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;  // people's text (titles, names, questions) only ever as text
  return node;
}
