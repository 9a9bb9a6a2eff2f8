/** The four signal classes, in label order (label value = index). */
export const CLASS_NAMES = ["STRONG_SELL", "SELL", "BUY", "STRONG_BUY"] as const;
export type ClassName = (typeof CLASS_NAMES)[number];
export const NUM_CLASSES = CLASS_NAMES.length;
/** Label value for rows that have no label (no future yet, or excluded by the weak-zone rule). */
export const NO_LABEL = -1;
