/// <reference types="@webgpu/types" />
/**
 * Runs a density shader: θ in, log p and ∇ out, one dispatch per batch
 * (a batch larger than the device's buffer limits allow is cut into as few
 * dispatches as fit). Points and results cross as float32; the caller's
 * arrays stay float64.
 * @module
 */
import { BINDINGS, type DensityShader, WORKGROUP } from "./shader.ts";
import { WebGpuError } from "./device.ts";
import { paramsFor } from "./literal.ts";

const F32 = 4;
const MAX_WORKGROUPS = 65535;

/** A shader ready to run on a device. */
export interface DensityKernel {
  /** log p and ∇ of `n` points (row-major in `points`) into `logp` and `grad`. */
  run(points: Float64Array, n: number, logp: Float64Array, grad: Float64Array): Promise<void>;
  /** Replaces the data arrays' values (same lengths, data-index order) and recomputes what depends on them. */
  setData(values: readonly ArrayLike<number>[]): void;
  /** Most points one dispatch evaluates. */
  readonly chunk: number;
  /** Frees the buffers. */
  destroy(): void;
}

/** Compiles `shader` on `device`, failing with the compiler's messages when it refuses the shader. */
export async function densityKernel(device: GPUDevice, shader: DensityShader): Promise<DensityKernel> {
  const { dim, scratch } = shader;
  const usage = GPUBufferUsage;
  device.pushErrorScope("validation");
  const module = device.createShaderModule({ code: shader.code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === "error");
  if (errors.length > 0)
    throw new WebGpuError(`the device refused the density's shader: ${errors.map((m) => `line ${m.lineNum}: ${m.message}`).join("; ")}`);
  const layout = device.createBindGroupLayout({
    entries: BINDINGS.map((name, binding) => ({
      binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer: {
        type: name === "params" ? "uniform" : name === "scratch" || name === "out" || name === "prepared" ? "storage" : "read-only-storage",
      },
    })),
  });
  const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
  const [pipeline, preparePipeline] = await Promise.all(
    ["main", "prepare"].map((entryPoint) => device.createComputePipelineAsync({ layout: pipelineLayout, compute: { module, entryPoint } })),
  );
  const failure = await device.popErrorScope();
  if (failure !== null) throw new WebGpuError(`the device refused the density's pipeline: ${failure.message}`);

  const floats = new Float32Array(
    Math.max(
      1,
      shader.floats.reduce((s, a) => s + a.length, 0),
    ),
  );
  let at = 0;
  for (const a of shader.floats) {
    floats.set(a, at);
    at += a.length;
  }
  const ints = new Int32Array(
    Math.max(
      1,
      shader.indices.reduce((s, a) => s + a.length, 0),
    ),
  );
  at = 0;
  for (const a of shader.indices) {
    ints.set(a, at);
    at += a.length;
  }
  const buffer = (size: number, use: number) => device.createBuffer({ size: Math.max(16, Math.ceil(size / 16) * 16), usage: use });
  const tables = buffer(floats.byteLength, usage.STORAGE | usage.COPY_DST);
  device.queue.writeBuffer(tables, 0, floats);
  const indices = buffer(ints.byteLength, usage.STORAGE | usage.COPY_DST);
  device.queue.writeBuffer(indices, 0, ints);
  const params = buffer(16, usage.UNIFORM | usage.COPY_DST);
  const prepared = buffer(shader.prepared * F32, usage.STORAGE);

  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const chunk = Math.max(1, Math.min(MAX_WORKGROUPS * WORKGROUP, Math.floor(limit / (F32 * Math.max(scratch, dim + 1, 1)))));
  // Per-batch buffers, grown to the largest batch seen (up to a chunk).
  let capacity = 0;
  let theta: GPUBuffer, scratchBuf: GPUBuffer, out: GPUBuffer, staging: GPUBuffer, group: GPUBindGroup;
  let staged = new Float32Array(0); // θ in float32, on its way to `theta`
  const grow = (n: number) => {
    if (n <= capacity) return;
    if (capacity > 0) [theta, scratchBuf, out, staging].forEach((b) => b.destroy());
    capacity = n;
    theta = buffer(n * dim * F32, usage.STORAGE | usage.COPY_DST);
    scratchBuf = buffer(n * scratch * F32, usage.STORAGE);
    out = buffer(n * (dim + 1) * F32, usage.STORAGE | usage.COPY_SRC);
    staging = buffer(n * (dim + 1) * F32, usage.MAP_READ | usage.COPY_DST);
    staged = new Float32Array(n * dim);
    const bound = [params, theta, tables, indices, scratchBuf, out, prepared];
    group = device.createBindGroup({ layout, entries: bound.map((b, binding) => ({ binding, resource: { buffer: b } })) });
  };

  // The data-only values, once per data set (queued before any batch that reads them).
  const prepare = () => {
    grow(1);
    device.queue.writeBuffer(params, 0, paramsFor(1));
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(preparePipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(1);
    pass.end();
    device.queue.submit([encoder.finish()]);
  };
  prepare();

  const runChunk = async (points: Float64Array, n: number, logp: Float64Array, grad: Float64Array) => {
    grow(n);
    device.queue.writeBuffer(params, 0, paramsFor(n));
    staged.set(points.subarray(0, n * dim));
    if (dim > 0) device.queue.writeBuffer(theta, 0, staged, 0, n * dim);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(Math.ceil(n / WORKGROUP));
    pass.end();
    const bytes = n * (dim + 1) * F32;
    encoder.copyBufferToBuffer(out, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ, 0, bytes);
    const r = new Float32Array(staging.getMappedRange(0, bytes));
    for (let i = 0; i < n; i++) {
      logp[i] = r[i * (dim + 1)];
      for (let k = 0; k < dim; k++) grad[i * dim + k] = r[i * (dim + 1) + 1 + k];
    }
    staging.unmap();
  };

  // Calls run one after another: they share the buffers.
  let queue: Promise<void> = Promise.resolve();
  return {
    chunk,
    run(points, n, logp, grad) {
      const job = queue.then(async () => {
        for (let first = 0; first < n; first += chunk) {
          const m = Math.min(chunk, n - first);
          await runChunk(points.subarray(first * dim), m, logp.subarray(first), grad.subarray(first * dim));
        }
      });
      queue = job.catch(() => undefined);
      return job;
    },
    setData(values) {
      values.forEach((v, k) => device.queue.writeBuffer(tables, shader.dataOffsets[k] * F32, Float32Array.from(v)));
      prepare();
    },
    destroy() {
      for (const b of [tables, indices, params, prepared]) b.destroy();
      if (capacity > 0) [theta, scratchBuf, out, staging].forEach((b) => b.destroy());
    },
  };
}
