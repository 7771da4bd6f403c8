/**
 * CRC-32C (Castagnoli polynomial, reflected 0x82F63B78), the checksum of TFRecord framing.
 * Table-driven, one byte at a time; fast enough for log records of a few hundred bytes.
 */

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32C of `data` as an unsigned 32-bit integer.
 * Known vector: `crc32c(Buffer.from('123456789')) === 0xe3069283`.
 */
export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * TFRecord's masked CRC-32C: `((crc >>> 15) | (crc << 17)) + 0xa282ead8` modulo 2^32.
 * Masking keeps a CRC of data that itself contains CRCs from being weak.
 */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
