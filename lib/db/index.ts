/** lib/db: the only module that touches IndexedDB (through Dexie). */
export * from "./schema";
export * from "./records";
export * from "./restore";
export * from "./errors";
export * from "./ranges";
export * from "./chunk-layout";
export * from "./series-meta";
export * from "./candles";
export * from "./jobs";
export * from "./datasets";
export * from "./runs";
export * from "./settings";
export * from "./storage-quota";
export * from "./live-records";
export * from "./live";
export * from "./alt";
