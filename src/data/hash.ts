// Fast non-cryptographic content hashes, for duplicate detection and image identity.

/** 64-bit FNV-1a of the bytes as 16 hex digits (two 32-bit lanes with different seeds). */
export function hashBytes(bytes: ArrayLike<number>): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i], 0x01000193);
    b = Math.imul(b ^ bytes[i] ^ (i & 0xff), 0x01000193 + 2 * 0x100);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
