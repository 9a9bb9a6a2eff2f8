import { execFileSync } from "node:child_process";

/** Whether `python3` runs here and can import `module` (tests that use Python skip, and say so, without it). */
export function hasPythonModule(module: string): boolean {
  try {
    execFileSync("python3", ["-c", `import ${module}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
