// What the page knows: conversations, their messages and unread counts,
// and the sends not yet confirmed. Kept per user in localStorage (the list
// and unread counts; messages come from the broker's history).

export class Conversation {
  constructor(kind, name) {
    this.kind = kind; // "dm" or "group"
    this.name = name;
    this.key = `${kind}:${name}`;
    this.byId = new Map(); // stored messages by server id
    this.local = new Map(); // own sends not yet stored, by client id
    this.unread = 0;
    this.loaded = false; // the latest page of history was read
    this.complete = false; // nothing older is left
  }

  /** Adds a stored message; returns false if it was already there. */
  add(m) {
    if (this.byId.has(m.id)) return false;
    this.byId.set(m.id, m);
    return true;
  }

  oldestSeq() {
    let min = 0;
    for (const m of this.byId.values()) if (!min || m.seq < min) min = m.seq;
    return min;
  }

  newestSeq() {
    let max = 0;
    for (const m of this.byId.values()) if (m.seq > max) max = m.seq;
    return max;
  }

  /** Stored messages by sequence, then the sends still under way. */
  sorted() {
    const stored = [...this.byId.values()].sort((a, b) => a.seq - b.seq);
    return stored.concat([...this.local.values()]);
  }
}

export class Chat {
  constructor(me) {
    this.me = me;
    this.convs = new Map();
    this.online = new Set();
    this.current = null;
    this.counter = 0;
    this.restore();
  }

  conv(kind, name) {
    const key = `${kind}:${name}`;
    let c = this.convs.get(key);
    if (!c) {
      c = new Conversation(kind, name);
      this.convs.set(key, c);
    }
    return c;
  }

  /** The conversation a delivery or history item belongs to. */
  convOf(from, to, groups) {
    if (to === this.me) return this.conv("dm", from);
    if (from === this.me && !groups.has(to)) return this.conv("dm", to);
    return this.conv("group", to);
  }

  list() {
    return [...this.convs.values()].sort((a, b) =>
      a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind < b.kind ? -1 : 1,
    );
  }

  /** A client id unique to this page: time, a random part, a counter. */
  clientId() {
    this.counter += 1;
    if (!this.prefix)
      this.prefix = Date.now().toString(36) +
        Math.floor(Math.random() * 2 ** 32).toString(36);
    return `w${this.prefix}-${this.counter}`;
  }

  storageKey() {
    return `kurir:${this.me}:conversations`;
  }

  save() {
    const data = this.list().map((c) => ({
      kind: c.kind, name: c.name, unread: c.unread,
    }));
    try {
      localStorage.setItem(this.storageKey(), JSON.stringify(data));
    } catch (_) {
      // storage full or off: the list is rebuilt from the broker
    }
  }

  restore() {
    let data = [];
    try {
      data = JSON.parse(localStorage.getItem(this.storageKey()) || "[]");
    } catch (_) {
      data = [];
    }
    for (const d of Array.isArray(data) ? data : []) {
      if (d.kind !== "dm" && d.kind !== "group") continue;
      this.conv(d.kind, String(d.name)).unread = Number(d.unread) || 0;
    }
  }
}
