/**
 * A model whose log density is Σ f(x) over a flat vector x of `dim`
 * elements: how codegen tests put one expression under test.
 */
import { model, type Model, type ModelAlg } from "../../src/dsl/model.ts";
import type { Tensor } from "../../src/dsl/tensor.ts";

/** The model log p(x) = Σ f(m, x), x flat in ℝ^dim. */
export function opModel(dim: number, f: (m: ModelAlg, x: Tensor<1>) => Tensor): Model<undefined> {
  return model((m) => {
    const x = m.sample("x", m.flat(), { shape: [dim] });
    m.factor("f", m.sum(f(m, x)));
    return {};
  });
}
