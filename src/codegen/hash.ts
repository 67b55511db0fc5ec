/**
 * Content hashes of a compiled model and of its data: the same model and
 * data give the same hashes in `run.json`, the start message and exports.
 * @module
 */
import type { PlainDensity } from "./density.ts";
import { sha256 } from "./sha256.ts";

/** Hash of the model's compiled structure: generated source, layouts, constants, data shapes (not data values). */
export function modelHash(plain: PlainDensity): string {
  const { source, layout, valueLayout, consts, indices, data } = plain;
  return sha256(
    JSON.stringify({ source, layout, valueLayout, consts, indices, data: data.map((d) => ({ name: d.name, shape: d.shape })) }),
  );
}

/** Hash of the data values. */
export function dataHash(plain: PlainDensity): string {
  return sha256(JSON.stringify(plain.data));
}
