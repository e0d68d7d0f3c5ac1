// The compression codecs Kafka defines, for kafkajs, which reads and writes
// only gzip by itself: a batch another client wrote with snappy, lz4 or zstd
// (librdkafka, the Java client) failed to decode on every fetch, and its
// partition never advanced. Pure JavaScript or WebAssembly shipped inside the
// package, so nothing is compiled or downloaded at install.
//
// Each codec reads every form a Kafka client writes:
//   snappy  the xerial framing of the Java client ("\x82SNAPPY\0", then
//           length-prefixed blocks) and the raw snappy of librdkafka; written
//           in the xerial framing, as the Java client writes it.
//   lz4     the LZ4 frame format (KIP-57: record batch v2 has the correct
//           header checksum), independent or linked blocks, with or without
//           checksums and content size; written with independent 64 KiB
//           blocks, the only kind the Java client reads.
//   zstd    standard zstd frames, with or without their content size (the
//           Java client and librdkafka stream, so theirs have none).
// Checksums inside lz4 frames are not verified: the record batch's CRC-32C
// already covers the compressed bytes, and the broker checked it.
import kafkajs from 'kafkajs';
import snappyjs from 'snappyjs';
import lz4js from 'lz4js';
import { decompress as zstdDecompressFrames } from 'fzstd';
import { compress as zstdCompressFrame, init as initZstdWasm } from '@bokuweb/zstd-wasm';

// kafkajs is CommonJS, and Node finds only some of its exports by name (not these).
const { CompressionCodecs, CompressionTypes } = kafkajs;

// ------------------------------------------------------------------ snappy

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
/** Magic, then version and compatible version (both 1), as snappy-java writes them. */
const XERIAL_HEADER = Buffer.concat([XERIAL_MAGIC, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])]);
/** snappy-java's default block: 32 KiB of uncompressed input per block. */
const XERIAL_BLOCK_BYTES = 32 * 1024;

function startsWithXerialMagic(data: Buffer, at: number): boolean {
  return data.length - at >= XERIAL_MAGIC.length && data.subarray(at, at + XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

/** Snappy in the xerial framing, 32 KiB blocks: what the Java client writes and every client reads. */
export function snappyCompress(data: Buffer): Buffer {
  const parts: Buffer[] = [XERIAL_HEADER];
  for (let at = 0; at < data.length; at += XERIAL_BLOCK_BYTES) {
    const block = snappyjs.compress(data.subarray(at, at + XERIAL_BLOCK_BYTES));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(block.length);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

/** Xerial-framed snappy (the Java client) or raw snappy (librdkafka). */
export function snappyDecompress(data: Buffer): Buffer {
  if (!startsWithXerialMagic(data, 0)) return Buffer.from(snappyjs.uncompress(data));
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    // snappy-java reads streams written one after another as one: a header may come again.
    if (startsWithXerialMagic(data, at)) {
      at += XERIAL_HEADER.length;
      continue;
    }
    if (data.length - at < 4) throw new RangeError(`snappy: a xerial block length is cut short at byte ${at} of ${data.length}`);
    const length = data.readUInt32BE(at);
    at += 4;
    if (length > data.length - at) throw new RangeError(`snappy: a xerial block of ${length} bytes at byte ${at} runs past the end (${data.length})`);
    parts.push(Buffer.from(snappyjs.uncompress(data.subarray(at, at + length))));
    at += length;
  }
  return Buffer.concat(parts);
}

// --------------------------------------------------------------------- lz4

const LZ4_MAGIC = 0x184d2204;
/** Version 01, blocks independent; no block checksums, content size or content checksum (as the Java client). */
const LZ4_FLG = 0x60;
/** Largest block 64 KiB (block-size id 4), the Java client's choice. */
const LZ4_BD = 0x40;
const LZ4_BLOCK_BYTES = 64 * 1024;
const LZ4_UNCOMPRESSED = 0x80000000;
// Magic, FLG, BD, then the header checksum: xxh32 of FLG and BD, second byte (KIP-57),
// 0x82 for these two (the lz4 tool writes the same header for `-B4 -BI --no-frame-crc`).
const LZ4_HEADER = Buffer.from([0x04, 0x22, 0x4d, 0x18, LZ4_FLG, LZ4_BD, 0x82]);

/** An LZ4 frame of independent 64 KiB blocks; a block that does not shrink is stored as it is. */
export function lz4Compress(data: Buffer): Buffer {
  const parts: Buffer[] = [LZ4_HEADER];
  const scratch = Buffer.alloc(lz4js.compressBound(LZ4_BLOCK_BYTES));
  for (let at = 0; at < data.length; at += LZ4_BLOCK_BYTES) {
    const block = data.subarray(at, at + LZ4_BLOCK_BYTES);
    // A fresh hash table per block keeps every match inside its block: that is what "independent" means.
    const size = lz4js.compressBlock(block, scratch, 0, block.length, new Uint32Array(1 << 16));
    const stored = size === 0 || size >= block.length;
    const length = Buffer.alloc(4);
    length.writeUInt32LE(stored ? (LZ4_UNCOMPRESSED | block.length) >>> 0 : size);
    parts.push(length, Buffer.from(stored ? block : scratch.subarray(0, size)));
  }
  parts.push(Buffer.alloc(4)); // end mark
  return Buffer.concat(parts);
}

/** Largest block by the block-size id in BD: 4 → 64 KiB … 7 → 4 MiB. */
const LZ4_BLOCK_SIZES: Record<number, number> = { 4: 0x10000, 5: 0x40000, 6: 0x100000, 7: 0x400000 };

/**
 * Any LZ4 frame: independent or linked blocks (one output buffer, so a block
 * may refer back into the one before), stored blocks, block checksums,
 * content size and checksum, dictionary id. lz4js decodes each block; its own
 * frame reader misplaces block checksums, so the frame is read here.
 */
export function lz4Decompress(data: Buffer): Buffer {
  if (data.length < 7 || data.readUInt32LE(0) !== LZ4_MAGIC) throw new RangeError('lz4: not an LZ4 frame (no magic number 0x184D2204)');
  const flg = data[4]!;
  const bd = data[5]!;
  if ((flg & 0xc0) !== 0x40) throw new RangeError(`lz4: frame version ${flg >> 6} is not 1`);
  const maxBlock = LZ4_BLOCK_SIZES[(bd >> 4) & 7];
  if (maxBlock === undefined) throw new RangeError(`lz4: block-size id ${(bd >> 4) & 7} is not 4..7`);
  const blockChecksums = (flg & 0x10) !== 0;
  const contentSize = (flg & 0x08) !== 0 ? Number(data.readBigUInt64LE(6)) : undefined;
  let at = 6 + (contentSize === undefined ? 0 : 8) + ((flg & 0x01) !== 0 ? 4 : 0) + 1;

  const blocks: { start: number; length: number; stored: boolean }[] = [];
  let bound = 0;
  for (;;) {
    if (data.length - at < 4) throw new RangeError(`lz4: the frame ends at byte ${data.length} without its end mark`);
    const word = data.readUInt32LE(at);
    at += 4;
    if (word === 0) break;
    const stored = (word & LZ4_UNCOMPRESSED) !== 0;
    const length = word & 0x7fffffff;
    if (length > data.length - at) throw new RangeError(`lz4: a block of ${length} bytes at byte ${at} runs past the end (${data.length})`);
    blocks.push({ start: at, length, stored });
    bound += stored ? length : maxBlock;
    at += length + (blockChecksums ? 4 : 0);
  }

  const out = Buffer.alloc(contentSize ?? bound);
  let written = 0;
  for (const { start, length, stored } of blocks) {
    if (stored) written += data.copy(out, written, start, start + length);
    else written = lz4js.decompressBlock(data, out, start, length, written);
  }
  return out.subarray(0, written);
}

// -------------------------------------------------------------------- zstd

let zstdReady: Promise<void> | undefined;

/** A zstd frame at level 3 (zstd's and librdkafka's default), with its content size. */
export async function zstdCompress(data: Buffer): Promise<Buffer> {
  // The WebAssembly module is compiled once, on first use.
  await (zstdReady ??= initZstdWasm());
  const out = zstdCompressFrame(data, 3);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** zstd frames, with or without a content size: fzstd grows its output block by block. */
export function zstdDecompress(data: Buffer): Buffer {
  const out = zstdDecompressFrames(data);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

// ----------------------------------------------------------------- kafkajs

type KafkaCodec = { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };

const snappyCodec: KafkaCodec = { compress: async ({ buffer }) => snappyCompress(buffer), decompress: async (buffer) => snappyDecompress(buffer) };
const lz4Codec: KafkaCodec = { compress: async ({ buffer }) => lz4Compress(buffer), decompress: async (buffer) => lz4Decompress(buffer) };
const zstdCodec: KafkaCodec = { compress: ({ buffer }) => zstdCompress(buffer), decompress: async (buffer) => zstdDecompress(buffer) };

/**
 * Gives kafkajs the snappy, lz4 and zstd codecs (it has gzip). kafkajs keeps
 * codecs in one process-wide table, so this sets the same entries each time
 * it is called: idempotent, and createKafka calls it for every client.
 */
export function registerCodecs(): void {
  CompressionCodecs[CompressionTypes.Snappy] = () => snappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = () => lz4Codec;
  CompressionCodecs[CompressionTypes.ZSTD] = () => zstdCodec;
}
