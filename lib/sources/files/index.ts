export * from "./errors";
export * from "./infer";
export * from "./csv";
export * from "./import";
export * from "./limits";
