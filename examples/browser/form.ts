/**
 * The example page's form: the eight schools' data, one row per school
 * (estimated effect y and its standard error σ, editable), and the run's
 * settings; read back as the model's data, checked.
 * @module
 */

/** The data of Rubin (1981): each school's estimated coaching effect and its standard error. */
export interface SchoolsData {
  readonly y: readonly number[];
  readonly sigma: readonly number[];
}

/** The schools, as the literature names them, and their data (examples/data/eight_schools.json). */
export const SCHOOLS = ["A", "B", "C", "D", "E", "F", "G", "H"] as const;
export const DEFAULT_DATA: SchoolsData = { y: [28, 8, -3, 7, -1, 1, 18, 12], sigma: [15, 10, 16, 11, 9, 11, 10, 18] };

/** The run's settings the form asks for. */
export interface RunSettings {
  readonly seed: number;
  readonly warmup: number;
  readonly draws: number;
}

export const DEFAULT_SETTINGS: RunSettings = { seed: 1, warmup: 1000, draws: 1000 };

/** A number input, named for the tests and labelled for screen readers. */
function numberInput(field: string, value: number, label: string, attrs: Readonly<Record<string, string>> = {}): HTMLInputElement {
  const input = document.createElement("input");
  input.type = "number";
  input.step = "any";
  input.required = true;
  input.value = String(value);
  input.dataset.field = field;
  input.setAttribute("aria-label", label);
  for (const [k, v] of Object.entries(attrs)) input.setAttribute(k, v);
  return input;
}

/** Fills `rows` (a table body) with one row per school and `settings` with the run's settings. */
export function renderForm(rows: HTMLElement, settings: HTMLElement, data = DEFAULT_DATA, run = DEFAULT_SETTINGS): void {
  rows.replaceChildren(
    ...SCHOOLS.map((name, j) => {
      const tr = document.createElement("tr");
      const school = document.createElement("th");
      school.textContent = name;
      const cell = (input: HTMLInputElement) => {
        const td = document.createElement("td");
        td.append(input);
        return td;
      };
      tr.append(
        school,
        cell(numberInput(`y-${j}`, data.y[j], `school ${name}: estimated effect y`)),
        cell(numberInput(`sigma-${j}`, data.sigma[j], `school ${name}: standard error σ`, { min: "0" })),
      );
      return tr;
    }),
  );
  const setting = (key: keyof RunSettings, label: string, min: string) => {
    const l = document.createElement("label");
    l.append(label, numberInput(key, run[key], label, { min, step: "1" }));
    return l;
  };
  settings.replaceChildren(setting("seed", "seed", "0"), setting("warmup", "warm-up", "10"), setting("draws", "draws", "10"));
}

/** What the form holds, checked: the data and settings, or what is wrong, in words. */
export function readForm(form: HTMLElement): { data: SchoolsData; settings: RunSettings } | { error: string } {
  const value = (field: string) => Number(form.querySelector<HTMLInputElement>(`[data-field="${field}"]`)?.value ?? NaN);
  const y = SCHOOLS.map((_, j) => value(`y-${j}`));
  const sigma = SCHOOLS.map((_, j) => value(`sigma-${j}`));
  const bad = SCHOOLS.findIndex((_, j) => !Number.isFinite(y[j]) || !(sigma[j] > 0 && Number.isFinite(sigma[j])));
  if (bad >= 0) return { error: `school ${SCHOOLS[bad]}: y must be a number and σ a positive number` };
  const [seed, warmup, draws] = (["seed", "warmup", "draws"] as const).map(value);
  if (![seed, warmup, draws].every(Number.isInteger) || seed < 0 || warmup < 10 || draws < 10)
    return { error: "seed must be a whole number ≥ 0, warm-up and draws whole numbers ≥ 10" };
  return { data: { y, sigma }, settings: { seed, warmup, draws } };
}
