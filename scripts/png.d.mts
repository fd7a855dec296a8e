export function crc32(bytes: Uint8Array): number;
export function chunk(type: string, data: Uint8Array): Buffer;
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer;
