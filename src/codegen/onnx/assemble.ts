/**
 * Assembles a built graph into an encoded ONNX ModelProto (IR 8, opset 17).
 * @module
 */
import type { GraphBuilder } from "./builder.ts";
import { IR_VERSION, OPSET, type OnnxTypes } from "./proto.ts";
import { onnxNamespace } from "./protoPackage.ts";

/** What a model file holds besides its nodes. */
export interface ModelParts {
  readonly name: string;
  readonly inputs: readonly OnnxTypes.IValueInfoProto[];
  readonly outputs: readonly OnnxTypes.IValueInfoProto[];
  readonly metadata?: Readonly<Record<string, string>>;
  readonly docString?: string;
}

/** The ModelProto of a root graph builder. */
export function modelProto(b: GraphBuilder, parts: ModelParts): OnnxTypes.IModelProto {
  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: "", version: OPSET }],
    producerName: "sampo",
    docString: parts.docString ?? "",
    graph: {
      name: parts.name,
      node: b.nodes,
      initializer: [...b.initializers],
      input: [...parts.inputs],
      output: [...parts.outputs],
    },
    metadataProps: Object.entries(parts.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
}

/** Encodes a model to bytes. */
export function encodeModel(m: OnnxTypes.IModelProto): Uint8Array {
  return onnxNamespace().ModelProto.encode(m).finish();
}

/** Decodes model bytes (for reading metadata back). */
export function decodeModel(bytes: Uint8Array): OnnxTypes.ModelProto {
  return onnxNamespace().ModelProto.decode(bytes);
}
