// kurir's protocol 2/3 frames (docs/PROTOCOL.md): escaping, building, and
// a streaming reader. No DOM here.

/** Escapes `;`, `|` and `\` in one field. */
export function escapeField(text) {
  return String(text).replace(/[\\;|]/g, (c) => "\\" + c);
}

/** Returns one frame: the fields escaped, joined by `|`, ended by `;`. */
export function frame(...fields) {
  return fields.map(escapeField).join("|") + ";\n";
}

/** Splits a frame (without its `;`) into fields at unescaped `|` and
 *  removes the escapes, as the server writes them. */
export function splitFields(raw) {
  const out = [];
  let cur = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "\\" && i + 1 < raw.length) {
      const n = raw[i + 1];
      if (n === ";" || n === "|" || n === "\\") {
        cur += n;
        i++;
        continue;
      }
      cur += c;
      continue;
    }
    if (c === "|") {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

/** Takes text as it comes (message boundaries mean nothing) and returns
 *  whole frames as arrays of fields. */
export class FrameReader {
  constructor() {
    this.buf = "";
  }

  push(text) {
    this.buf += text;
    const frames = [];
    let start = 0;
    let i = 0;
    while (i < this.buf.length) {
      const c = this.buf[i];
      if (c === "\\") {
        i += 2;
        continue;
      }
      if (c === ";") {
        const raw = this.buf.slice(start, i).replace(/^\s+/, "");
        frames.push(splitFields(raw));
        start = i + 1;
      }
      i++;
    }
    this.buf = this.buf.slice(start);
    if (/^\s*$/.test(this.buf)) this.buf = "";
    return frames;
  }
}
