/**
 * A real terminal for tests that check output as a person sees it: a command
 * runs in a detached tmux session of fixed size on a private tmux server, and
 * the test reads what it shows (the emulator's rendering, escape codes applied).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDebianPackage } from "./debian.ts";

/** A command running in a tmux pane. */
export interface Terminal {
  /**
   * The text shown now, scrollback then screen, as lines: rows the terminal
   * wrapped are joined, trailing blanks trimmed (blank rows are kept).
   */
  lines(): string[];
  /** Polls {@link lines} until `ready` holds, and returns them; throws with the last lines after `timeoutMs`. */
  waitFor(ready: (lines: string[]) => boolean, timeoutMs?: number): Promise<string[]>;
  /** The command's exit status once it has ended, undefined while it runs. */
  exitStatus(): number | undefined;
  /** Ends the session and its tmux server. */
  kill(): void;
}

/**
 * Runs `command` (a shell command line) in `cwd` on a new terminal of `cols`
 * × `rows`. The pane stays after the command ends, so what it showed last can
 * be read.
 */
export function openTerminal(command: string, cwd: string, cols = 120, rows = 30): Terminal {
  ensureDebianPackage("tmux", ["tmux", "-V"]);
  // A server of our own (-L) without the user's configuration (-f): nothing else shares or shapes this terminal.
  const socket = `sampo-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
  const name = "t";
  // One tmux invocation: remain-on-exit is on before the server handles the command's exit, however fast it ends.
  // The shell keeps the exit status in a file: tmux's #{pane_dead_status} is at times left unset.
  const statusFile = join(tmpdir(), `${socket}.status`);
  const line = `${command}; echo $? > '${statusFile}'`;
  const size = ["-x", String(cols), "-y", String(rows)];
  tmux("new-session", "-d", "-s", name, ...size, "-c", cwd, line, ";", "set-option", "-t", name, "remain-on-exit", "on");
  // -S -: from the start of the scrollback, where lines pushed off the top go; -J: wrapped rows as one line.
  const lines = () =>
    tmux("capture-pane", "-p", "-J", "-S", "-", "-t", name)
      .replace(/\n$/, "")
      .split("\n")
      .map((r) => r.trimEnd());
  return {
    lines,
    async waitFor(ready, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const shown = lines();
        if (ready(shown)) return shown;
        if (Date.now() > end)
          throw new Error(`the terminal did not show what was awaited in ${timeoutMs} ms; it shows:\n${shown.join("\n")}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exitStatus() {
      const status = existsSync(statusFile) ? readFileSync(statusFile, "utf8").trim() : "";
      return status === "" ? undefined : Number(status);
    },
    kill() {
      try {
        tmux("kill-server");
      } catch {
        // already gone
      }
      rmSync(statusFile, { force: true });
    },
  };
}
