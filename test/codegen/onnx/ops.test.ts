/**
 * Every op through the ONNX backend (IR → AD → ONNX lowering): log p and
 * gradient of 8 points in one batch against the reference interpreter,
 * rtol 1e-9 (the design's bound for ONNX). The op cases are the JavaScript
 * backend's (test/helpers/opCases.ts), so every lowering rule, batched and
 * unbatched operands (the cases' constants and data), scans (with and
 * without sequences, with data-only carries) and the unrolled linear
 * algebra are covered.
 */
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/codegen/compile.ts";
import type { OnnxDensity } from "../../../src/codegen/onnx/density.ts";
import { logDensity } from "../../../src/interpreters/logDensity.ts";
import { expectAgree, randomPoints } from "../../helpers/agree.ts";
import { opCases } from "../../helpers/opCases.ts";
import { opModel } from "../../helpers/opModel.ts";

const POINTS = 8;
const open: OnnxDensity[] = [];
afterAll(async () => {
  for (const d of open) await d.release();
});

describe("every op on ONNX agrees with the reference interpreter", () => {
  for (const [name, dim, f] of opCases) {
    it(name, async () => {
      const mdl = opModel(dim, f);
      const density = await compile(mdl, undefined, { backend: "onnx" });
      open.push(density);
      const ref = logDensity(mdl, undefined);
      const pts = randomPoints(dim, POINTS, 23);
      const flat = new Float64Array(POINTS * dim);
      pts.forEach((p, i) => flat.set(p, i * dim));
      const logp = new Float64Array(POINTS);
      const grad = new Float64Array(POINTS * dim);
      await density.logpGradBatch(flat, POINTS, logp, grad);
      pts.forEach((theta, i) => {
        expectAgree({ logp: logp[i], grad: grad.subarray(i * dim, (i + 1) * dim) }, ref.logpGrad(theta), 1e-9, `${name} at point ${i}`);
      });
      expect(logp.every(Number.isFinite)).toBe(true);
    });
  }
});
