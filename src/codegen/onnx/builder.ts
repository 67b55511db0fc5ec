/**
 * A small builder of ONNX graphs: nodes by op type and input names, constants
 * as initializers (deduplicated), fresh names, and subgraphs (loop bodies)
 * that share the parent's names and initializers.
 * @module
 */
import { attribute, type AttrValue, type Dtype, type OnnxTypes, tensorProto } from "./proto.ts";

type INode = OnnxTypes.INodeProto;
type ITensor = OnnxTypes.ITensorProto;

/** Names shared by a graph and its subgraphs. */
class Names {
  private next = 0;
  readonly initializers: ITensor[] = [];
  readonly constants = new Map<string, string>();
  fresh(prefix: string): string {
    return `${prefix}_${this.next++}`;
  }
}

/**
 * Builds the nodes of one ONNX graph in the floating type `dtype`. Every
 * method returns the name of the value it creates.
 */
export class GraphBuilder {
  readonly nodes: INode[] = [];
  private readonly names: Names;

  constructor(
    readonly dtype: Dtype,
    names?: Names,
  ) {
    this.names = names ?? new Names();
  }

  /** Initializers of the whole graph family (the root graph owns them). */
  get initializers(): readonly ITensor[] {
    return this.names.initializers;
  }

  /** A builder for a subgraph: its own nodes, the same names and initializers. */
  subgraph(): GraphBuilder {
    return new GraphBuilder(this.dtype, this.names);
  }

  /** A fresh value name. */
  fresh(prefix = "v"): string {
    return this.names.fresh(prefix);
  }

  /** Adds a node with one output, returning its name. */
  op(type: string, inputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}): string {
    return this.opN(type, inputs, 1, attrs)[0];
  }

  /** Adds a node with `outputs` outputs. */
  opN(type: string, inputs: readonly string[], outputs: number, attrs: Readonly<Record<string, AttrValue>> = {}): string[] {
    const out = Array.from({ length: outputs }, () => this.fresh(type.toLowerCase()));
    this.opInto(type, inputs, out, attrs);
    return out;
  }

  /** Adds a node writing to given output names. */
  opInto(type: string, inputs: readonly string[], outputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}): void {
    this.nodes.push({
      opType: type,
      input: [...inputs],
      output: [...outputs],
      name: outputs[0],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
  }

  /** A floating constant of `shape` (an initializer; equal small constants are shared). */
  constant(values: ArrayLike<number>, shape: readonly number[] = []): string {
    return this.initializer(this.dtype, values, shape);
  }

  /** A floating scalar constant. */
  scalar(x: number): string {
    return this.constant([x]);
  }

  /** An int64 constant (shapes, axes, indices). */
  ints(values: readonly number[] | Int32Array, shape: readonly number[] = [values.length]): string {
    return this.initializer("int64", values, shape);
  }

  /** A named initializer (data): not shared. */
  named(name: string, values: ArrayLike<number>, shape: readonly number[]): string {
    this.names.initializers.push(tensorProto(name, this.dtype, shape, values));
    return name;
  }

  private initializer(dtype: Dtype | "int64", values: ArrayLike<number>, shape: readonly number[]): string {
    const key =
      values.length <= 64
        ? `${dtype}|${shape.join("x")}|${Array.from(values, (v) => (Object.is(v, -0) ? "-0" : String(v))).join(",")}`
        : undefined;
    const hit = key === undefined ? undefined : this.names.constants.get(key);
    if (hit !== undefined) return hit;
    const name = this.fresh(dtype === "int64" ? "i" : "c");
    this.names.initializers.push(tensorProto(name, dtype, shape, values));
    if (key !== undefined) this.names.constants.set(key, name);
    return name;
  }

  // Elementwise shorthands (ONNX broadcasting applies).
  add(a: string, b: string): string {
    return this.op("Add", [a, b]);
  }
  sub(a: string, b: string): string {
    return this.op("Sub", [a, b]);
  }
  mul(a: string, b: string): string {
    return this.op("Mul", [a, b]);
  }
  div(a: string, b: string): string {
    return this.op("Div", [a, b]);
  }
  /** `cond ? a : b` elementwise; `cond` is a boolean tensor. */
  where(cond: string, a: string, b: string): string {
    return this.op("Where", [cond, a, b]);
  }
  /** Elementwise unary op by ONNX name. */
  un(type: string, x: string): string {
    return this.op(type, [x]);
  }
}
