/**
 * A density that faults at a given rate, deterministically in θ: the
 * FNV-1a hash of θ's bytes (protocol.ts's `valuesHash`), read as a uniform
 * in [0, 1), below the rate means a fault; its parity says which kind (an
 * exception, or NaN). The faults are written into the density's generated
 * source, so that a worker thread, which rebuilds the density from its
 * plain form, faults at exactly the points the same density faults at in
 * this thread.
 */
import { compile } from "../../src/codegen/compile.ts";
import type { CompiledDensity, PlainDensity } from "../../src/codegen/density.ts";
import { loadDensity } from "../../src/codegen/js/load.ts";
import { model } from "../../src/index.ts";
import { FaultCounter } from "../../src/inference/chain.ts";
import { valuesHash } from "../../src/runtime/workers/protocol.ts";

/** The fault rates the tests run at. */
export const FAULT_RATES = [1e-3, 1e-2, 0.1, 0.3] as const;

/** The target: two independent normal(1, 2). */
export const TARGET = { mean: 1, sd: 2, dim: 2 } as const;

/** The target as a model (for tests that sample it through `sampleStream`). */
export const targetModel = model((m) => {
  const x = m.sample("x", m.normal(TARGET.mean, TARGET.sd), { shape: [TARGET.dim] });
  return { x };
});

/** The target's compiled density in plain form. */
export const targetPlain = (): PlainDensity => compile(targetModel, undefined).toPlain();

/**
 * The decision, as source: 0 (no fault), 1 (throw) or 2 (NaN) at θ. One
 * definition, compiled here for {@link faultAt} and pasted into the
 * generated source of {@link faultyPlain}.
 */
const DECIDE = `const valuesHash = ${valuesHash.toString()};
function faultAt(theta, rate) {
  const h = valuesHash(theta);
  return h / 4294967296 < rate ? 1 + (h % 2) : 0;
}`;

/** Whether θ faults at `rate`: 0 no, 1 by throwing, 2 by giving NaN. */
export const faultAt = new Function(`${DECIDE}\nreturn faultAt;`)() as (theta: Float64Array, rate: number) => 0 | 1 | 2;

/** `plain`, faulting at `rate` of the points by a hash of θ (throwing or giving NaN). */
export function faultyPlain(plain: PlainDensity, rate: number): PlainDensity {
  const source = `const inner = (function () {
${plain.source}
})();
${DECIDE}
function logpGrad(th, grad) {
  const fault = faultAt(th, ${rate});
  if (fault === 1) throw new Error("injected density fault");
  return fault === 2 ? NaN : inner.logpGrad(th, grad);
}
return { prepare: inner.prepare, logp: inner.logp, logpGrad, constrain: inner.constrain };`;
  return { ...plain, source };
}

/** A density loaded from `plain` that counts the faults it gives (exceptions and non-finite results). */
export function counted(plain: PlainDensity): { density: CompiledDensity; counter: FaultCounter } {
  const loaded = loadDensity(plain);
  const counter = new FaultCounter(loaded);
  return { density: { ...loaded, logpGrad: (theta, grad) => counter.logpGrad(theta, grad) }, counter };
}
