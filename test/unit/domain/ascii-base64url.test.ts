import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAscii, encodeAscii } from '../../../src/domain/ascii-base64url.js';
import { fromGlobalId, toGlobalId } from '../../../src/domain/global-id.js';
import { changeCursor, cursorId, itemCursor } from '../../../src/graphql/resolvers/ids.js';
import { deliveryId, hookId, parseId } from '../../../src/graphql/webhooks/webhook.types.js';
import { itemIdOfRef, itemRef } from '../../../src/sheets/item-ref.js';

/** What the ids and cursors were spelled with before: Node's Buffer. */
const bufferEncode = (text: string) => Buffer.from(text).toString('base64url');
/** The old acceptance rule: Node's decoding, kept only when it spells the input back. */
const bufferDecode = (encoded: string): string | null => {
  const text = Buffer.from(encoded, 'base64url').toString('utf8');
  return /^[\x00-\x7f]*$/.test(text) && bufferEncode(text) === encoded ? text : null;
};

const ascii = fc.string({
  unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)),
});
/** Strings near the alphabet: its characters, padding, a few outside it and some non-ASCII. */
const nearAlphabet = fc.string({
  unit: fc.constantFrom(
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .é中',
  ),
  maxLength: 24,
});

describe('ASCII base64url', () => {
  it('encodes as Buffer does', () => {
    fc.assert(
      fc.property(ascii, (text) => encodeAscii(text) === bufferEncode(text)),
      {
        numRuns: 2000,
      },
    );
  });

  it('decodes every encoding back to its text', () => {
    fc.assert(
      fc.property(ascii, (text) => decodeAscii(encodeAscii(text)) === text),
      {
        numRuns: 2000,
      },
    );
  });

  it('accepts exactly the strings Buffer decodes and spells back the same way', () => {
    fc.assert(
      fc.property(nearAlphabet, (s) => decodeAscii(s) === bufferDecode(s)),
      {
        numRuns: 5000,
      },
    );
  });

  it('refuses other spellings of the same bytes', () => {
    const id = encodeAscii('Item:42'); // "SXRlbTo0Mg": two spare bits after the last byte
    expect(decodeAscii(id)).toBe('Item:42');
    expect(decodeAscii(`${id}==`)).toBeNull(); // padding
    expect(decodeAscii(`${id.slice(0, -1)}h`)).toBeNull(); // same bytes, spare bits set
    expect(decodeAscii(`${id}AAA`)).toBeNull(); // a length no encoding has
    expect(decodeAscii(encodeAscii('Item:42').replace('S', '+'))).toBeNull(); // base64, not url
  });

  it('keeps global ids as they were spelled', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Initiative' as const, 'Workstream' as const, 'Item' as const),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (type, id) => {
          const globalId = toGlobalId(type, id);
          expect(globalId).toBe(bufferEncode(`${type}:${id}`));
          expect(fromGlobalId(globalId)).toEqual(id < 1e15 ? { type, id } : null);
        },
      ),
    );
  });

  it('gives every opaque id and cursor one spelling', () => {
    // The same bytes with the spare bits of the last character set: Node's decoder drops them.
    const respelled = (id: string) => {
      const last = id.charCodeAt(id.length - 1);
      return `${id.slice(0, -1)}${String.fromCharCode(last + 1)}`;
    };
    const kinds: [(n: number) => string, (s: string) => number | null][] = [
      [(n) => toGlobalId('Item', n), (s) => fromGlobalId(s, 'Item')?.id ?? null],
      [itemRef, itemIdOfRef],
      [itemCursor, (s) => cursorId(s, 'cursor')],
      [changeCursor, (s) => cursorId(s, 'change')],
      [hookId, (s) => parseId(s, 'Webhook')],
      [deliveryId, (s) => parseId(s, 'WebhookDelivery')],
    ];
    for (const [make, parse] of kinds) {
      // A number whose id ends in a partial group, so its last character has spare bits.
      const n = [42, 420, 4200].find((k) => make(k).length % 4 !== 0)!;
      const id = make(n);
      expect(parse(id)).toBe(n);
      expect(Buffer.from(respelled(id), 'base64url')).toEqual(Buffer.from(id, 'base64url'));
      expect(parse(respelled(id))).toBeNull();
      expect(parse(`${id}=`)).toBeNull();
    }
  });
});
