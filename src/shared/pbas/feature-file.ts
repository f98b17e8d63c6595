// Size of the feature cache's files, shared by the engine that writes them and the estimate that plans disk for them.

/** Bytes in front of each cached feature file's values: magic, value count, CRC-32 of the values. */
export const FEATURE_FILE_HEADER_BYTES = 16

/** Bytes of one cached image's feature file holding `values` float32 values. */
export function featureFileBytes(values: number): number {
  return FEATURE_FILE_HEADER_BYTES + values * 4
}
