/** The dashboard server is safe by default: loopback only unless told, and then only with its token. */
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { RunState } from "../../src/dashboard/runState.ts";
import { DashboardServer } from "../../src/dashboard/server.ts";

/** GET `path` from 127.0.0.1:`port` with the given Host header; resolves with the status. */
function get(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the dashboard server", () => {
  it("binds loopback by default and refuses requests naming another host (DNS rebinding)", async () => {
    const server = new DashboardServer(new RunState());
    const url = new URL(await server.listen());
    expect(url.hostname).toBe("127.0.0.1");
    expect(url.search).toBe("");
    const port = Number(url.port);
    expect(await get(port, "/", `127.0.0.1:${port}`)).toBe(200);
    expect(await get(port, "/", `localhost:${port}`)).toBe(200);
    expect(await get(port, "/", "attacker.example")).toBe(403);
    expect(await get(port, "/events", `evil.example:${port}`)).toBe(403);
    await server.close();
  });

  it("bound beyond loopback, requires the random token printed in its URL on every request", async () => {
    const server = new DashboardServer(new RunState(), { host: "0.0.0.0" });
    const url = new URL(await server.listen());
    const token = url.searchParams.get("token");
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const port = Number(url.port);
    const host = `192.0.2.1:${port}`;
    expect(await get(port, "/", host)).toBe(403);
    expect(await get(port, "/app.js", host)).toBe(403);
    // A token one character off (the token is random: its last character may already be "x").
    const off = `${token!.slice(0, -1)}${token!.endsWith("x") ? "y" : "x"}`;
    expect(await get(port, `/?token=${off}`, host)).toBe(403);
    expect(await get(port, `/?token=${token}`, host)).toBe(200);
    // Another server has another token.
    const other = new DashboardServer(new RunState(), { host: "0.0.0.0" });
    expect(new URL(await other.listen()).searchParams.get("token")).not.toBe(token);
    await Promise.all([server.close(), other.close()]);
  });
});
