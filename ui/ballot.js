// The participant's ballot, drawn and kept in the browser: a tap costs the server nothing; only Submit
// reaches it ("submit" with the picked card ids and a nonce). Built for a phone: the count and Submit
// stay in view at the bottom of the screen, the reason a pick is refused shows right there, each
// card's description is one tap away on the card itself, and a picked card carries a tick, not only
// a colour. Unsent picks survive a rerun and a reload (sessionStorage, per participant and round).
//
// data: {question, perspective, limit, cards: [{id, title, type, theme, description}], saved: [ids],
//        outcome: {nonce, ok, message} | null (the answer to the latest submit), storageKey,
//        names: {A: "Attitude", ...}, named/namedText, and the labels it shows}

const drafts = new Map();
const RESEND_MS = 4000;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;  // card titles and questions only ever as text
  return node;
}

function same(a, b) {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

function loadDraft(key, saved) {
  if (drafts.has(key)) return drafts.get(key);
  let draft = new Set(saved);
  try {
    const stored = window.sessionStorage.getItem(key);
    if (stored) draft = new Set(JSON.parse(stored));
  } catch (error) { /* private mode: the draft lives in memory only */ }
  drafts.set(key, draft);
  return draft;
}

function keepDraft(key, draft) {
  drafts.set(key, draft);
  try { window.sessionStorage.setItem(key, JSON.stringify([...draft])); } catch (error) { /* memory only */ }
}

const decks = new Map();  // deck address -> its cards: a deck never changes, so each browser fetches it once

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  if (!data) return undefined;
  if (data.cards) return draw(component, data.cards);
  const cards = decks.get(data.deckUrl);
  if (cards) return draw(component, cards);
  const waiting = parentElement.querySelector(".ballot") || parentElement.appendChild(el("div", "ballot"));
  waiting.replaceChildren(el("p", "ballot-perspective", data.loadingLabel));
  const token = {};
  parentElement.__abcDeckWait = token;
  fetch(data.deckUrl)
    .then((answer) => { if (!answer.ok) throw new Error(String(answer.status)); return answer.json(); })
    .then((loaded) => {
      decks.set(data.deckUrl, loaded);
      if (parentElement.__abcDeckWait === token) draw(component, loaded);
    })
    .catch(() => {
      // The deck's address cannot be reached (e.g. a proxy that passes only Streamlit's own routes): ask the
      // page to send the cards with the ballot instead, and say so only if that does not come either.
      setTriggerValue("inline", true);
      setTimeout(() => {
        if (parentElement.__abcDeckWait === token) waiting.replaceChildren(el("p", "ballot-status refused", data.deckFailedLabel));
      }, 10000);
    });
  return undefined;
}

function draw(component, deck) {
  const {data, parentElement, setTriggerValue} = component;
  parentElement.__abcDeckWait = null;
  data.cards = deck;
  const known = new Set(data.cards.map((card) => card.id));
  const saved = new Set(data.saved.filter((id) => known.has(id)));
  const draft = new Set([...loadDraft(data.storageKey, data.saved)].filter((id) => known.has(id)));
  let pending = parentElement.__abcPending || null;  // {nonce, cards, sentAt} of a submit not yet answered
  let answer = null;  // the server's answer to that submit, when this render brings it
  if (pending && data.outcome && data.outcome.nonce === pending.nonce) {
    answer = data.outcome;
    pending = null;
  }
  parentElement.__abcPending = pending;
  if (answer) parentElement.__abcRefusal = answer.ok ? null : answer.message;

  const root = parentElement.querySelector(".ballot") || parentElement.appendChild(el("div", "ballot"));
  root.replaceChildren();
  root.appendChild(el("h3", "ballot-question", data.question));
  root.appendChild(el("p", "ballot-perspective", `${data.perspective} · tap up to ${data.limit} cards · “About” tells what a card means`));
  if (data.named) root.appendChild(el("p", "ballot-named", data.namedText));
  const status = root.appendChild(el("div", "ballot-status"));
  status.setAttribute("role", "status");

  const search = root.appendChild(el("input", "ballot-search"));
  search.type = "search";
  search.placeholder = data.searchLabel;
  search.setAttribute("aria-label", data.searchLabel);
  search.value = parentElement.__abcSearch || "";

  const groups = root.appendChild(el("div", "ballot-groups"));
  const bar = root.appendChild(el("div", "ballot-bar"));
  const count = bar.appendChild(el("div", "ballot-count"));
  count.setAttribute("aria-live", "polite");
  const submit = bar.appendChild(el("button", "ballot-submit"));
  submit.type = "button";
  const note = bar.appendChild(el("div", "ballot-note"));
  note.setAttribute("role", "alert");

  const buttons = new Map();
  for (const [letter, name] of Object.entries(data.names)) {
    const cards = data.cards.filter((card) => card.type === letter);
    if (!cards.length) continue;
    const section = groups.appendChild(el("section", `ballot-group ballot-${letter}`));
    section.appendChild(el("h4", "ballot-group-title", `${letter} · ${name}`));
    for (const card of cards) {
      const row = section.appendChild(el("div", "ballot-card"));
      row.dataset.search = `${card.title} ${card.theme} ${card.description}`.toLowerCase();
      const pick = row.appendChild(el("button", "ballot-pick"));
      pick.type = "button";
      pick.appendChild(el("span", "ballot-tick", "")).setAttribute("aria-hidden", "true");
      pick.appendChild(el("span", "ballot-title", card.title));
      pick.appendChild(el("span", "ballot-letter", letter)).setAttribute("aria-hidden", "true");
      pick.dataset.card = String(card.id);
      const info = row.appendChild(el("button", "ballot-info", data.aboutButton));
      info.type = "button";
      info.setAttribute("aria-label", `${data.aboutButton}: ${card.title}`);  // the visible word first, for voice control
      info.setAttribute("aria-expanded", "false");
      const about = row.appendChild(el("p", "ballot-about", `${card.theme} · ${card.description}`));
      about.hidden = true;
      info.onclick = () => {
        about.hidden = !about.hidden;
        info.setAttribute("aria-expanded", String(!about.hidden));
      };
      pick.onclick = () => toggle(card.id);
      buttons.set(card.id, pick);
    }
  }

  const filter = () => {
    const words = search.value.trim().toLowerCase();
    parentElement.__abcSearch = search.value;
    groups.querySelectorAll(".ballot-card").forEach((row) => { row.hidden = Boolean(words) && !row.dataset.search.includes(words); });
  };
  search.oninput = filter;
  filter();

  function draw(message) {
    buttons.forEach((button, id) => {
      const on = draft.has(id);
      button.setAttribute("aria-pressed", String(on));
      button.classList.toggle("on", on);
      button.querySelector(".ballot-tick").textContent = on ? "✓" : "";
    });
    count.textContent = `${draft.size} of ${data.limit} picked`;
    submit.disabled = draft.size === 0 || Boolean(pending);
    submit.textContent = pending ? data.savingLabel : `Submit my ${draft.size} card${draft.size === 1 ? "" : "s"}`;
    note.textContent = message || "";
    if (pending) {
      status.className = "ballot-status saving";
      status.textContent = data.savingLabel;
    } else if (parentElement.__abcRefusal) {
      status.className = "ballot-status refused";
      status.textContent = parentElement.__abcRefusal;
    } else if (saved.size && same(saved, draft)) {
      status.className = "ballot-status saved";
      status.textContent = `✓ Your ballot is saved (${saved.size} card${saved.size === 1 ? "" : "s"}). You can change it until the round closes.`;
    } else if (saved.size) {
      status.className = "ballot-status changed";
      status.textContent = "You changed your picks: submit again to save the change.";
    } else {
      status.className = "ballot-status unsaved";
      status.textContent = "Nothing is saved until you submit.";
    }
  }

  function toggle(id) {
    if (pending) return;
    parentElement.__abcRefusal = null;
    if (draft.has(id)) {
      draft.delete(id);
    } else if (draft.size >= data.limit) {
      draw(`You have picked ${data.limit}: untick one before you pick another.`);
      bar.classList.remove("shake");
      void bar.offsetWidth;
      bar.classList.add("shake");
      return;
    } else {
      draft.add(id);
    }
    keepDraft(data.storageKey, draft);
    draw();
  }

  function send() {
    setTriggerValue("submit", {cards: pending.cards, nonce: pending.nonce});
  }

  submit.onclick = () => {
    if (!draft.size || pending) return;
    pending = {nonce: `${Date.now()}-${Math.random().toString(36).slice(2, 10)}`, cards: [...draft], sentAt: Date.now()};
    parentElement.__abcPending = pending;
    draw();
    send();
  };

  // A submit whose answer never arrived (a dropped run, a lost connection) is sent again: the same
  // picks with the same nonce, so the server saves them once and answers.
  clearInterval(parentElement.__abcTimer);
  parentElement.__abcTimer = setInterval(() => {
    if (pending && Date.now() - pending.sentAt >= RESEND_MS) {
      pending.sentAt = Date.now();
      send();
    }
  }, 1000);

  if (answer && answer.ok) {
    // What the server saved is the draft from now on (another tab of the same person may have saved other cards).
    draft.clear();
    saved.forEach((id) => draft.add(id));
    keepDraft(data.storageKey, draft);
  }
  draw();
  return () => clearInterval(parentElement.__abcTimer);
}
