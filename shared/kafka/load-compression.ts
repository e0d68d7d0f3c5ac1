// How producers compress what they send: DAUNTLESS_KAFKA_COMPRESSION, one of
// none, gzip, snappy, lz4, zstd (default none: uncompressed; consumers read
// all of them whatever this says). Read once at start-up with
// the service's config.
import kafkajs from 'kafkajs';
import { DauntlessError } from '../errors/dauntless-error.ts';

const { CompressionTypes } = kafkajs;

export const COMPRESSIONS = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
} as const;

export type CompressionName = keyof typeof COMPRESSIONS;

/** The codec producers use, from DAUNTLESS_KAFKA_COMPRESSION (default "none"). */
export function loadCompression(env: NodeJS.ProcessEnv = process.env): CompressionName {
  const raw = env.DAUNTLESS_KAFKA_COMPRESSION?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 'none';
  if (!Object.hasOwn(COMPRESSIONS, raw)) {
    throw new DauntlessError(
      'CONFIG_INVALID',
      `DAUNTLESS_KAFKA_COMPRESSION=${env.DAUNTLESS_KAFKA_COMPRESSION} is not a codec Kafka has: write one of ${Object.keys(COMPRESSIONS).join(', ')} (default none), or leave it unset.`,
    );
  }
  return raw as CompressionName;
}
