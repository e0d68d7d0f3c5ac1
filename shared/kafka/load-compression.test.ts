import { describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { COMPRESSIONS, loadCompression } from './load-compression.ts';

describe('loadCompression', () => {
  it('is none when DAUNTLESS_KAFKA_COMPRESSION is unset or empty', () => {
    expect(loadCompression({})).toBe('none');
    expect(loadCompression({ DAUNTLESS_KAFKA_COMPRESSION: ' ' })).toBe('none');
  });

  it('takes each codec Kafka has, in any case, and maps it to kafkajs', () => {
    expect(['none', 'gzip', 'snappy', 'lz4', 'ZSTD'].map((name) => loadCompression({ DAUNTLESS_KAFKA_COMPRESSION: name }))).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    expect(COMPRESSIONS.zstd).toBe(kafkajs.CompressionTypes.ZSTD);
  });

  it('refuses another name with a sentence that lists the ones it takes', () => {
    expect(() => loadCompression({ DAUNTLESS_KAFKA_COMPRESSION: 'brotli' })).toThrow(
      'DAUNTLESS_KAFKA_COMPRESSION=brotli is not a codec Kafka has: write one of none, gzip, snappy, lz4, zstd (default none), or leave it unset.',
    );
    expect(() => loadCompression({ DAUNTLESS_KAFKA_COMPRESSION: 'toString' })).toThrow(/not a codec/);
  });
});
