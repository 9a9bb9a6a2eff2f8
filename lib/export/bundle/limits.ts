import type { ZipLimits } from "../zip/bounded-unzip";

/**
 * How large a model bundle may be, in one place. The largest models the studio's forms allow
 * weigh 19.6 MB (Transformer d_model 256, 6 blocks, ff 1024, patch 1, 42 features: 4.9M float32
 * weights) and 5.4 MB (LSTM 256 units × 3 layers), measured with buildModel + countParams; the
 * guide's 200-tree depth-20 forest is ~1.5 MB of forest.bin (0.30 MB per 40 trees, measured in
 * lib/models/forest/serialize.ts). An entry limit of 128 MB leaves 6× room over the largest
 * Transformer and room for a 2,000-tree forest on ~8× the measured data; ONNX copies of every
 * model fit in the 256 MB total. Anything beyond is not a studio bundle: the limits exist so that
 * a ZIP bomb (issue 17: four 500 MB zero-filled entries in 1.96 MB) is refused from its
 * directory, before anything is inflated.
 */
export const BUNDLE_LIMITS = {
  /** The .zip file itself, checked on `file.size` before it is read. */
  maxFileBytes: 256 * 1024 * 1024,
  /** Entries in the ZIP (a bundle has 12 at most). */
  maxEntries: 64,
  /** Declared inflated size of any one entry. */
  maxEntryBytes: 128 * 1024 * 1024,
  /** Declared inflated size of all entries together. */
  maxTotalBytes: 256 * 1024 * 1024,
  /**
   * Declared inflated size of a JSON entry (manifest, model.json, golden.json, inputs.json):
   * JSON.parse takes several times its text in memory. A guide-sized bundle's largest is
   * golden.json at 1.47 MB (32 cases of 120 × 42 features with their candles); 32 MB is 22× that.
   */
  maxJsonBytes: 32 * 1024 * 1024,
} as const satisfies ZipLimits & { maxFileBytes: number; maxJsonBytes: number };
