import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import snappyjs from 'snappyjs';
import lz4js from 'lz4js';
import kafkajs from 'kafkajs';
import { lz4Compress, lz4Decompress, registerCodecs, snappyCompress, snappyDecompress, zstdCompress, zstdDecompress } from './codecs.ts';

const { CompressionCodecs, CompressionTypes } = kafkajs;

const small = Buffer.from('{"incidentId":"CAD-0001","boroughCode":"E09000022"}');
// 3 MB of varied bytes: many snappy (32 KiB) and lz4 (64 KiB) blocks, and more than a Kafka batch usually is.
const large = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `call ${(i * 7919) % 100_003} borough E09000${String(i % 33).padStart(3, '0')}; `).join(''));
const empty = Buffer.alloc(0);

describe('snappy', () => {
  it.each([
    ['empty', empty],
    ['small', small],
    ['large', large],
  ])('gives back a %s payload it compressed', (_, payload) => {
    expect(snappyDecompress(snappyCompress(payload)).equals(payload)).toBe(true);
  });

  it('writes the xerial framing of the Java client: magic, version 1, compatible version 1, then length-prefixed blocks of 32 KiB input', () => {
    const framed = snappyCompress(large);
    expect(framed.subarray(0, 16).equals(Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]))).toBe(true);
    const firstLength = framed.readUInt32BE(16);
    const firstBlock = Buffer.from(snappyjs.uncompress(framed.subarray(20, 20 + firstLength)));
    expect(firstBlock.equals(large.subarray(0, 32 * 1024))).toBe(true);
  });

  it('reads raw snappy, as librdkafka writes it', () => {
    expect(snappyDecompress(Buffer.from(snappyjs.compress(large))).equals(large)).toBe(true);
    expect(snappyDecompress(Buffer.from(snappyjs.compress(empty))).equals(empty)).toBe(true);
  });

  it('reads xerial framing built by hand, and two xerial streams one after the other as one', () => {
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
    const block = (text: string) => {
      const compressed = Buffer.from(snappyjs.compress(Buffer.from(text)));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(compressed.length);
      return Buffer.concat([length, compressed]);
    };
    expect(snappyDecompress(Buffer.concat([header, block('pre-arrival '), block('intelligence')])).toString()).toBe('pre-arrival intelligence');
    expect(snappyDecompress(Buffer.concat([header, block('top '), header, block('five')])).toString()).toBe('top five');
    expect(snappyDecompress(header).length).toBe(0);
  });

  it('says where a xerial block is cut short', () => {
    const framed = snappyCompress(small);
    expect(() => snappyDecompress(framed.subarray(0, framed.length - 3))).toThrow(/runs past the end/);
  });
});

describe('lz4', () => {
  it.each([
    ['empty', empty],
    ['small', small],
    ['large', large],
  ])('gives back a %s payload it compressed', (_, payload) => {
    expect(lz4Decompress(lz4Compress(payload)).equals(payload)).toBe(true);
  });

  it('writes the frame the Java client writes: independent blocks of at most 64 KiB, header checksum over the descriptor (KIP-57)', () => {
    const frame = lz4Compress(large);
    expect([...frame.subarray(0, 7)]).toEqual([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82]);
    const firstLength = frame.readUInt32LE(7) & 0x7fffffff;
    const out = Buffer.alloc(64 * 1024);
    // Independent: the first block decodes alone.
    const decoded = lz4js.decompressBlock(frame, out, 11, firstLength, 0);
    expect(out.subarray(0, decoded).equals(large.subarray(0, 64 * 1024))).toBe(true);
    expect(frame.subarray(-4).readUInt32LE(0)).toBe(0);
  });

  it('stores a block that does not shrink as it is', () => {
    const noise = randomBytes(5000);
    const frame = lz4Compress(noise);
    expect(frame.readUInt32LE(7) >>> 31).toBe(1);
    expect(lz4Decompress(frame).equals(noise)).toBe(true);
  });

  it('reads what the lz4 tool writes with linked blocks, block checksums, content size and content checksum', () => {
    // `node -e "process.stdout.write('dauntless pre-arrival intelligence '.repeat(6000))" | lz4 -BD -BX -B4 --content-size`
    const written = Buffer.from(LZ4_TOOL_LINKED, 'base64');
    expect(written[4]! & 0x20).toBe(0); // linked, not independent
    expect(lz4Decompress(written).toString()).toBe('dauntless pre-arrival intelligence '.repeat(6000));
  });

  it('says what is wrong with bytes that are not an LZ4 frame', () => {
    expect(() => lz4Decompress(Buffer.from('not lz4'))).toThrow(/not an LZ4 frame/);
    expect(() => lz4Decompress(lz4Compress(large).subarray(0, 5000))).toThrow(/runs past the end/);
  });
});

describe('zstd', () => {
  it.each([
    ['empty', empty],
    ['small', small],
    ['large', large],
  ])('gives back a %s payload it compressed', async (_, payload) => {
    expect(zstdDecompress(await zstdCompress(payload)).equals(payload)).toBe(true);
  });

  it('reads a frame without its content size, as streaming writers (librdkafka, the Java client) send', () => {
    // `node -e "process.stdout.write('victim at E09000022; '.repeat(50))" | zstd`: from a pipe, so no content size.
    const written = Buffer.from('KLUv/QRY7QAAqHZpY3RpbSBhdCBFMDkwMDAwMjI7IAEABcB/MgHUSIaT', 'base64');
    expect(written[4]! >> 6).toBe(0);
    expect(zstdDecompress(written).toString()).toBe('victim at E09000022; '.repeat(50));
  });
});

describe('registerCodecs', () => {
  it('gives kafkajs snappy, lz4 and zstd, each reading what it writes, and may be called again', async () => {
    registerCodecs();
    registerCodecs();
    for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD, CompressionTypes.GZIP] as const) {
      const codec = CompressionCodecs[type]();
      expect((await codec.decompress(await codec.compress({ buffer: large }))).equals(large)).toBe(true);
    }
  });
});

const LZ4_TOOL_LINKED = [
  'BCJNGFxAUDQDAAAAAABbLgEAAP8UZGF1bnRsZXNzIHByZS1hcnJpdmFsIGludGVsbGlnZW5jZSAjAP//////////////////////',
  '////////////////////////////////////////////////////////////////////////////////////////////////////',
  '////////////////////////////////////////////////////////////////////////////////////////////////////',
  '////////////////////////////////////////////////////////////////////////////////////////////////////',
  '///////////////////FUHJlLWFyfG0OSgoBAAAP8P//////////////////////////////////////////////////////////',
  '////////////////////////////////////////////////////////////////////////////////////////////////////',
  '////////////////////////////////////////////////////////////////////////////////////////////////////',
  '////////////////////////////////////////////////////////////////////////////////////6FBsaWdlbgvZ5e8u',
  'AQAA/xRjZSBkYXVudGxlc3MgcHJlLWFycml2YWwgaW50ZWxsaWdlbiMA////////////////////////////////////////////',
  '////////////////////////////////////////////////////////////////////////////////////////////////////',
  '////////////////////////////////////////////////////////////////////////////////////////////////////',
  '/////////////////////////////////////////////////////////////////////////////////////////////////8VQ',
  'cyBwcmXfySogPgAAAA/w//////////////////////////////////////////////////////////////////////9sUGVuY2Ug',
  'sVkNqQAAAACSYvFd',
].join('');
