/**
 * A real nats-server for a test file: Debian's package (installed when
 * missing), JetStream on, a free loopback port and a temporary store, so
 * that restarting it keeps its streams. And `sampo worker` processes, each
 * a separate process as on another machine.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, sampoJs } from "./cli.ts";
import { ensureDebianPackage } from "./debian.ts";

/** A running nats-server. */
export interface NatsServer {
  /** `nats://127.0.0.1:PORT`. */
  readonly url: string;
  /** Its store directory (JetStream's files). */
  readonly storeDir: string;
  /** Stops it (SIGTERM) and starts it again on the same port and store. */
  restart(pauseMs?: number): Promise<void>;
  /** Stops it and deletes its store. */
  stop(): Promise<void>;
}

/** A free loopback TCP port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts nats-server with `args`; resolves once it is ready to take clients, rejects with its log otherwise. */
function launch(args: readonly string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn("nats-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    const timer = setTimeout(() => {
      p.kill("SIGKILL");
      reject(new Error(`nats-server did not become ready in 15 s:\n${log}`));
    }, 15_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      if (log.includes("Server is ready")) {
        clearTimeout(timer);
        p.stdout?.off("data", onData);
        p.stderr?.off("data", onData);
        p.stdout?.resume();
        p.stderr?.resume();
        resolve(p);
      }
    };
    p.stdout?.on("data", onData);
    p.stderr?.on("data", onData);
    p.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with code ${code} before it was ready:\n${log}`));
    });
    p.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

const exited = (p: ChildProcess) =>
  new Promise<void>((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve() : p.once("exit", () => resolve())));

/**
 * Starts a nats-server with JetStream on a free loopback port. `config` is
 * the text of a configuration file (accounts, permissions, TLS), written
 * beside the store; the port and store are given on the command line.
 */
export async function startNatsServer(config?: string): Promise<NatsServer> {
  ensureDebianPackage("nats-server", ["nats-server", "--version"]);
  const dir = mkdtempSync(join(tmpdir(), "sampo-nats-"));
  const storeDir = join(dir, "store");
  const port = await freePort();
  const args = ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", storeDir];
  if (config !== undefined) {
    writeFileSync(join(dir, "server.conf"), config);
    args.push("-c", join(dir, "server.conf"));
  }
  let proc = await launch(args);
  return {
    url: `nats://127.0.0.1:${port}`,
    storeDir,
    async restart(pauseMs = 0) {
      proc.kill("SIGTERM");
      await exited(proc);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      proc = await launch(args);
    },
    async stop() {
      proc.kill("SIGTERM");
      await exited(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A `sampo worker` process and what it has logged. */
export interface WorkerProcess {
  readonly proc: ChildProcess;
  /** Its stderr so far. */
  log(): string;
  /** Resolves once its log contains `text`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Sends a signal and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `sampo worker --nats URL …args` as a separate process. */
export function startWorker(url: string, args: readonly string[] = []): WorkerProcess {
  const proc = spawn(process.execPath, [sampoJs, "worker", "--nats", url, ...args], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  const waiters = new Set<() => void>();
  proc.stderr?.on("data", (b: Buffer) => {
    log += b.toString();
    for (const w of waiters) w();
  });
  return {
    proc,
    log: () => log,
    waitFor(text, timeoutMs = 60_000) {
      const seen = () => (typeof text === "string" ? log.includes(text) : text.test(log));
      return new Promise((resolve, reject) => {
        if (seen()) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`worker did not log ${String(text)} in ${timeoutMs} ms; its log:\n${log}`));
        }, timeoutMs);
        const check = () => {
          if (!seen()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        // "close", not "exit": its last words on stderr may come after it exited.
        proc.once("close", () => {
          if (seen()) return;
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`worker exited before logging ${String(text)}; its log:\n${log}`));
        });
      });
    },
    async kill(signal = "SIGTERM") {
      proc.kill(signal);
      await exited(proc);
    },
  };
}
