/**
 * The ONNX protobuf messages, through onnx-proto (protobufjs static code for
 * ONNX IR 8), and the few constructors sampo needs: tensors, value infos and
 * attributes.
 * @module
 */
import type pkg from "onnx-proto";
import { onnxNamespace } from "./protoPackage.ts";
// eslint-disable-next-line @typescript-eslint/no-namespace
export type { onnx as OnnxTypes } from "onnx-proto";

/** The floating-point type a model computes in. */
export type Dtype = "float64" | "float32";

/** ONNX's element type numbers. */
export const elemType = { float32: 1, int64: 7, bool: 9, float64: 11 } as const;

/** IR version and opset of every file sampo writes. */
export const IR_VERSION = 8;
export const OPSET = 17;

/** A tensor initializer (raw little-endian data). */
export function tensorProto(
  name: string,
  dtype: Dtype | "int64",
  dims: readonly number[],
  values: ArrayLike<number>,
): pkg.onnx.ITensorProto {
  let raw: Uint8Array;
  if (dtype === "int64") {
    const a = BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
    raw = new Uint8Array(a.buffer);
  } else {
    const a = dtype === "float64" ? Float64Array.from(values) : Float32Array.from(values);
    raw = new Uint8Array(a.buffer);
  }
  return { name, dataType: elemType[dtype], dims: [...dims], rawData: raw };
}

/** A tensor value's type: dims are numbers or symbolic names. */
export function valueInfo(name: string, dtype: Dtype, dims: readonly (number | string)[]): pkg.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elemType[dtype],
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** An attribute value: a number is an int unless `float` is asked for; a graph is a subgraph. */
export type AttrValue = number | readonly number[] | string | { readonly float: number } | { readonly graph: pkg.onnx.IGraphProto };

/** An attribute of a node. */
export function attribute(name: string, v: AttrValue): pkg.onnx.IAttributeProto {
  const T = onnxNamespace().AttributeProto.AttributeType;
  if (typeof v === "number") return { name, type: T.INT, i: v };
  if (typeof v === "string") return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: [...(v as number[])] };
  if ("float" in (v as object)) return { name, type: T.FLOAT, f: (v as { float: number }).float };
  return { name, type: T.GRAPH, g: (v as { graph: pkg.onnx.IGraphProto }).graph };
}
