import { isUtf8 } from 'node:buffer';

/**
 * Where `bytes` stop being UTF-8: the index of the first byte that is not part of a well-formed
 * sequence (overlong forms, surrogates and code points above U+10FFFF included), or -1.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number;
    if (lead >= 0xc2 && lead <= 0xdf) [length, min] = [2, 0x80];
    else if (lead >= 0xe0 && lead <= 0xef) [length, min] = [3, 0x800];
    else if (lead >= 0xf0 && lead <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    let code = lead & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += length;
  }
  return -1;
}

/** The text of `bytes` when they are UTF-8; otherwise where they are not, as an offset into the text before it. */
export function decodeUtf8(bytes: Buffer): { text: string } | { invalidAt: number; byte: number; text: string } {
  const bad = firstInvalidUtf8(bytes);
  const text = bytes.toString('utf8');
  if (bad < 0) return { text };
  return { invalidAt: bytes.subarray(0, bad).toString('utf8').length, byte: bytes[bad]!, text };
}

/** The message for text that is not UTF-8. */
export function notUtf8Message(byte: number): string {
  return `not UTF-8: byte 0x${byte.toString(16).padStart(2, '0')} is no UTF-8 character; save the file as UTF-8`;
}
