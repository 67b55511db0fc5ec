/**
 * NumPyro's `block`: hides sites from the handlers applied around it.
 * @module
 */
import { SiteNameError } from "../errors.ts";
import { type Model, type Outputs, type SiteHandler, withHandler } from "../dsl/model.ts";

/**
 * Hides the named sites (every site when `names` is omitted) from the
 * handlers applied around this one (NumPyro's `block`): they go straight to
 * the interpreter, which still samples, observes and records them.
 *
 * @example
 * ```ts
 * const hiddenTau = condition(block(eightSchools, ["tau"]), { tau: 2 });
 * try { logDensity(hiddenTau, data); } catch (e) { console.log(e instanceof SiteNameError); } // true: tau is hidden
 * block(condition(eightSchools, { tau: 2 }), ["tau"]); // tau observed, hidden from outer handlers
 * ```
 */
export function block<D, O extends Outputs>(model: Model<D, O>, names?: readonly string[]): Model<D, O> {
  const hidden = names === undefined ? undefined : new Set(names);
  return withHandler(model, (next, _m, { base }) => {
    const matched = new Set<string>();
    const route = (name: string): SiteHandler => {
      if (hidden !== undefined && !hidden.has(name)) return next;
      matched.add(name);
      return base;
    };
    return {
      sample: (site) => route(site.name).sample(site),
      observe: (site) => route(site.name).observe(site),
      data: (name, values, shape) => route(name).data(name, values, shape),
      deterministic: (name, value) => route(name).deterministic(name, value),
      factor: (name, logp) => route(name).factor(name, logp),
      finish: () => {
        for (const name of hidden ?? []) {
          if (!matched.has(name))
            throw new SiteNameError(name, "block: no site of this name reached the handler (misspelt, or hidden by an inner block)");
        }
      },
    };
  });
}
