// Listens to the server's event stream (/live/<code>?watch=...) and reruns the page only when what it
// shows changed. One EventSource per stream address, kept across reruns of the page.
//
// data: {url, drawn, mode: "follow" | "progress", texts: {state: sentence}, labels: {...}}
// - follow: when the stream's digest differs from `drawn` (the digest the page drew), ask for a rerun
//   ("changed"); ask again every few seconds while they still differ, so a run whose output was lost
//   is redrawn by itself. Until the rerun lands, show the sentence for the new round state at once.
// - progress: draw "N of M have voted", per team, and the time left, from the stream alone.
// When the stream cannot be reached, say so to Python once ("fallback"), which then polls as before.

const streams = new Map();
const RETRIGGER_MS = 3000;
const GIVE_UP_FAILURES = 3;
const FIRST_EVENT_MS = 8000;

function stream(url) {
  let entry = streams.get(url);
  if (entry) return entry;
  entry = {url, latest: null, listeners: new Set(), failures: 0, opened: false, failed: false, skew: 0};
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

function countdown(seconds) {
  if (seconds <= 0) return "time is up";
  const whole = Math.ceil(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")} left`;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;  // people's text (team names) only ever as text
  return node;
}

function drawProgress(root, view, labels, skew, poll, joinedOnly) {
  root.replaceChildren();
  if (poll) {
    const answered = (view && view.answers && view.answers[String(poll)]) || 0;
    const headline = el("div", "abc-live-headline", `${answered} answered`);
    headline.dataset.testid = "live-progress";
    root.appendChild(headline);
    return;
  }
  const progress = view && view.progress;
  if (!progress) return;
  if (joinedOnly) {
    const joined = el("div", "abc-live-headline", `${progress.joined} joined`);
    joined.dataset.testid = "live-joined";
    root.appendChild(joined);
    return;
  }
  const [, state, , closesAt] = progress.stage || [];
  const headline = el("div", "abc-live-headline", `${progress.voted} of ${progress.joined} have voted`);
  headline.dataset.testid = "live-progress";
  if (state === "open" && closesAt) {
    const timer = el("span", "abc-live-timer", ` · ⏱ ${countdown(closesAt - (Date.now() + skew) / 1000)}`);
    headline.appendChild(timer);
  }
  root.appendChild(headline);
  const teams = (progress.teams || []).filter((team) => team[1] > 0);
  if (teams.length) {
    const grid = el("div", "abc-live-teams");
    teams.forEach(([name, joined, voted]) => {
      const chip = el("div", "abc-live-team");
      chip.appendChild(el("span", "abc-live-team-name", name === null ? labels.noTeam : name));
      chip.appendChild(el("span", "abc-live-team-count", `${voted} / ${joined}`));
      grid.appendChild(chip);
    });
    root.appendChild(grid);
  }
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  if (!data || !data.url) return;
  const root = parentElement.querySelector(".abc-live") || parentElement.appendChild(el("div", "abc-live"));
  root.classList.toggle("abc-live-big", Boolean(data.big));
  root.setAttribute("aria-live", "polite");
  const entry = stream(data.url);
  let timer = null;

  const follow = (event) => {
    const lines = [];
    if (data.closesAt && event.digest === data.drawn) {
      lines.push(el("div", "abc-live-timer", `⏱ ${countdown(data.closesAt - (Date.now() + entry.skew) / 1000)}`));
    }
    if (event.digest === data.drawn) {
      root.replaceChildren(...lines);
      return;
    }
    const stage = event.view && event.view.stage;
    const sentence = stage && data.texts && data.texts[stage[1] || "none"];
    root.replaceChildren(...(sentence ? [el("div", "abc-live-instant", sentence)] : []));
    // One request per new state; the same one again only after RETRIGGER_MS without the redraw arriving.
    const asked = parentElement.__abcAsked || {digest: null, at: 0};
    const now = Date.now();
    if (event.digest !== asked.digest || now - asked.at >= RETRIGGER_MS) {
      parentElement.__abcAsked = {digest: event.digest, at: now};
      setTriggerValue("changed", event.digest);
    }
  };
  const listener = {
    onEvent: (event) => {
      if (data.mode === "progress") drawProgress(root, event.view, data.labels || {}, entry.skew, data.poll, data.joined);
      else follow(event);
    },
    onFail: () => setTriggerValue("fallback", true),
  };
  // Streamlit calls this function again with new data on every rerun that changes it, on the same
  // element and without the cleanup below; so the previous call's listener and timer go first.
  const previous = parentElement.__abcLive;
  if (previous) {
    clearInterval(previous.timer);
    previous.entry.listeners.delete(previous.listener);
  }
  entry.listeners.add(listener);
  if (entry.failed) listener.onFail();
  // Every second: the countdown moves, and a rerun that never came back is asked for again.
  timer = setInterval(() => { if (entry.latest) listener.onEvent(entry.latest); }, 1000);
  parentElement.__abcLive = {entry, listener, timer};
  if (entry.latest) listener.onEvent(entry.latest);

  return () => {
    const current = parentElement.__abcLive || {entry, listener, timer};
    parentElement.__abcLive = null;
    clearInterval(current.timer);
    current.entry.listeners.delete(current.listener);
    // Keep the stream open across reruns; close it only when no page part has listened for a while.
    const closing = current.entry;
    setTimeout(() => {
      if (closing.listeners.size === 0 && streams.get(closing.url) === closing) {
        closing.source.close();
        streams.delete(closing.url);
      }
    }, 10000);
  };
}
