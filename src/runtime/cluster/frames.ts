/**
 * A frame: one NATS message carrying a batch of one chain's items (see
 * `workers/protocol.ts`): its draws packed as float64, bit for bit, and its
 * other items (adapted, chainDone, checkpoints, an error) as lossless JSON.
 *
 * ```
 * u32 little-endian  n = length of the header
 * n bytes            header: { "v": 1, "width": …, "others": [{ "at": …, "item": … }] }
 * padding            to a multiple of 8 bytes
 * rest               the draws, float64 in the platform's byte order (little-endian
 *                    wherever Node runs), `width` numbers each
 * ```
 * One message per batch, not per draw: per-message costs (a publish
 * acknowledgement, the server's bookkeeping) then fall on many draws.
 * @module
 */
import { STAT_NAMES } from "../../inference/draws.ts";
import { losslessParse, losslessStringify } from "../../losslessJson.ts";
import { checkMessage, CodecError } from "../codec.ts";
import { type CheckpointItem, HEAD, type PackedBatch } from "../workers/protocol.ts";

/** The frame format's version. */
const FRAME_VERSION = 1;

/** A frame that cannot be read. */
export class FrameError extends Error {
  override readonly name = "FrameError";
}

/** The bytes of a batch. */
export function encodeFrame(batch: PackedBatch): Uint8Array {
  const header = new TextEncoder().encode(losslessStringify({ v: FRAME_VERSION, width: batch.width, others: batch.others }));
  const start = Math.ceil((4 + header.length) / 8) * 8;
  const bytes = new Uint8Array(start + batch.draws.byteLength);
  new DataView(bytes.buffer).setUint32(0, header.length, true);
  bytes.set(header, 4);
  bytes.set(new Uint8Array(batch.draws.buffer, batch.draws.byteOffset, batch.draws.byteLength), start);
  return bytes;
}

/**
 * The batch in `bytes`; throws FrameError when they are not a frame of this
 * version, or not one that unpacks into protocol messages: each packed
 * draw's iteration, warm-up flag and integer statistics are checked, and
 * each other item is checked as the codec checks a message. (A draw's
 * values are floats: no check can tell a changed bit there.)
 */
export function decodeFrame(bytes: Uint8Array): PackedBatch {
  if (bytes.length < 4) throw new FrameError("frame shorter than its header length");
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + n > bytes.length) throw new FrameError("frame shorter than its header");
  let header: { v?: unknown; width?: unknown; others?: unknown };
  try {
    header = losslessParse(new TextDecoder().decode(bytes.subarray(4, 4 + n))) as typeof header;
  } catch (e) {
    throw new FrameError(`frame header is not JSON: ${(e as Error).message}`);
  }
  if (header.v !== FRAME_VERSION) throw new FrameError(`frame version ${String(header.v)}, expected ${FRAME_VERSION}`);
  const { width, others } = header;
  if (typeof width !== "number" || !Number.isInteger(width) || width < HEAD)
    throw new FrameError(`frame width is not an integer ≥ ${HEAD} (a draw's iteration, warm-up flag and statistics)`);
  if (!Array.isArray(others)) throw new FrameError("frame items are not a list");
  const start = Math.ceil((4 + n) / 8) * 8;
  const body = bytes.length - Math.min(start, bytes.length);
  if (body % (8 * width) !== 0) throw new FrameError(`frame of ${body} bytes of draws is not a whole number of draws of ${width} numbers`);
  // A copy, aligned for Float64Array (the message's bytes may start anywhere).
  const draws = new Float64Array(body / 8);
  new Uint8Array(draws.buffer).set(bytes.subarray(start));
  const count = draws.length / width;
  for (let i = 0; i < count; i++) checkDraw(draws, i * width, i);
  let last = 0;
  const checked: PackedBatch["others"][number][] = [];
  for (const [i, o] of (others as { at?: unknown; item?: unknown }[]).entries()) {
    // In order of position: the unpacking places each item before the draw at its position.
    const ok = typeof o === "object" && o !== null && Number.isInteger(o.at) && (o.at as number) >= last && (o.at as number) <= count;
    if (!ok || typeof o.item !== "object" || o.item === null) throw new FrameError("frame item out of order or without content");
    last = o.at as number;
    checked.push({ at: last, item: checkItem(o.item, i) });
  }
  // A cluster's chains leave their CSV rows to the writer (RunOptions.csvRows).
  return { type: "batch", width, draws, csvRows: [], others: checked };
}

/** Offsets in a packed draw of the statistics that are counts, and of the divergent flag. */
const COUNTS = ["treeDepth", "nLeapfrog", "recovered"].map((s) => 2 + STAT_NAMES.indexOf(s as (typeof STAT_NAMES)[number]));
const DIVERGENT = 2 + STAT_NAMES.indexOf("divergent");

const isCount = (x: number, min: number): boolean => Number.isSafeInteger(x) && x >= min;
const isFlag = (x: number): boolean => x === 0 || x === 1;

/** Throws a FrameError unless the packed draw at offset `o` unpacks into a draw message. */
function checkDraw(d: Float64Array, o: number, i: number): void {
  if (!isCount(d[o], 1) || !isFlag(d[o + 1]) || !isFlag(d[o + DIVERGENT]) || COUNTS.some((k) => !isCount(d[o + k], 0)))
    throw new FrameError(`frame draw ${i + 1}: its iteration, warm-up flag or statistics are not what a draw holds`);
}

/** A frame's other item (a checkpoint, or a message other than a draw), checked; a FrameError naming it otherwise. */
function checkItem(item: object, i: number): PackedBatch["others"][number]["item"] {
  const { type, chain, checkpoint } = item as Partial<CheckpointItem>;
  if (type === "checkpoint") {
    if (!isCount(chain as number, 1) || typeof checkpoint !== "object" || checkpoint === null)
      throw new FrameError(`frame item ${i + 1}: a checkpoint without its chain or state`);
    return item as CheckpointItem;
  }
  try {
    const msg = checkMessage(item);
    if (msg.type === "draw") throw new CodecError("draw", "a draw travels packed, not as an item");
    return msg;
  } catch (e) {
    if (e instanceof CodecError) throw new FrameError(`frame item ${i + 1}: ${e.message}`);
    throw e;
  }
}
