/**
 * A model whose site and data names are hostile to code generators: quotes,
 * a comment end, backticks with a template hole, newlines (and U+2028),
 * prototype keys, markup and escapes. Generated code must never contain them.
 */
import { model } from "../../src/dsl/model.ts";

/** The names, in site order: three parameters, a deterministic, an observation, a data leaf, a factor. */
export const hostileNames = [
  "a\"b'c */ x",
  "`${process.exit(1)}`",
  "line\nbreak\u2028",
  "__proto__",
  "constructor",
  "</script><x>",
  "\\u0000\\",
];

/** The model: its sites carry `hostileNames`. */
export const hostile = model((m, d: { values: number[] }) => {
  const names = hostileNames;
  const mu = m.sample(names[0], m.normal(0, 1));
  const s = m.sample(names[1], m.halfNormal(1));
  const z = m.sample(names[2], m.normal(mu, s), { shape: [3] });
  m.deterministic(names[3], m.mul(z, 2));
  m.observe(names[4], m.normal(m.sum(z), s), m.data(names[5], d.values));
  m.factor(names[6], m.neg(m.square(mu)));
  return {};
});

/** Its data. */
export const hostileData = { values: [0.5, -1.25, 3] };
