/**
 * The version of sampo, as package.json has it: written into Stan CSV
 * headers, `run.json` and ONNX metadata.
 * @module
 */
import pkg from "../package.json" with { type: "json" };

/** The version of sampo. */
export const SAMPO_VERSION: string = pkg.version;
