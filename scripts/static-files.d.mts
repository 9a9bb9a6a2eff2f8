// Types of static-files.mjs for the TypeScript that imports it (bench/run.ts, tests).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";

export declare const CONTENT_TYPES: Readonly<Record<string, string>>;
export declare function pathSegments(target: string): string[] | null;
export declare function sendStream(source: Readable, res: ServerResponse): void;
export interface StaticOptions {
  root: string;
  mounts?: Record<string, string>;
  headersFor?: (file: string | null) => Record<string, string>;
}
export declare function createStaticHandler(
  options: StaticOptions,
): (req: IncomingMessage, res: ServerResponse) => void;
