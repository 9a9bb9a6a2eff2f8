// Copies the tfjs wasm binaries into public/ so the app serves them itself (never from a CDN).
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";

const from = path.join("node_modules", "@tensorflow", "tfjs-backend-wasm", "dist");
// Served at WASM_BASE (lib/models/wasm-base.ts): change both together.
const to = path.join("public", "tfjs-wasm");
mkdirSync(to, { recursive: true });
let copied = 0;
for (const name of readdirSync(from)) {
  if (name.endsWith(".wasm")) {
    cpSync(path.join(from, name), path.join(to, name));
    copied++;
  }
}
if (copied === 0) throw new Error(`no .wasm files found in ${from}`);
console.log(`copied ${copied} tfjs wasm binaries to ${to}`);
