/**
 * The example page (examples/browser/index.html): eight schools written
 * with sampo's DSL and sampled in the page, its four chains in Web Workers;
 * the data are editable, and the trace plots and the summary fill in live as
 * draws stream. `npm run example:browser` builds the bundle and serves the
 * page (scripts/exampleBrowser.ts).
 * @module
 */
import "uplot/dist/uPlot.min.css";
import "../../src/dashboard/page/style.css";
import "./example.css";
import { model, sampleStream } from "./sampo.browser.js";
import { readForm, renderForm, type SchoolsData } from "./form.ts";
import { RunView } from "./runView.ts";

/** Centered eight schools, as examples/eight_schools.ts writes it. */
const eightSchools = model((m, d: SchoolsData) => {
  const mu = m.sample("mu", m.normal(0, 5));
  const tau = m.sample("tau", m.halfNormal(5));
  const theta = m.sample("theta", m.normal(mu, tau), { shape: [d.y.length] });
  m.observe("y", m.normal(theta, m.data("sigma", d.sigma)), d.y);
  return { mu, tau, theta };
});

/** Chains, each in a Web Worker of its own. */
const CHAINS = 4;

/** What tests read off the page. */
interface ExampleProbe {
  /** The data of the last run started. */
  data?: SchoolsData;
  /** Messages of the last run. */
  messages: number;
  /** The summary's variable names, as last shown. */
  summaryNames: string[];
  /** Frames the last run's view drew before it ended (more than one: it drew live). */
  liveFrames: number;
}

declare global {
  interface Window {
    sampoExample: ExampleProbe;
  }
}

const byId = (id: string) => {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the page has no #${id}`);
  return e;
};

const form = byId("run");
const sampleButton = byId("sample") as HTMLButtonElement;
const stopButton = byId("stop") as HTMLButtonElement;
const status = byId("status");
const probe: ExampleProbe = { messages: 0, summaryNames: [], liveFrames: 0 };
window.sampoExample = probe;
let stopper: AbortController | undefined;

/** Shows where the run is: `state` is also set on the page's body, for tests. */
function show(state: "idle" | "running" | "done" | "failed", text: string): void {
  document.body.dataset.state = state;
  status.dataset.state = state;
  status.textContent = text;
}

async function run(): Promise<void> {
  const read = readForm(form);
  if ("error" in read) return show("failed", read.error);
  const { data, settings } = read;
  probe.data = data;
  probe.messages = 0;
  stopper = new AbortController();
  sampleButton.disabled = true;
  stopButton.disabled = false;
  show("running", "compiling the model…");
  const started = performance.now();
  let view: RunView | undefined;
  try {
    const stream = sampleStream(eightSchools, data, { ...settings, chains: CHAINS, workers: CHAINS, signal: stopper.signal });
    for await (const msg of stream) {
      probe.messages++;
      if (msg.type === "start") {
        view = new RunView(msg, { chains: byId("chains"), traces: byId("traces"), basis: byId("basis"), summary: byId("summary") });
        show("running", `sampling: ${CHAINS} chains in Web Workers…`);
      } else if (msg.type === "error") throw new Error(msg.message);
      else view?.add(msg);
    }
    probe.liveFrames = view?.frames ?? 0;
    view?.finish();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    show("done", `done: ${CHAINS} chains of ${settings.warmup} warm-up and ${settings.draws} draws in ${seconds} s`);
  } catch (e) {
    view?.finish();
    show("failed", e instanceof Error ? e.message : String(e));
  } finally {
    probe.summaryNames = view?.rows.map((r) => r.name) ?? [];
    sampleButton.disabled = false;
    stopButton.disabled = true;
  }
}

renderForm(byId("schools"), byId("settings"));
form.addEventListener("submit", (e) => {
  e.preventDefault();
  void run();
});
stopButton.addEventListener("click", () => stopper?.abort());
show("idle", "edit the data if you like, then press Sample");
