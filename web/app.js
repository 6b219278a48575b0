// kurir's web client: wiring between the page, the chat model and the
// connection. Protocol 3 with acknowledgements (docs/PROTOCOL.md).

import { Connection, backoffMs } from "./connection.js";
import { explain } from "./errors.js";
import { Chat } from "./chat.js";
import {
  $, renderConversations, renderMessages, showError, setStatus,
} from "./view.js";

const page = 50; // history items per request
let chat = null;
let conn = null;
let password = "";
let attempt = 0;
let groups = new Set();
let acks = [];
let outbox = new Map(); // client id -> { cid, target, body, conv, m }

const wsUrl = () =>
  `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;

function say(err) {
  showError(explain(err.code || "protocol", err.text || ""));
}

// -- the connection -----------------------------------------------------------

async function connect(name, register) {
  setStatus("connecting…");
  const c = new Connection(wsUrl(), {
    onPush,
    onClose: (why) => onClose(c, why),
  });
  conn = c;
  await c.opened;
  await c.request(["--hello--", "3", "ack"]);
  if (register) await c.request(["--register--", name, password]);
  const { reply } = await c.request(["--login--", name, password]);
  const me = reply[2] || name; // the folded name
  if (!chat || chat.me !== me) chat = new Chat(me);
  attempt = 0;
  setStatus("online", true);
  $("me").textContent = me;
  showChat();
  await afterLogin(c);
}

async function afterLogin(c) {
  const g = await c.request(["--groups--"]);
  groups = new Set((g.reply[2] || "").split(",").filter(Boolean));
  for (const name of groups) chat.conv("group", name);
  for (const conv of [...chat.convs.values()])
    if (conv.kind === "group" && !groups.has(conv.name)) dropConv(conv);
  const who = await c.request(["--who--"]);
  chat.online = new Set((who.reply[2] || "").split(",").filter(Boolean));
  for (const entry of outbox.values()) trySend(entry); // same client ids
  for (const conv of chat.convs.values())
    if (conv.loaded) catchUp(conv);
  render();
}

function onClose(c, why) {
  if (c !== conn) return;
  if (why.byUser || !chat) {
    setStatus("not connected");
    return;
  }
  const wait = backoffMs(attempt++);
  setStatus(`disconnected; trying again in ${Math.ceil(wait / 1000)} s`);
  setTimeout(() => reconnect(), wait);
}

function reconnect() {
  const c = conn;
  connect(chat.me, false).catch((err) => {
    if (["auth_failed", "bad_name", "bad_password"].includes(err.code)) {
      say(err);
      logout();
      return;
    }
    if (err.code !== "connection_lost") say(err);
    if (conn && conn !== c && conn.ws.readyState === WebSocket.OPEN)
      conn.ws.close(); // try again: onClose schedules it
  });
}

// -- what the broker pushes ---------------------------------------------------

function onPush(f) {
  const [tag] = f;
  if (tag === "--msg--" && f.length >= 7 && chat) {
    const m = { id: +f[1], seq: +f[2], ts: +f[3], from: f[4], to: f[5],
                body: f[6] };
    const conv = chat.convOf(m.from, m.to, groups);
    if (conv.kind === "dm") chat.online.add(m.from); // it just wrote
    if (conv.add(m) && !(chat.current === conv.key && !document.hidden)) {
      conv.unread += 1;
    }
    chat.save();
    ack(m.id); // it is on the page now
    render();
  } else if (tag === "--presence--" && chat) {
    if (f[2] === "online") chat.online.add(f[1]);
    else chat.online.delete(f[1]);
    render();
  } else if (tag === "--group--" && chat) {
    if (f[2] === "added") {
      groups.add(f[1]);
      chat.conv("group", f[1]);
    } else if (f[2] === "removed") {
      groups.delete(f[1]);
      const conv = chat.convs.get(`group:${f[1]}`);
      if (conv) dropConv(conv);
    }
    chat.save();
    render();
  } else if (tag === "--error--") {
    say({ code: f[1], text: f[2] });
  }
}

function ack(id) {
  acks.push(String(id));
  if (acks.length > 1) return;
  queueMicrotask(() => {
    while (acks.length) conn.send(["--ack--", ...acks.splice(0, 1024)]);
  });
}

// -- conversations -----------------------------------------------------------

function dropConv(conv) {
  chat.convs.delete(conv.key);
  if (chat.current === conv.key) chat.current = null;
  chat.save();
}

async function openConv(key) {
  const conv = chat.convs.get(key);
  if (!conv) return;
  chat.current = key;
  conv.unread = 0;
  chat.save();
  document.body.classList.add("in-conv");
  render();
  $("body").focus();
  if (!conv.loaded) await loadHistory(conv, []);
  describe(conv);
}

async function loadHistory(conv, extra) {
  try {
    const { items } = await conn.request(
      ["--history--", conv.name, String(page), ...extra]);
    for (const h of items)
      conv.add({ id: +h[1], seq: +h[2], ts: +h[3], from: h[4], to: h[5],
                 body: h[6] });
    if (extra.length === 0) conv.loaded = true;
    if (items.length < page && extra.length < 2) conv.complete = true;
  } catch (err) {
    say(err);
    if (["no_such_user", "no_such_group", "bad_name", "bad_request"]
          .includes(err.code) && conv.byId.size === 0) dropConv(conv);
  }
  render();
}

function catchUp(conv) {
  loadHistory(conv, ["0", String(conv.newestSeq())]);
}

// Contacts change as conversations start: ask who is online again.
async function refreshWho() {
  try {
    const who = await conn.request(["--who--"]);
    chat.online = new Set((who.reply[2] || "").split(",").filter(Boolean));
  } catch (_) {
    // offline: the dots stay as they were
  }
  render();
}

async function describe(conv) {
  const info = $("conv-info");
  $("add-member").hidden = true;
  if (conv.kind === "dm") {
    await refreshWho();
    return;
  }
  try {
    const { reply } = await conn.request(["--members--", conv.name]);
    const owner = reply[3];
    const members = (reply[4] || "").split(",").filter(Boolean).join(", ");
    info.textContent = `owner ${owner || "none"} · members ${members}`;
    $("add-member").hidden = owner !== chat.me;
  } catch (err) {
    info.textContent = "";
  }
}

// -- sending -----------------------------------------------------------------

function sendText(text) {
  const conv = chat.convs.get(chat.current);
  if (!conv || text === "") return;
  const cid = chat.clientId();
  const m = { cid, from: chat.me, to: conv.name, body: text, ts: Date.now(),
              state: "sending" };
  conv.local.set(cid, m);
  const entry = { cid, target: conv.name, body: text, conv, m };
  outbox.set(cid, entry);
  render();
  trySend(entry);
}

function trySend(entry) {
  if (!conn) return;
  conn.request(["--send--", entry.cid, entry.target, entry.body]).then(
    ({ reply }) => {
      outbox.delete(entry.cid);
      entry.conv.local.delete(entry.cid);
      entry.conv.add({ ...entry.m, id: +reply[2], seq: +reply[3],
                       state: "stored" });
      if (entry.conv.kind === "dm" && entry.conv.byId.size === 1)
        refreshWho(); // a new contact
      render();
    },
    (err) => {
      if (err.code === "connection_lost") return; // sent again on reconnect
      outbox.delete(entry.cid);
      entry.m.state = "failed";
      entry.m.why = explain(err.code, err.text);
      render();
    });
}

// -- the page ----------------------------------------------------------------

function render() {
  if (!chat) return;
  renderConversations(chat.list(), chat.current, chat.online, openConv);
  const conv = chat.convs.get(chat.current);
  $("composer").hidden = !conv;
  $("earlier").hidden = !conv || !conv.loaded || conv.complete;
  $("conv-title").textContent = conv
    ? (conv.kind === "group" ? `#${conv.name}` : conv.name)
    : "Pick a conversation";
  if (conv && conv.kind === "dm")
    $("conv-info").textContent = chat.online.has(conv.name) ? "online" : "offline";
  if (conv) renderMessages(conv, chat.me);
  else $("messages").replaceChildren();
}

function showChat() {
  $("login-view").hidden = true;
  $("chat-view").hidden = false;
  $("logout").hidden = false;
  render();
}

function logout() {
  if (conn) {
    conn.request(["--logout--"]).catch(() => {});
    conn.close();
  }
  conn = null;
  chat = null;
  password = "";
  outbox = new Map();
  $("me").textContent = "";
  $("chat-view").hidden = true;
  $("logout").hidden = true;
  $("login-view").hidden = false;
  setStatus("not connected");
}

function start(register) {
  const name = $("name").value.trim();
  password = $("password").value;
  if (!name || !password) return;
  $("password").value = "";
  connect(name, register).catch((err) => {
    say(err);
    if (conn) conn.close();
    conn = null;
    setStatus("not connected");
  });
}

function bind() {
  $("login-form").addEventListener("submit", (e) => {
    e.preventDefault();
    start(false);
  });
  $("register").addEventListener("click", () => start(true));
  $("logout").addEventListener("click", logout);
  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    sendText($("body").value);
    $("body").value = "";
  });
  $("body").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      $("composer").requestSubmit();
    } else if (e.key === "Escape") {
      document.body.classList.remove("in-conv");
    }
  });
  $("new-chat").addEventListener("submit", (e) => {
    e.preventDefault();
    const name = $("new-peer").value.trim().toLowerCase();
    if (!name || !chat) return;
    $("new-peer").value = "";
    openConv(chat.conv("dm", name).key);
  });
  $("new-group").addEventListener("submit", (e) => {
    e.preventDefault();
    const name = $("new-group-name").value.trim().toLowerCase();
    if (!name || !conn) return;
    conn.request(["--create--", name]).then(() => {
      $("new-group-name").value = "";
      groups.add(name);
      openConv(chat.conv("group", name).key);
    }, say);
  });
  $("add-member").addEventListener("submit", (e) => {
    e.preventDefault();
    const conv = chat && chat.convs.get(chat.current);
    const user = $("member-name").value.trim().toLowerCase();
    if (!conv || !user) return;
    conn.request(["--add--", conv.name, user]).then(() => {
      $("member-name").value = "";
      describe(conv);
    }, say);
  });
  $("earlier").addEventListener("click", () => {
    const conv = chat.convs.get(chat.current);
    if (conv) loadHistory(conv, [String(conv.oldestSeq())]);
  });
  $("back").addEventListener("click", () =>
    document.body.classList.remove("in-conv"));
  document.addEventListener("visibilitychange", () => {
    const conv = chat && chat.convs.get(chat.current);
    if (conv && !document.hidden && conv.unread) {
      conv.unread = 0;
      chat.save();
      render();
    }
  });
}

bind();
