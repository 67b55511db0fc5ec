/**
 * A disk that fills up, for the run directory's writer seam (runFiles.ts):
 * node:fs, except that only `room` more bytes fit. The write that crosses
 * the limit is short (as a real disk's is), the next one fails with ENOSPC;
 * giving room back lets writes through again. Every `chop`-th write is cut
 * short too, room or not (as a signal can cut one): a writer must carry on
 * where it was cut, and count only what was written.
 */
import { nodeFs, type RunFs } from "../../src/runtime/runFiles.ts";

/** node:fs with a limited amount of room left. */
export class FillingDisk implements RunFs {
  /** Bytes written so far. */
  written = 0;
  private writes = 0;

  /**
   * @param room Bytes that fit before the disk is full (Infinity: never).
   * @param chop Every this many writes, one writes only half of what it was given.
   */
  constructor(
    public room: number,
    private readonly chop = 7,
  ) {}

  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number {
    if (this.room <= 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28 });
    const cut = ++this.writes % this.chop === 0 ? Math.ceil(length / 2) : length;
    const n = Math.min(cut, this.room);
    const wrote = nodeFs.writeSync(fd, buffer, offset, n);
    this.room -= wrote;
    this.written += wrote;
    return wrote;
  }

  mkdirSync = nodeFs.mkdirSync;
  openSync = nodeFs.openSync;
  fsyncSync = nodeFs.fsyncSync;
  closeSync = nodeFs.closeSync;
  truncateSync = nodeFs.truncateSync;
  renameSync = nodeFs.renameSync;
  rmSync = nodeFs.rmSync;
}
