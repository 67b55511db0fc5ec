/**
 * A model whose site and data names are legal (src/dsl/siteName.ts) yet
 * stress every output that writes names: JavaScript prototype keys, which a
 * plain-object map would confuse with its prototype's members, and Unicode
 * letters with and without combining marks. Generated code must never
 * contain them (they stay in tables); files, summaries and pages must show
 * them as written.
 *
 * `rejectedNames` are the names this fixture used before the name rule:
 * quotes, a comment end, backticks with a template hole, newlines, a
 * prototype key ending in `__`, markup and escapes. Every build refuses them
 * with a SiteNameError; the code generators still escape such strings
 * (defence in depth), which their own tests check on crafted inputs.
 */
import { model } from "../../src/dsl/model.ts";

/** The names, in site order: three parameters, a deterministic, an observation, a data leaf, a factor. */
export const hostileNames = ["constructor", "σ", "β_1", "toString", "hasOwnProperty", "x\u0304ñ", "valueOf"];

/** Names the build rejects (each with a SiteNameError naming it). */
export const rejectedNames = ["a\"b'c */ x", "`${process.exit(1)}`", "line\nbreak\u2028", "__proto__", "</script><x>", "\\u0000\\", "a,b"];

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
