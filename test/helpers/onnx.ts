/**
 * Runs small ONNX graphs in tests: one input `x` of shape [N], one output.
 */
import * as ort from "onnxruntime-node";
import { encodeModel, modelProto } from "../../src/codegen/onnx/assemble.ts";
import { GraphBuilder } from "../../src/codegen/onnx/builder.ts";
import { type Dtype, valueInfo } from "../../src/codegen/onnx/proto.ts";

/**
 * Builds the graph y = build(x) in `dtype` on an input x of shape [N], runs it
 * on onnxruntime's CPU provider and returns y (float32 results widened).
 */
export async function runUnaryGraph(build: (b: GraphBuilder, x: string) => string, xs: Float64Array, dtype: Dtype): Promise<Float64Array> {
  const b = new GraphBuilder(dtype);
  b.opInto("Identity", [build(b, "x")], ["y"]);
  const io = (name: string) => valueInfo(name, dtype, ["N"]);
  const bytes = encodeModel(modelProto(b, { name: "unary", inputs: [io("x")], outputs: [io("y")] }));
  const session = await ort.InferenceSession.create(bytes);
  try {
    const data = dtype === "float64" ? xs : Float32Array.from(xs);
    const out = await session.run({ x: new ort.Tensor(dtype, data, [xs.length]) });
    return Float64Array.from(out.y.data as Float64Array | Float32Array);
  } finally {
    await session.release();
  }
}
