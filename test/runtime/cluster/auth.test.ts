/**
 * Who may take part: a nats-server that requires credentials refuses a
 * worker with wrong ones (the worker exits saying so), and a worker whose
 * nkey user has only the workers' permission set (test/fixtures/nats-permissions.conf,
 * the set docs/cluster.md shows) runs a coordinator's chains.
 */
import { createUser } from "@nats-io/nkeys";
import { type ChildProcess, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { benchmarks } from "../../../examples/index.ts";
import { sample } from "../../../src/fit/sample.ts";
import { root } from "../../helpers/cli.ts";
import { type NatsServer, startNatsServer, startWorker } from "../../helpers/nats.ts";

/** The exit code of a process, once its stderr is read to the end. */
const exitOf = (p: ChildProcess) => new Promise<number | null>((resolve) => p.once("close", (code) => resolve(code)));

describe("credentials and permissions", () => {
  let server: NatsServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it("a worker with a wrong token cannot connect, and says so", async () => {
    server = await startNatsServer('authorization { token: "s3cret-token" }\n');
    const worker = startWorker(server.url, ["--token", "wrong"]);
    expect(await exitOf(worker.proc)).toBe(1);
    expect(worker.log()).toMatch(/cannot connect to NATS at nats:\/\/127\.0\.0\.1:\d+: .*[Aa]uthorization/);
    const right = startWorker(server.url, ["--token", "s3cret-token"]);
    await right.waitFor(/worker: (taking jobs|no job queue)/);
    await right.kill("SIGKILL");
  }, 60_000);

  it("over mutual TLS: a worker with the CA and a client certificate works, one without a certificate cannot connect", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sampo-tls-"));
    const f = (name: string) => join(dir, name);
    const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
    ssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=sampo test CA",
      "-keyout",
      f("ca.key"),
      "-out",
      f("ca.pem"),
    );
    for (const [name, ext] of [
      ["server", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
      ["client", "extendedKeyUsage=clientAuth"],
    ]) {
      ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${name}`, "-keyout", f(`${name}.key`), "-out", f(`${name}.csr`));
      writeFileSync(f(`${name}.ext`), `${ext}\n`);
      ssl(
        "x509",
        "-req",
        "-in",
        f(`${name}.csr`),
        "-CA",
        f("ca.pem"),
        "-CAkey",
        f("ca.key"),
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        f(`${name}.ext`),
        "-out",
        f(`${name}.pem`),
      );
    }
    server = await startNatsServer(
      `tls { cert_file: "${f("server.pem")}", key_file: "${f("server.key")}", ca_file: "${f("ca.pem")}", verify: true }\n`,
    );
    const without = startWorker(server.url, ["--tls-ca", f("ca.pem")]);
    expect(await exitOf(without.proc)).toBe(1);
    expect(without.log()).toMatch(/cannot connect to NATS at .*client certificate/);
    const w = startWorker(server.url, ["--tls-ca", f("ca.pem"), "--tls-cert", f("client.pem"), "--tls-key", f("client.key")]);
    await w.waitFor(/worker: (taking jobs|no job queue)/);
    const { model, data } = benchmarks.eight_schools;
    const tls = { ca: f("ca.pem"), cert: f("client.pem"), key: f("client.key") };
    const fit = await sample(model, data as never, { chains: 1, warmup: 100, draws: 100, seed: 1, cluster: { servers: server.url, tls } });
    expect((fit.draws as { mu: number[] }).mu.length).toBe(100);
    await w.kill("SIGKILL");
  }, 60_000);

  it("a worker with only the workers' permissions runs a coordinator's chains; the same user cannot coordinate", async () => {
    const worker = createUser();
    const coordinator = createUser();
    const config = readFileSync(join(root, "test/fixtures/nats-permissions.conf"), "utf8")
      .replace("{{WORKER_NKEY}}", worker.getPublicKey())
      .replace("{{COORDINATOR_NKEY}}", coordinator.getPublicKey());
    server = await startNatsServer(config);
    const dir = mkdtempSync(join(tmpdir(), "sampo-nkeys-"));
    const seed = (name: string, key: Uint8Array) => {
      writeFileSync(join(dir, name), new TextDecoder().decode(key));
      return join(dir, name);
    };
    const workerSeed = seed("worker.nk", worker.getSeed());
    const coordinatorSeed = seed("coordinator.nk", coordinator.getSeed());
    const w = startWorker(server.url, ["--nkey", workerSeed]);
    await w.waitFor(/worker: (taking jobs|no job queue)/);
    const { model, data } = benchmarks.eight_schools;
    const opts = { chains: 2, warmup: 200, draws: 200, seed: 4 };
    const fit = await sample(model, data as never, { ...opts, cluster: { servers: server.url, nkey: coordinatorSeed } });
    const local = await sample(model, data as never, { ...opts, workers: 0 });
    expect(fit.draws).toEqual(local.draws);
    expect(w.log()).not.toMatch(/[Pp]ermission/);
    // The workers' user may not create streams: it cannot start a run.
    await expect(sample(model, data as never, { ...opts, cluster: { servers: server.url, nkey: workerSeed } })).rejects.toThrow(
      /[Pp]ermission/,
    );
    await w.kill("SIGKILL");
  }, 120_000);
});
