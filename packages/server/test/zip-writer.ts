// A small .zip writer for tests: deflated or stored entries, folders, names in
// UTF-8 (flagged) or as raw bytes without the flag (as Windows writes GB18030
// names), and an entry that declares a false uncompressed size (a zip bomb).

import zlib from 'node:zlib';

export interface ZipEntry {
  /** The path inside the archive; a folder ends with “/”. */
  name: string | Buffer;
  data?: Buffer | string;
  /** Stored without compression (default: deflated). */
  store?: boolean;
  /** The uncompressed size written in the headers, when it should lie. */
  declaredSize?: number;
}

export function zipOf(entries: readonly ZipEntry[]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name;
    const data = Buffer.from(e.data ?? '');
    const method = e.store || data.length === 0 ? 0 : 8;
    const body = method === 8 ? zlib.deflateRawSync(data) : data;
    // Bit 11: the name is UTF-8. Raw-byte names go without it.
    const flags = typeof e.name === 'string' ? 0x800 : 0;
    const fields = (h: Buffer, at: number) => {
      h.writeUInt16LE(20, at); // version needed
      h.writeUInt16LE(flags, at + 2);
      h.writeUInt16LE(method, at + 4);
      h.writeUInt16LE(0, at + 6); // time
      h.writeUInt16LE(0x5a21, at + 8); // date: 2025-01-01
      h.writeUInt32LE(zlib.crc32(data), at + 10);
      h.writeUInt32LE(body.length, at + 14);
      h.writeUInt32LE(e.declaredSize ?? data.length, at + 18);
      h.writeUInt16LE(name.length, at + 22);
    };
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    fields(lh, 4);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4); // version made by
    fields(ch, 6);
    ch.writeUInt32LE(offset, 42);
    local.push(lh, name, body);
    central.push(ch, name);
    offset += lh.length + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, cd, end]);
}
