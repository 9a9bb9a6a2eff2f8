// Types of serve.mjs for the TypeScript that imports it (tests).
import type { Server } from "node:http";

export declare const SECURITY_HEADERS: Readonly<Record<string, string>>;
export declare function readPolicies(root: string): Record<string, string>;
export declare function createStudioServer(options: { root: string; policies: Record<string, string> }): Server;
