// One WebSocket to kurird's /ws: frames out, replies matched to requests in
// command order (the broker answers in order), pushes handed to `onPush`.

import { FrameReader, frame } from "./protocol.js";

/** Codes after which the broker closes the connection by itself. */
export const closingCodes = new Set([
  "frame_too_large", "login_timeout", "idle_timeout", "too_many_errors",
  "not_kurir", "too_many_connections", "rate_limited",
]);

export class Connection {
  /** `onPush(fields)` gets deliveries, presence, group events and errors
   *  that answer nothing; `onClose(reason)` is called once. */
  constructor(url, { onPush, onClose }) {
    this.onPush = onPush;
    this.onClose = onClose;
    this.pending = [];
    this.reader = new FrameReader();
    this.closed = false;
    this.ws = new WebSocket(url);
    this.ws.binaryType = "arraybuffer";
    this.opened = new Promise((resolve, reject) => {
      this.ws.onopen = () => resolve();
      this.ws.onerror = () => reject({ code: "connection_lost", text: "" });
    });
    this.ws.onmessage = (ev) => this.onMessage(ev.data);
    this.ws.onclose = (ev) => this.finish(ev);
  }

  onMessage(data) {
    // Text normally; binary when a body is not UTF-8 (bodies are bytes).
    const text =
      typeof data === "string" ? data : new TextDecoder().decode(data);
    for (const f of this.reader.push(text)) this.onFrame(f);
  }

  onFrame(f) {
    const tag = f[0];
    if (tag === "--ping--") {
      this.send(f.length > 1 ? ["--pong--", f[1]] : ["--pong--"]);
    } else if (tag === "--hist--" && this.pending.length) {
      this.pending[0].items.push(f);
    } else if (tag === "--ok--" || tag === "--pong--") {
      const p = this.pending.shift();
      if (p) p.resolve({ reply: f, items: p.items });
    } else if (tag === "--error--") {
      const err = { code: f[1] || "", text: f[2] || "" };
      // An ack that was not awaited answers nothing we asked a reply of.
      if (err.code !== "not_awaiting_ack" && this.pending.length &&
          !closingCodes.has(err.code)) {
        this.pending.shift().reject(err);
      } else {
        this.onPush(f);
      }
    } else {
      this.onPush(f);
    }
  }

  /** Sends a frame that gets no reply (acks, pongs). */
  send(fields) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame(...fields));
  }

  /** Sends a frame and resolves with `{reply, items}` (`items`: the
   *  `--hist--` frames before the reply) or rejects with `{code, text}`. */
  request(fields) {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN)
      return Promise.reject({ code: "connection_lost", text: "" });
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject, items: [] });
      this.ws.send(frame(...fields));
    });
  }

  close() {
    this.closed = true;
    this.ws.close(1000);
  }

  finish(ev) {
    const wasClosed = this.closed;
    this.closed = true;
    for (const p of this.pending.splice(0))
      p.reject({ code: "connection_lost", text: "" });
    this.onClose({ byUser: wasClosed, code: ev.code, reason: ev.reason });
  }
}

/** Reconnection delays: doubling from 0.5 s up to 30 s, with jitter. */
export function backoffMs(attempt) {
  const ceiling = Math.min(30000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
