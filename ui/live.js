// Listens to the server's event stream (/live/<code>?watch=...) and reruns the page only when what it
// shows changed. The stream itself is ui/stream.js's, which Python puts in front of this file.
//
// data: {url, drawn, run, mode: "follow" | "sentinel" | "progress", labels: {...}: the words, in the page's language}
// - follow (drawn last on the page): when the stream's digest differs from `drawn` (the digest the page
//   drew), ask for a rerun ("changed"); ask again after a while while they still differ, so a run whose
//   output was lost is redrawn by itself. It draws nothing.
// - sentinel (drawn first): if the follow listener of the same run has not arrived after a moment, the
//   end of that run was lost (ui/live.py mount_listeners): ask for a rerun.
// - progress: draw "N of M have voted", per team, and the time left, from the stream alone.
// When the stream cannot be reached, say so to Python once ("fallback"), which then polls as before.

function drawProgress(root, view, labels, skew, poll, joinedOnly) {
  root.replaceChildren();
  if (poll) {
    const answered = (view && view.answers && view.answers[String(poll)]) || 0;
    const headline = el("div", "abc-live-headline", plural(labels.answered, answered));
    headline.dataset.testid = "live-progress";
    root.appendChild(headline);
    return;
  }
  const progress = view && view.progress;
  if (!progress) return;
  if (joinedOnly) {
    const joined = el("div", "abc-live-headline", plural(labels.joined, progress.joined));
    joined.dataset.testid = "live-joined";
    root.appendChild(joined);
    return;
  }
  const [, state, , closesAt] = progress.stage || [];
  const headline = el("div", "abc-live-headline", fill(labels.voted, {voted: progress.voted, joined: progress.joined}));
  headline.dataset.testid = "live-progress";
  if (state === "open" && closesAt) {
    const timer = el("span", "abc-live-timer", ` · ⏱ ${countdown(closesAt - (Date.now() + skew) / 1000, labels)}`);
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

const arrivedRuns = new Set();  // the runs whose last part (the follow listener) has arrived
const SENTINEL_MS = 2500;

// First on the page: if this run's follow listener, drawn last, has not arrived by now, the run's end was lost.
function sentinel(parentElement, data, setTriggerValue) {
  clearTimeout(parentElement.__abcSentinel);
  const look = () => {
    if (!arrivedRuns.has(data.run)) askOnce(parentElement, `incomplete-${data.run}`, setTriggerValue, "changed");
    parentElement.__abcSentinel = setTimeout(look, SENTINEL_MS);
  };
  parentElement.__abcSentinel = setTimeout(look, SENTINEL_MS);
  return () => clearTimeout(parentElement.__abcSentinel);
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  if (!data || !data.url) return;
  if (data.mode === "sentinel") return sentinel(parentElement, data, setTriggerValue);
  if (data.run) {
    arrivedRuns.add(data.run);
    if (arrivedRuns.size > 64) arrivedRuns.delete(arrivedRuns.values().next().value);
  }
  const root = parentElement.querySelector(".abc-live") || parentElement.appendChild(el("div", "abc-live"));
  root.classList.toggle("abc-live-big", Boolean(data.big));
  root.setAttribute("aria-live", "polite");
  const entry = stream(data.url);
  let timer = null;

  const follow = (event) => {
    if (event.digest !== data.drawn) askOnce(parentElement, event.digest, setTriggerValue, "changed");
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
  if (previous && previous.drawn !== data.drawn) answered(parentElement);
  if (previous) {
    clearInterval(previous.timer);
    release(previous.entry, previous.listener);
  }
  entry.listeners.add(listener);
  if (entry.failed) listener.onFail();
  // Every second: the countdown moves, and a rerun that never came back is asked for again.
  timer = setInterval(() => { if (entry.latest) listener.onEvent(entry.latest); }, 1000);
  parentElement.__abcLive = {entry, listener, timer, drawn: data.drawn};
  if (entry.latest) listener.onEvent(entry.latest);

  return () => {
    const current = parentElement.__abcLive || {entry, listener, timer};
    parentElement.__abcLive = null;
    clearInterval(current.timer);
    release(current.entry, current.listener);
  };
}
