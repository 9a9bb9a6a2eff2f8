/** The collector: resumable Binance collection, file import and synthetic storage into lib/db. */
export * from "./types";
export * from "./collect";
export * from "./import";
export * from "./lock";
export * from "./progress";
export * from "./binance-fetcher";
export * from "./alt";
