export * from "./errors";
export * from "./weight";
export * from "./http";
export * from "./klines";
export * from "./exchangeInfo";
export * from "./alt";
export * from "./validate";
export { sleep } from "./sleep";
