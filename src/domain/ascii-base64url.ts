/**
 * base64url (RFC 4648 §5, no padding) of ASCII text, the spelling of ids and cursors. Written
 * out rather than through Buffer: a bulk write decodes a hundred ids and a dashboard encodes one
 * per node, and two Buffers per id cost several times the work of the id itself. Equal, for
 * ASCII text, to `Buffer.from(text).toString('base64url')` and its inverse (a property test holds
 * them to it).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Each character code's 6-bit value, or -1 outside the alphabet. */
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** The encoding of `text`, whose every character must be ASCII (ids, cursors). */
export function encodeAscii(text: string): string {
  let out = '';
  let i = 0;
  for (; i + 2 < text.length; i += 3) {
    const n = (text.charCodeAt(i) << 16) | (text.charCodeAt(i + 1) << 8) | text.charCodeAt(i + 2);
    out +=
      ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  if (text.length - i === 1) {
    const n = text.charCodeAt(i) << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (text.length - i === 2) {
    const n = (text.charCodeAt(i) << 16) | (text.charCodeAt(i + 1) << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * The ASCII text `encoded` spells, or null unless `encoded` is exactly what `encodeAscii` makes
 * of some ASCII text: a character outside the alphabet, padding, a length no encoding has, spare
 * bits that are not zero or a decoded byte over 127 all make null (Node's decoder would skip or
 * drop them, so two spellings would name one object).
 */
export function decodeAscii(encoded: string): string | null {
  const length = encoded.length;
  if (length % 4 === 1) return null;
  let out = '';
  let bits = 0;
  let buffered = 0;
  for (let i = 0; i < length; i++) {
    const code = encoded.charCodeAt(i);
    const value = code < 128 ? VALUES[code]! : -1;
    if (value < 0) return null;
    bits = (bits << 6) | value;
    buffered += 6;
    if (buffered >= 8) {
      buffered -= 8;
      const byte = (bits >> buffered) & 0xff;
      if (byte > 127) return null;
      out += String.fromCharCode(byte);
      bits &= (1 << buffered) - 1;
    }
  }
  // What is left over is the last character's spare bits: zero in the one true spelling.
  return bits === 0 ? out : null;
}

/** `pattern` matched against the text `encoded` spells (see decodeAscii), or null. */
export function matchDecoded(encoded: string, pattern: RegExp): RegExpExecArray | null {
  const decoded = decodeAscii(encoded);
  return decoded === null ? null : pattern.exec(decoded);
}
