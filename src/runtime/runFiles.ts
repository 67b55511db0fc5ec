/**
 * How a run directory's files are written: through a small file-system
 * interface ({@link RunFs}, node:fs by default, a test's faulty disk in
 * tests), with every failure turned into a {@link RunWriteError} that names
 * the file. Whole writes only: a short write (a disk filling up hands back
 * fewer bytes before it fails) is continued until the text is written or
 * the disk says why not, so no byte count ever runs ahead of the file.
 * @module
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, truncateSync, writeSync } from "node:fs";

/** The file operations a run directory uses (node:fs's, synchronous). */
export interface RunFs {
  mkdirSync(path: string, options: { recursive: true }): unknown;
  openSync(path: string, flags: "w" | "a"): number;
  /** Writes up to `length` bytes of `buffer` from `offset`; returns how many it wrote. */
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  truncateSync(path: string, length: number): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options: { force: true }): void;
}

/** The real file system. */
export const nodeFs: RunFs = { mkdirSync, openSync, writeSync, fsyncSync, closeSync, truncateSync, renameSync, rmSync };

/**
 * A file of a run directory could not be written (a full disk: ENOSPC; no
 * permission; …). The run stops there; the files on disk are whole (each
 * replaced atomically), and a NUTS run's checkpoints never run ahead of its
 * CSVs, so once the cause is gone `--resume` continues the run from them.
 */
export class RunWriteError extends Error {
  override readonly name = "RunWriteError";
  constructor(
    /** The file (or directory) being written. */
    readonly path: string,
    /** The system's error code (`ENOSPC`, `EACCES`, …), when it gave one. */
    readonly code: string | undefined,
    override readonly cause: unknown,
    /** Whether the run can be continued with `--resume` (the message then says so). */
    readonly resumable = false,
  ) {
    const why = code === "ENOSPC" ? "no space left on the device (ENOSPC)" : cause instanceof Error ? cause.message : String(cause);
    const next = resumable ? "; the run stopped, its last checkpoints are whole: continue it with --resume once this is fixed" : "";
    super(`cannot write ${path}: ${why}${next}`);
  }
}

/** Runs `op` on `path`, turning what it throws into a {@link RunWriteError} naming `path`. */
export function writing<T>(path: string, op: () => T): T {
  try {
    return op();
  } catch (e) {
    if (e instanceof RunWriteError) throw e;
    throw new RunWriteError(path, (e as NodeJS.ErrnoException | undefined)?.code, e);
  }
}

/** Writes all of `bytes` to `fd` (the file at `path`), continuing after short writes; a write of nothing is a full disk. */
export function writeAll(fs: RunFs, fd: number, path: string, bytes: Uint8Array): void {
  writing(path, () => {
    for (let at = 0; at < bytes.length;) {
      const n = fs.writeSync(fd, bytes, at, bytes.length - at);
      if (n <= 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      at += n;
    }
  });
}

/**
 * Writes a file so that readers see either its old or its new content,
 * never part of it: to `<path>.tmp`, then renamed over `path`. When the
 * write fails the temporary file is removed and `path` keeps its old
 * content.
 */
export function writeAtomically(path: string, text: string, fs: RunFs = nodeFs): void {
  const tmp = `${path}.tmp`;
  writing(path, () => {
    try {
      const fd = fs.openSync(tmp, "w");
      try {
        writeAll(fs, fd, path, Buffer.from(text));
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, path);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  });
}
