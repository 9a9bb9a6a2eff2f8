import { execFileSync } from "node:child_process";

/** Whether `python` runs here and can import `module` (tests that use Python skip, and say so, without it). */
export function hasPythonModule(module: string, python = "python3"): boolean {
  try {
    execFileSync(python, ["-c", `import ${module}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * A Python that can import every one of `modules`: `python3` first, then Debian's own
 * /usr/bin/python3 (apt's python3-pyarmnn installs there, which a pyenv `python3` does not see).
 * Null when none can.
 */
export function pythonWith(...modules: string[]): string | null {
  for (const python of ["python3", "/usr/bin/python3"])
    if (modules.every((m) => hasPythonModule(m, python))) return python;
  return null;
}
