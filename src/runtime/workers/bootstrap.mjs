// Entry of a chain worker thread. sampo runs from TypeScript source and, on
// Node 20, a worker does not inherit the module hooks its parent registered
// (tsx's, vitest's), so the TypeScript loader is registered here, in the
// thread, before the worker's code is imported.
import { register } from "tsx/esm/api";

register();
await import("./chainWorker.ts");
