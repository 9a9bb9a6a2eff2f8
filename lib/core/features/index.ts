export * from "./alt-series";
export * from "./align";
export * from "./compute";
export * from "./context";
export * from "./presets";
export * from "./regime";
export * from "./registry";
