/**
 * The shape of issue 15's wide model, for `npm run bench:summary`: 1,553
 * standard normals and a 31 × 25 deterministic of them, 2,328 reported
 * values. Sampling it is cheap; its cost is in the values it reports.
 * @module
 */
import { model } from "../src/dsl/model.ts";

export default model((m) => {
  const theta = m.sample("theta", m.normal(0, 1), { shape: [1553] });
  const grid = m.reshape(m.mul(m.slice(theta, 0, 775), 2), [31, 25]);
  return { theta, grid };
});
