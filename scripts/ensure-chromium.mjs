// The end-to-end tests drive Debian's Chromium (never a downloaded browser build).
import { existsSync } from "node:fs";
import { execSync } from "node:child_process";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.log(`${chromium} missing: installing Debian's chromium`);
  execSync("apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium", { stdio: "inherit" });
}
