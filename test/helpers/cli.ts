/**
 * Runs the `sampo` command as a user does, in a child process.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

/** The repository's root. */
export const root = new URL("../../", import.meta.url).pathname;
/** The command's entry point. */
export const sampoJs = join(root, "bin/sampo.js");
const exec = promisify(execFile);

/** Runs `sampo …args` in `cwd` (the repository by default), from `bin` (this repository's by default); never throws on a non-zero exit. */
export async function sampo(args: string[], cwd = root, bin = sampoJs): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { cwd, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
