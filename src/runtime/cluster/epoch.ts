/**
 * A chain's epoch: which of its jobs a frame came from. A chain starts at
 * epoch 0; when frames of it were lost or garbled on the way, the
 * coordinator re-runs it from its last checkpoint as a job of the next
 * epoch, and from then on reads only that epoch's frames: whatever the
 * superseded job still sends is ignored, so that a frame the new job loses
 * in turn is noticed too. The epoch travels in a NATS header, outside the
 * frame's bytes, so that even an unreadable frame says which job sent it.
 * @module
 */
import { headers, type MsgHdrs } from "@nats-io/transport-node";

/** The header naming a frame's (or a job's) epoch; absent means 0. */
const EPOCH_HEADER = "Sampo-Epoch";

/** The headers of a message of epoch `epoch`. */
export function epochHeaders(epoch: number): MsgHdrs {
  const h = headers();
  h.set(EPOCH_HEADER, String(epoch));
  return h;
}

/** The epoch of a message with these headers: 0 without one, undefined when it is not a count. */
export function epochOf(h: MsgHdrs | undefined): number | undefined {
  const v = h?.get(EPOCH_HEADER) ?? "";
  return v === "" ? 0 : /^\d{1,9}$/.test(v) ? Number(v) : undefined;
}

/** The payload of a stop that supersedes chain `chain`'s jobs of epochs before `epoch` (an empty stop is the whole run's). */
export function supersedeStop(chain: number, epoch: number): string {
  return JSON.stringify({ chain, epoch });
}

/**
 * Why a stop with this payload stops a job of chain `chain` at epoch `epoch`: "run" (an empty stop, the whole
 * run's), "superseded" (one naming this chain and a later epoch), or undefined (it does not; nor does a payload of
 * neither form).
 */
export function stopReason(payload: string, chain: number, epoch: number): "run" | "superseded" | undefined {
  if (payload === "") return "run";
  const m = /^\{"chain":(\d+),"epoch":(\d+)\}$/.exec(payload);
  return m !== null && Number(m[1]) === chain && epoch < Number(m[2]) ? "superseded" : undefined;
}
