import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A part of an archive `writeZip` writes, and what its headers say. By default each header
 * tells the truth; the optional fields make the local header or the directory lie, as a
 * hostile file would.
 */
export interface ZipPart {
  readonly name: string;
  readonly content: string | Buffer;
  /** 8 (deflated, the default) or 0 (stored). */
  readonly method?: 0 | 8;
  /** Sizes and CRC in a data descriptor after the data, the local header's left 0. */
  readonly descriptor?: boolean;
  /** What the local header says instead of the truth. */
  readonly local?: { method?: number; size?: number; packed?: number; extra?: Buffer };
  /** What the central directory says instead of the truth. */
  readonly central?: { method?: number; size?: number; packed?: number; extra?: Buffer };
}

export interface ZipOptions {
  /** The end record's disk numbers (this disk, the directory's disk). */
  readonly disks?: readonly [number, number];
  /** The end record's count of entries in all, when it should differ from the count on disk. */
  readonly total?: number;
  /** The end record's comment, and the length it says (its true length by default). */
  readonly comment?: Buffer;
  readonly commentLength?: number;
  /** Bytes after the end record and its comment. */
  readonly trailing?: Buffer;
}

/** A ZIP archive of `parts`, laid out as most writers do: local parts, directory, end record. */
export function writeZip(parts: readonly ZipPart[], options: ZipOptions = {}): Buffer {
  const body: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const raw = Buffer.from(part.content);
    const method = part.method ?? 8;
    const data = method === 8 ? deflateRawSync(raw) : raw;
    const name = Buffer.from(part.name);
    const sum = crc32(raw);
    const localExtra = part.local?.extra ?? Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(part.descriptor ? 8 : 0, 6);
    local.writeUInt16LE(part.local?.method ?? method, 8);
    local.writeUInt32LE(part.descriptor ? 0 : sum, 14);
    local.writeUInt32LE(part.local?.packed ?? (part.descriptor ? 0 : data.length), 18);
    local.writeUInt32LE(part.local?.size ?? (part.descriptor ? 0 : raw.length), 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    const trailer = Buffer.alloc(part.descriptor ? 16 : 0);
    if (part.descriptor) {
      trailer.writeUInt32LE(0x08074b50, 0);
      trailer.writeUInt32LE(sum, 4);
      trailer.writeUInt32LE(data.length, 8);
      trailer.writeUInt32LE(raw.length, 12);
    }
    const centralExtra = part.central?.extra ?? Buffer.alloc(0);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(part.descriptor ? 8 : 0, 8);
    central.writeUInt16LE(part.central?.method ?? method, 10);
    central.writeUInt32LE(sum, 16);
    central.writeUInt32LE(part.central?.packed ?? data.length, 20);
    central.writeUInt32LE(part.central?.size ?? raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(centralExtra.length, 30);
    central.writeUInt32LE(offset, 42);
    body.push(local, name, localExtra, data, trailer);
    directory.push(central, name, centralExtra);
    offset += local.length + name.length + localExtra.length + data.length + trailer.length;
  }
  const cd = Buffer.concat(directory);
  const comment = options.comment ?? Buffer.alloc(0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.disks?.[0] ?? 0, 4);
  end.writeUInt16LE(options.disks?.[1] ?? 0, 6);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(options.total ?? parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(options.commentLength ?? comment.length, 20);
  return Buffer.concat([...body, cd, end, comment, options.trailing ?? Buffer.alloc(0)]);
}

/** A ZIP64 extended-information extra field giving a part's unpacked and packed sizes. */
export function zip64Extra(size: number, packed: number): Buffer {
  const extra = Buffer.alloc(20);
  extra.writeUInt16LE(1, 0);
  extra.writeUInt16LE(16, 2);
  extra.writeBigUInt64LE(BigInt(size), 4);
  extra.writeBigUInt64LE(BigInt(packed), 12);
  return extra;
}

/** The parts of a smallest .xlsx: one sheet "s" of `rows`, its text as inline strings. */
export function xlsxParts(rows: readonly (readonly string[])[]): ZipPart[] {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const cells = rows
    .map(
      (row, r) =>
        `<row r="${r + 1}">${row
          .map(
            (v, c) =>
              `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`,
          )
          .join('')}</row>`,
    )
    .join('');
  const ns = 'http://schemas.openxmlformats.org';
  const rel = `${ns}/officeDocument/2006/relationships`;
  return [
    {
      name: '[Content_Types].xml',
      content:
        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${ns}/package/2006/content-types">` +
        `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
        `<Default Extension="xml" ContentType="application/xml"/>` +
        `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
        `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
        `</Types>`,
    },
    {
      name: '_rels/.rels',
      content:
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      content:
        `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${rel}">` +
        `<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      content:
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      content:
        `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}/spreadsheetml/2006/main">` +
        `<sheetData>${cells}</sheetData></worksheet>`,
    },
  ];
}
