// A participant's phone once joined: the current round drawn in the browser, from the event stream.
//
// When the facilitator opens, closes or reveals a round, the stream's event already holds everything
// this phone shows (the round's stage, question and rules; once revealed, the result by card id and
// team), so the phone redraws itself at once, with no rerun on the server. The deck comes once per
// browser from /live/deck/<id> (fetched ahead while a round is being prepared). Only the polls need
// the page: when their part of the stream differs from what the page drew, the page is asked to rerun.
//
// The ballot is built for a phone: a tap costs the server nothing; the count and Submit stay in view at
// the bottom; the reason a pick is refused shows right there; each card's description is one tap away;
// a picked card carries a tick, not only a colour; unsent picks survive a rerun and a reload
// (sessionStorage). Submit sends {round, attempt, cards, nonce} and is sent again, with the same nonce,
// when no answer came; the answer arrives with the next data under that nonce.
//
// data: {url (null: no stream, the page polls), view (the parts the page drew: round, result, polls),
//        pollsDrawn (digest of the polls part), deckUrl (null: cards come inline) | cards {deck id: [...]},
//        saved {key: "round-attempt", cards}, outcome {nonce, ok, message, cards} | null, storagePrefix,
//        me {team, teamName, teamLink}, names {A: "Attitude", ...}, perspectives {English label: shown label},
//        texts {...}: every word the phone shows, in the page's language (ui/phone.py texts(); fill() and plural()
//        are ui/stream.js's)}

const decks = new Map();  // "deck id:language" -> its cards, or the promise of them
const PHONE_RESEND_MS = 4000;
const REFRESH_MS = 300;   // a tab switch sends "visibilitychange" and "focus" together: one refresh

function deckFor(data, deckId, onLoaded) {
  const inline = data.cards && data.cards[String(deckId)];
  if (inline) return inline;
  const language = data.language || "en";
  const held = `${deckId}:${language}`;  // a switch of language fetches the deck in the new one
  const known = decks.get(held);
  if (Array.isArray(known)) return known;
  if (!known && data.deckUrl) {
    const loading = fetch(`${data.deckUrl}${deckId}?lang=${encodeURIComponent(language)}`)
      .then((answer) => { if (!answer.ok) throw new Error(String(answer.status)); return answer.json(); })
      .then((cards) => { decks.set(held, cards); return cards; });
    loading.catch(() => decks.delete(held));
    decks.set(held, loading);
  }
  const pending = decks.get(held);
  if (pending && onLoaded) pending.then(onLoaded, () => onLoaded(null));
  else if (onLoaded) onLoaded(null);
  return null;
}

function readDraft(key, fallback) {
  try {
    const stored = window.sessionStorage.getItem(key);
    if (stored) return new Set(JSON.parse(stored));
  } catch (error) { /* private mode: the draft lives in memory only */ }
  return new Set(fallback);
}

function keepDraft(key, draft) {
  try { window.sessionStorage.setItem(key, JSON.stringify([...draft])); } catch (error) { /* memory only */ }
}

function same(a, b) {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  if (!data) return undefined;
  const phone = parentElement.__abcPhone || (parentElement.__abcPhone = {
    saved: new Map(), drafts: new Map(), pending: null, refusal: null, search: "", shown: null, timer: null,
  });
  if (phone.data && phone.data.pollsDrawn !== data.pollsDrawn) answered(parentElement);
  phone.data = data;
  phone.trigger = setTriggerValue;
  phone.root = parentElement.querySelector(".phone") || parentElement.appendChild(el("div", "phone"));

  // What the page read is the truth as of its run: the saved ballot, and the answer to a submit. A draft
  // that was the saved ballot follows it when another tab of the same person saved something else.
  if (data.saved) {
    const before = phone.saved.get(data.saved.key);
    const now = new Set(data.saved.cards);
    const draft = phone.drafts.get(data.saved.key);
    if (before && draft && same(draft, before) && !same(before, now)) {
      phone.drafts.set(data.saved.key, new Set(now));
      keepDraft(`${data.storagePrefix}-${data.saved.key}`, now);
    }
    phone.saved.set(data.saved.key, now);
  }
  const pending = phone.pending;
  if (pending && data.outcome && data.outcome.nonce === pending.nonce) {
    phone.pending = null;
    phone.refusal = data.outcome.ok ? null : {key: pending.key, message: data.outcome.message};
    if (data.outcome.ok) {
      const draft = new Set(data.outcome.cards);  // what the server saved is the draft from now on
      phone.drafts.set(pending.key, draft);
      keepDraft(`${data.storagePrefix}-${pending.key}`, draft);
    }
    phone.shown = null;
  }

  const previous = parentElement.__abcPhoneListener;
  if (previous) release(previous.entry, previous.listener);
  parentElement.__abcPhoneListener = null;
  if (data.url) {
    const entry = stream(data.url);
    const listener = {
      onEvent: (event) => {
        if (event.parts && event.parts.polls !== data.pollsDrawn) askOnce(parentElement, event.parts.polls, setTriggerValue, "changed");
        show(phone, event.view, entry.skew);
      },
      onFail: () => setTriggerValue("fallback", true),
    };
    entry.listeners.add(listener);
    parentElement.__abcPhoneListener = {entry, listener};
    if (entry.failed) listener.onFail();
    show(phone, entry.latest ? entry.latest.view : data.view, entry.skew, true);
  } else {
    show(phone, data.view, 0, true);
  }

  if (!phone.refresh) {
    // The same person in another tab or window may have saved other cards meanwhile: a page that comes back
    // into view asks its fragment once for what is saved now (at most every few seconds).
    phone.refresh = () => {
      if (document.visibilityState !== "visible" || Date.now() - (phone.refreshed || 0) < REFRESH_MS) return;
      phone.refreshed = Date.now();
      phone.trigger("changed", `back-${phone.refreshed}`);
    };
    document.addEventListener("visibilitychange", phone.refresh);
    window.addEventListener("focus", phone.refresh);
  }
  clearInterval(phone.timer);
  phone.timer = setInterval(() => {
    const view = phone.view;
    if (phone.pending && Date.now() - phone.pending.sentAt >= PHONE_RESEND_MS) send(phone);
    if (view) tick(phone, view);
  }, 1000);
  return () => {
    clearInterval(phone.timer);
    document.removeEventListener("visibilitychange", phone.refresh);
    window.removeEventListener("focus", phone.refresh);
    phone.refresh = null;
    const current = parentElement.__abcPhoneListener;
    if (current) release(current.entry, current.listener);
    parentElement.__abcPhoneListener = null;
  };
}

// -- what the phone shows ---------------------------------------------------------------------------------

function phaseOf(view) {
  if (!view || view.gone) return "gone";
  const stage = (view.round && view.round.stage) || [];
  if (!stage[0] || !stage[1] || stage[1] === "draft") return "waiting";
  return stage[1];
}

function show(phone, view, skew, fresh) {
  phone.view = view;
  phone.skew = skew || 0;
  // The facilitator is preparing a round: fetch its deck now, so the ballot is there the moment it opens.
  ((view && view.round && view.round.drafts) || []).forEach((deckId) => deckFor(phone.data, deckId));
  const phase = phaseOf(view);
  const stage = (view && view.round && view.round.stage) || [];
  const key = `${phase}:${stage[0]}:${stage[2]}:${phase === "revealed" ? JSON.stringify(view.result) : ""}`;
  if (!fresh && key === phone.shown) { tick(phone, view); return; }
  phone.shown = key;
  const texts = phone.data.texts;
  const spec = view && view.round && view.round.spec;
  phone.root.dataset.phase = phase;
  phone.root.className = phase === "open" ? "phone ballot" : "phone";
  if (phase === "gone") {
    phone.root.replaceChildren(el("p", "phone-note", texts.gone));
  } else if (phase === "waiting") {
    phone.root.replaceChildren(el("p", "phone-note", texts.waiting));
  } else {
    const cards = deckFor(phone.data, spec.deck, (loaded) => {
      if (phone.shown !== key) return;  // the phone moved on meanwhile
      if (loaded) { show(phone, phone.view, phone.skew, true); return; }
      // The deck's address cannot be reached (a proxy that passes only Streamlit's own routes): ask the page
      // to send the cards itself, and say so only if they do not come either.
      phone.trigger("inline", spec.deck);
      setTimeout(() => {
        if (phone.shown === key && phone.root.dataset.waitingFor === String(spec.deck)) {
          phone.root.replaceChildren(el("p", "phone-note refused", texts.deckFailed));
        }
      }, 10000);
    });
    if (!cards) {
      phone.root.replaceChildren(el("p", "phone-note", texts.loading));
      phone.root.dataset.waitingFor = String(spec.deck);
      return;
    }
    phone.root.dataset.waitingFor = "";
    const ballotKey = `${stage[0]}-${stage[2]}`;
    if (phase === "open") drawBallot(phone, spec, cards, ballotKey);
    else drawAfter(phone, view, spec, cards, ballotKey, phase);
  }
  tick(phone, view);
}

function tick(phone, view) {
  const line = phone.root.querySelector(".phone-timer");
  if (!line) return;
  const closesAt = view.round.stage[3];
  line.textContent = `⏱ ${countdown(closesAt - (Date.now() + phone.skew) / 1000, phone.data.texts)}`;
}

function picksList(phone, cards, key) {
  const texts = phone.data.texts;
  const mine = phone.saved.get(key) || new Set();
  const box = el("div", "phone-picks");
  if (!mine.size) {
    box.appendChild(el("p", "phone-note", texts.noVote));
    return box;
  }
  box.appendChild(el("h4", "phone-heading", texts.yourPicks));
  const list = box.appendChild(el("ul", "phone-list"));
  cards.filter((card) => mine.has(card.id)).forEach((card) => list.appendChild(el("li", "", card.title)));
  return box;
}

function resultList(cards, voted, top, texts) {
  const titles = new Map(cards.map((card) => [card.id, card.title]));
  const list = el("ol", "phone-result");
  top.forEach(([rank, cardId, picks]) => {
    const share = voted ? Math.round((100 * picks) / voted) : 0;
    const item = list.appendChild(el("li", "", fill(texts.resultLine,
      {rank, title: titles.get(cardId) || "?", picks, share})));
    item.value = rank;
  });
  return list;
}

function drawAfter(phone, view, spec, cards, key, phase) {
  const texts = phone.data.texts;
  const parts = [];
  if (phase === "closed") {
    parts.push(el("p", "phone-banner", texts.closed));
    const refusal = phone.refusal && phone.refusal.key === key ? phone.refusal.message : null;
    if (refusal) parts.push(el("p", "phone-note refused", refusal));
  } else {
    const result = view.result || {voted: 0, top: [], teams: {}};
    parts.push(el("h3", "phone-question", fill(texts.resultOf, {question: spec.question})));
    parts.push(el("p", "phone-voted", plural(texts.voted, result.voted)));
    parts.push(resultList(cards, result.voted, result.top, texts));
    const me = phone.data.me || {};
    const team = me.team !== null && me.team !== undefined ? result.teams[String(me.team)] : null;
    if (team) {
      parts.push(el("h4", "phone-heading", fill(texts.yourTeam, {team: me.teamName, n: team[0]})));
      parts.push(resultList(cards, team[0], team[1], texts));
    }
    if (me.teamLink) {
      const link = el("a", "phone-link", fill(texts.teamLink, {team: me.teamName}));
      link.href = me.teamLink;
      link.target = "_self";
      parts.push(link);
    }
  }
  parts.push(picksList(phone, cards, key));
  phone.root.replaceChildren(...parts);
}

// -- the ballot ---------------------------------------------------------------------------------------------

function send(phone) {
  const pending = phone.pending;
  pending.sentAt = Date.now();
  phone.trigger("submit", {round: pending.round, attempt: pending.attempt, cards: pending.cards, nonce: pending.nonce});
}

// The stream carries a round's perspective in English (one stream serves every phone, whatever its language),
// or the facilitator's own wording, which is shown as typed.
function shownPerspective(data, perspective) {
  return Object.hasOwn(data.perspectives || {}, perspective) ? data.perspectives[perspective] : perspective;
}

function drawBallot(phone, spec, cards, key) {
  const {data} = phone;
  const texts = data.texts;
  const [roundId, , attempt] = phone.view.round.stage;
  const known = new Set(cards.map((card) => card.id));
  const saved = new Set([...(phone.saved.get(key) || [])].filter((id) => known.has(id)));
  const storageKey = `${data.storagePrefix}-${key}`;
  if (!phone.drafts.has(key)) phone.drafts.set(key, readDraft(storageKey, saved));
  const draft = phone.drafts.get(key);
  [...draft].forEach((id) => { if (!known.has(id)) draft.delete(id); });

  const root = phone.root;
  root.replaceChildren();
  root.appendChild(el("h3", "ballot-question", spec.question));
  const perspective = shownPerspective(data, spec.perspective);
  root.appendChild(el("p", "ballot-perspective", plural(texts.perspective, spec.limit, {perspective})));
  if (spec.named) root.appendChild(el("p", "ballot-named", texts.named));
  if (phone.view.round.stage[3]) root.appendChild(el("p", "phone-timer"));
  const status = root.appendChild(el("div", "ballot-status"));
  status.setAttribute("role", "status");

  const search = root.appendChild(el("input", "ballot-search"));
  search.type = "search";
  search.placeholder = texts.search;
  search.setAttribute("aria-label", texts.search);
  search.value = phone.search;

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
    const ofType = cards.filter((card) => card.type === letter);
    if (!ofType.length) continue;
    const section = groups.appendChild(el("section", `ballot-group ballot-${letter}`));
    section.appendChild(el("h4", "ballot-group-title", `${letter} · ${name}`));
    for (const card of ofType) {
      const row = section.appendChild(el("div", "ballot-card"));
      row.dataset.search = `${card.title} ${card.theme} ${card.description}`.toLowerCase();
      const pick = row.appendChild(el("button", "ballot-pick"));
      pick.type = "button";
      pick.appendChild(el("span", "ballot-tick", "")).setAttribute("aria-hidden", "true");
      pick.appendChild(el("span", "ballot-title", card.title));
      pick.appendChild(el("span", "ballot-letter", letter)).setAttribute("aria-hidden", "true");
      const info = row.appendChild(el("button", "ballot-info", texts.about));
      info.type = "button";
      info.setAttribute("aria-label", `${texts.about}: ${card.title}`);  // the visible word first, for voice control
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
    phone.search = search.value;
    groups.querySelectorAll(".ballot-card").forEach((row) => { row.hidden = Boolean(words) && !row.dataset.search.includes(words); });
  };
  search.oninput = filter;
  filter();

  function redraw(message) {
    const waiting = phone.pending && phone.pending.key === key;
    buttons.forEach((button, id) => {
      const on = draft.has(id);
      button.setAttribute("aria-pressed", String(on));
      button.classList.toggle("on", on);
      button.querySelector(".ballot-tick").textContent = on ? "✓" : "";
    });
    count.textContent = fill(texts.picked, {n: draft.size, limit: spec.limit});
    submit.disabled = draft.size === 0 || Boolean(waiting);
    submit.textContent = waiting ? texts.saving : plural(texts.submit, draft.size);
    note.textContent = message || "";
    const refusal = phone.refusal && phone.refusal.key === key ? phone.refusal.message : null;
    if (waiting) {
      status.className = "ballot-status saving";
      status.textContent = texts.saving;
    } else if (refusal) {
      status.className = "ballot-status refused";
      status.textContent = refusal;
    } else if (saved.size && same(saved, draft)) {
      status.className = "ballot-status saved";
      status.textContent = plural(texts.saved, saved.size);
    } else if (saved.size) {
      status.className = "ballot-status changed";
      status.textContent = texts.changed;
    } else {
      status.className = "ballot-status unsaved";
      status.textContent = texts.unsaved;
    }
  }

  function toggle(id) {
    if (phone.pending) return;
    phone.refusal = null;
    if (draft.has(id)) {
      draft.delete(id);
    } else if (draft.size >= spec.limit) {
      redraw(fill(texts.full, {limit: spec.limit}));
      bar.classList.remove("shake");
      void bar.offsetWidth;
      bar.classList.add("shake");
      return;
    } else {
      draft.add(id);
    }
    keepDraft(storageKey, draft);
    redraw();
  }

  submit.onclick = () => {
    if (!draft.size || phone.pending) return;
    phone.pending = {nonce: `${Date.now()}-${Math.random().toString(36).slice(2, 10)}`, cards: [...draft], key,
                     round: roundId, attempt};
    redraw();
    send(phone);
  };
  redraw();
}
