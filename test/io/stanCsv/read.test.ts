import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { StanCsvError } from "../../../src/io/stanCsv/error.ts";
import { readStanCsv } from "../../../src/io/stanCsv/read.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/stan-csv/${name}`, import.meta.url));
const rstanText = readFileSync(fixture("eight_schools_rstan.csv"), "utf8");

describe("readStanCsv on rstan's eight schools file (save_warmup=1)", () => {
  const { config, layout, chain, truncated } = readStanCsv(rstanText);

  it("reads the header's key=value lines", () => {
    expect(config.iter).toBe("400");
    expect(config.warmup).toBe("200");
    expect(config.save_warmup).toBe("1");
    expect(config.sampler_t).toBe("NUTS(diag_e)");
    expect(config.seed).toBe("7");
    expect(chain.chain).toBe(1);
    expect(truncated).toBe(false);
  });

  it("splits 200 warm-up rows from 200 sampling rows", () => {
    expect(chain.warmup).toBe(200);
    expect(chain.draws).toBe(200);
    expect(chain.stats.lp.length).toBe(400);
    for (const v of chain.values) expect(v.length).toBe(400);
    // First sampling row (line 231), right after the adaptation block.
    expect(chain.stats.lp[200]).toBe(-18.9751);
    expect(chain.stats.stepSize[200]).toBe(0.239609);
    // Last warm-up row (line 226).
    expect(chain.stats.lp[199]).toBe(-19.6127);
  });

  it("reads mu, tau and theta's 8 columns as the layout", () => {
    expect(layout.map((e) => [e.name, e.shape, e.offset, e.size])).toEqual([
      ["mu", [], 0, 1],
      ["tau", [], 1, 1],
      ["theta", [8], 2, 8],
    ]);
    expect(chain.values.length).toBe(10);
  });

  it("reads the first row exactly", () => {
    const s = chain.stats;
    expect([s.lp[0], s.acceptStat[0], s.stepSize[0], s.treeDepth[0], s.nLeapfrog[0], s.divergent[0], s.energy[0], s.recovered[0]]).toEqual([
      -8.88259, 0.992163, 0.25, 4, 15, 0, 12.2439, 0,
    ]);
    expect(chain.values.map((v) => v[0])).toEqual([
      0.116726, 1.26263, 0.48778, 1.49075, 1.83183, 1.51443, 0.730894, -0.445263, 1.84262, -0.772322,
    ]);
    expect(s.divergent[1]).toBe(1);
  });

  it("reads the adaptation block and elapsed times", () => {
    expect(chain.adaptation).toEqual({
      stepSize: 0.239609,
      invMetric: [7.42132, 0.393283, 20.149, 15.2668, 14.3971, 13.5338, 16.6822, 8.95787, 15.0658, 7.54964],
    });
    expect(chain.elapsed).toEqual({ warmup: 0.041914, sampling: 0.018337 });
  });

  it("takes the rows before the adaptation block as warm-up, whatever the header says", () => {
    const r = readStanCsv(rstanText.replace("# warmup=200\n", "").replace("# save_warmup=1\n", "# save_warmup=0\n"));
    expect(r.chain.warmup).toBe(200);
    expect(r.chain.draws).toBe(200);
  });

  it("reads CRLF line ends the same", () => {
    const crlf = readStanCsv(rstanText.replace(/\n/g, "\r\n"));
    expect(crlf.truncated).toBe(false);
    expect(crlf.config).toEqual(config);
    expect(crlf.layout).toEqual(layout);
    expect(crlf.chain).toEqual(chain);
  });
});

describe("readStanCsv on a CmdStan-layout file (save_warmup = 0, dense metric)", () => {
  const { config, layout, chain, truncated } = readStanCsv(readFileSync(fixture("cmdstan_dense_nowarmup.csv"), "utf8"));

  it("flattens CmdStan's nested header and drops (Default)", () => {
    expect(config.model).toBe("toy_model");
    expect(config.num_samples).toBe("3");
    expect(config.num_warmup).toBe("5");
    expect(config.save_warmup).toBe("0");
    expect(config.metric).toBe("dense_e");
    expect(config.seed).toBe("1234");
    expect(chain.chain).toBe(3);
    expect(truncated).toBe(false);
  });

  it("has no warm-up rows", () => {
    expect(chain.warmup).toBe(0);
    expect(chain.draws).toBe(3);
  });

  it("reads the dense inverse metric", () => {
    expect(chain.adaptation).toEqual({
      stepSize: 0.563254,
      invMetric: [
        [1.02, 0.1, -0.05],
        [0.1, 0.98, 0.2],
        [-0.05, 0.2, 1.5],
      ],
    });
    expect(chain.elapsed).toEqual({ warmup: 0.001, sampling: 0.002 });
  });

  it("stores the column-major matrix row-major, and reads inf, -inf and nan", () => {
    expect(layout.map((e) => [e.name, e.shape])).toEqual([
      ["alpha", []],
      ["beta", [2]],
      ["Sigma", [2, 2]],
      ["log_lik", []],
    ]);
    // Sigma in storage: [0][0], [0][1], [1][0], [1][1] at offsets 3..6; row 2 has Sigma.2.1 = -0.4, Sigma.1.2 = -0.4.
    expect(chain.values.slice(3, 7).map((v) => v[0])).toEqual([2, 0.3, 0.3, 4]);
    expect(chain.values[6][1]).toBe(3);
    expect(chain.values[7][1]).toBe(-Infinity);
    expect(chain.values[7][2]).toBeNaN();
    expect(chain.stats.energy[2]).toBe(Infinity);
    expect(chain.stats.divergent[2]).toBe(1);
    // No recovered__ column in Stan's files: zeros.
    expect(Array.from(chain.stats.recovered)).toEqual([0, 0, 0]);
  });
});

describe("readStanCsv on the file's bytes", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it("reads what it reads from the text, for whole, CRLF and cut files", () => {
    const cmdstan = readFileSync(fixture("cmdstan_dense_nowarmup.csv"), "utf8");
    const cut = rstanText.slice(0, rstanText.length - 300);
    for (const text of [rstanText, cmdstan, rstanText.replace(/\n/g, "\r\n"), cut]) {
      expect(readStanCsv(bytes(text))).toEqual(readStanCsv(text));
    }
    expect(readStanCsv(bytes(cut)).truncated).toBe(true);
  });

  it("reads rows the fast path leaves to the field-by-field one (nan, inf, +1, .5) and reports bad ones alike", () => {
    const lines = rstanText.split("\n");
    const odd = [...lines];
    odd[40] = odd[40].replace(/^-/, "+").replace(/,0\./, ",.");
    odd[41] = odd[41].replace(/,[^,]*$/, ",-inf");
    expect(readStanCsv(bytes(odd.join("\n")))).toEqual(readStanCsv(odd.join("\n")));
    const junk = [...lines];
    junk[40] = junk[40].replace(/,[^,]*$/, ",true");
    expect(() => readStanCsv(bytes(junk.join("\n")))).toThrow(/line 41: column "theta.8": "true" is not a number/);
  });
});

describe("readStanCsv on damaged files", () => {
  it("drops a last row cut mid-way and says so", () => {
    // The file up to the end of its last row, without that row's newline.
    const cut = rstanText.slice(0, rstanText.indexOf("\n# \n#  Elapsed Time"));
    const lastRowStart = cut.lastIndexOf("\n") + 1;
    for (const end of [lastRowStart + 1, lastRowStart + 9, cut.length - 3, cut.length]) {
      const r = readStanCsv(cut.slice(0, end));
      expect(r.truncated).toBe(true);
      expect(r.chain.warmup).toBe(200);
      expect(r.chain.draws).toBe(199);
      expect(r.chain.elapsed).toBeUndefined();
    }
    const whole = readStanCsv(`${cut}\n`);
    expect(whole.truncated).toBe(false);
    expect(whole.chain.draws).toBe(200);
  });

  it("splits warm-up by the header when cut before the adaptation block", () => {
    const lines = rstanText.split("\n");
    const text = `${lines.slice(0, 26 + 50).join("\n")}\n${lines[26 + 50].slice(0, 20)}`;
    const r = readStanCsv(text);
    expect(r.truncated).toBe(true);
    expect(r.chain.warmup).toBe(50);
    expect(r.chain.draws).toBe(0);
    expect(r.chain.adaptation).toBeUndefined();
  });

  it("refuses a complete row with a missing field or a non-number", () => {
    const lines = rstanText.split("\n");
    const short = [...lines];
    short[40] = short[40].split(",").slice(0, -1).join(",");
    expect(() => readStanCsv(short.join("\n"))).toThrow(/line 41: 16 fields/);
    const junk = [...lines];
    junk[40] = junk[40].replace(/,[^,]*$/, ",abc");
    expect(() => readStanCsv(junk.join("\n"))).toThrow(StanCsvError);
  });

  it("refuses a file without a column line", () => {
    expect(() => readStanCsv("# model=x\n")).toThrow(/no column line/);
  });
});
