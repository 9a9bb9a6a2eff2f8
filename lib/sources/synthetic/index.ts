export * from "./market";
export * from "./alt";
export { Rng, hashSeed } from "./random";
