// Rendering: every piece of text goes in as text (textContent), never as
// HTML, so a body such as <img src=x onerror=...> shows as those characters.

/** Creates an element with attributes and children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === undefined || v === null) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

export const $ = (id) => document.getElementById(id);

function timeOf(ms) {
  if (!ms) return "";
  const d = new Date(Number(ms));
  const today = new Date().toDateString() === d.toDateString();
  return today
    ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : d.toLocaleString([], { dateStyle: "short", timeStyle: "short" });
}

/** Renders the conversation list. */
export function renderConversations(list, current, online, open) {
  const ul = $("conversations");
  ul.replaceChildren(
    ...list.map((c) =>
      el(
        "li",
        {
          tabindex: 0,
          role: "button",
          class: c.key === current ? "current" : "",
          "data-key": c.key,
          "aria-label": `${c.kind === "group" ? "group" : "chat"} ${c.name}` +
            (c.unread ? `, ${c.unread} unread` : ""),
          onclick: () => open(c.key),
          onkeydown: (e) => {
            if (e.key === "Enter" || e.key === " ") {
              e.preventDefault();
              open(c.key);
            }
          },
        },
        el("span", { class: "kind" }, c.kind === "group" ? "#" : "@"),
        el("span", { class: "name" }, c.name),
        c.kind === "dm"
          ? el("span", {
              class: online.has(c.name) ? "dot on" : "dot",
              title: online.has(c.name) ? "online" : "offline",
            })
          : null,
        c.unread ? el("span", { class: "unread" }, String(c.unread)) : null,
      ),
    ),
  );
}

/** Renders one conversation's messages, oldest first. */
export function renderMessages(conv, me) {
  const ol = $("messages");
  const atBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
  ol.replaceChildren(
    ...conv.sorted().map((m) =>
      el(
        "li",
        {
          class: m.from === me ? "mine" : "",
          "data-id": m.id || "",
          "data-cid": m.cid || "",
        },
        el(
          "div",
          { class: "meta" },
          el("span", { class: "from" }, m.from),
          el("span", { class: "time" }, timeOf(m.ts)),
          m.state
            ? el("span", { class: `state ${m.state}` }, stateText(m))
            : null,
        ),
        el("div", { class: "body" }, m.body),
      ),
    ),
  );
  if (atBottom) ol.scrollTop = ol.scrollHeight;
}

function stateText(m) {
  if (m.state === "sending") return "sending…";
  if (m.state === "stored") return "stored";
  return `not sent: ${m.why}`;
}

/** Shows an error in words; it stays until dismissed (at most 4 shown). */
export function showError(text) {
  const box = $("errors");
  const item = el(
    "div",
    { class: "error" },
    el("span", {}, text),
    el("button", { type: "button", "aria-label": "Dismiss",
                   onclick: () => item.remove() }, "×"),
  );
  box.append(item);
  while (box.children.length > 4) box.firstChild.remove();
}

export function setStatus(text, online = false) {
  const s = $("status");
  s.textContent = text;
  s.className = online ? "online" : "";
}
