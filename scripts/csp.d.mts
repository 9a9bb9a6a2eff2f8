// Types of csp.mjs for the TypeScript that imports it (tests, e2e).
export interface InlineHashes {
  scripts: string[];
  styles: string[];
  styleAttributes: string[];
}
export declare const CONNECT_SOURCES: readonly string[];
export declare const BASE_DIRECTIVES: Readonly<Record<string, readonly string[]>>;
export declare const CSP_MANIFEST: string;
export declare const DEFAULT_POLICY_KEY: string;
export declare const NO_INLINE: InlineHashes;
export declare function sha256Source(text: string): string;
export declare function inlineHashes(html: string): InlineHashes;
export declare function buildPolicy(hashes: InlineHashes, delivery: "header" | "meta"): string;
export declare function withMetaPolicy(html: string, policy: string): string;
