/**
 * The dashboard's HTTP server (plain `node:http`): the page, its bundle, and
 * `/events`, a server-sent event stream per open page. A page gets a
 * snapshot of the run so far, then frames of what arrived, coalesced to at
 * most one per frame interval. A page that cannot keep up (its socket
 * buffer full) is sent nothing until it drains, then a fresh snapshot: no
 * queue grows, and the chains never wait for a browser.
 *
 * Safety: bound to loopback, requests must name a loopback host (no DNS
 * rebinding); bound elsewhere, every request must carry the run's random
 * token. Pages are served with a strict Content-Security-Policy, and the
 * page treats every name and number as text.
 * @module
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { losslessStringify } from "../losslessJson.ts";
import { pageAssets } from "./assets.ts";
import { type Cursor, RunState } from "./runState.ts";
import type { DashboardEvent, Marginal, RunMeta, StatsEvent } from "./shared/protocol.ts";

/** Where and how the server listens, and how often it sends. */
export interface ServerOptions {
  /** Port (0, the default: any free port). */
  readonly port?: number;
  /** Interface to bind ("127.0.0.1"). Anything but loopback requires the token in the URL. */
  readonly host?: string;
  /** Milliseconds between frames (100). */
  readonly frameMs?: number;
  /** Milliseconds between summaries at least (1000); longer when a summary takes long (20× its cost: summaries take at most 5 % of the main thread). */
  readonly statsMs?: number;
}

/** Draws per chain a summary reads while the run goes on (evenly spaced); the last summary reads all. */
const LIVE_SUMMARY_DRAWS = 1000;
/** Elements plotted when a page does not choose. */
const DEFAULT_SELECTION = 4;
/** Elements a page may plot at once. */
const MAX_SELECTION = 16;

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

interface Client {
  readonly res: ServerResponse;
  /** Chosen element indices; undefined: the default, once the run's names are known. */
  readonly requested: readonly number[] | undefined;
  selected: readonly number[];
  cursor: Cursor | undefined;
  /** What the snapshot it has knew of the run (its names); a page is sent a new snapshot when that changes. */
  meta: RunMeta | undefined;
  /** Its socket buffer is full: it is sent nothing until it drains. */
  behind: boolean;
  /** Events were withheld while it was behind: it needs a snapshot when it drains. */
  missed: boolean;
}

const SECURITY_HEADERS = {
  "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

/** The live page's HTML: everything it shows comes from its script. */
function liveHtml(query: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>sampo dashboard</title><link rel="stylesheet" href="app.css${query}"></head>
<body><script src="app.js${query}"></script></body></html>
`;
}

/** Serves a {@link RunState} to browsers. */
export class DashboardServer {
  private readonly server: Server;
  private readonly clients = new Set<Client>();
  private readonly token: string | undefined;
  private readonly timer: NodeJS.Timeout;
  private sentVersion = -1;
  private nextStatsAt = 0;
  private lastStats: { summary: NonNullable<ReturnType<RunState["summary"]>>; marginals: Map<number, Marginal> } | undefined;
  private endSent = false;
  /** The URL to open (with the token when one is required). */
  url = "";

  constructor(
    private readonly state: RunState,
    private readonly options: ServerOptions = {},
  ) {
    const host = options.host ?? "127.0.0.1";
    this.token = LOOPBACK.has(host) ? undefined : randomBytes(18).toString("base64url");
    this.server = createServer((req, res) => this.handle(req, res));
    this.timer = setInterval(() => this.flush(), options.frameMs ?? 100);
    this.timer.unref();
  }

  /** Starts listening; resolves with the URL. */
  async listen(): Promise<string> {
    const host = this.options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port ?? 0, host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    const shown = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "localhost" : host;
    this.url = `http://${shown}:${port}/${this.token === undefined ? "" : `?token=${this.token}`}`;
    return this.url;
  }

  /** Sends what is pending now (the end of a run is sent without waiting for the next frame). */
  flush(): void {
    const now = performance.timeOrigin + performance.now();
    if (this.state.version !== this.sentVersion) {
      this.sentVersion = this.state.version;
      const oldest = this.state.oldestPending ?? now;
      this.state.oldestPending = undefined;
      const chains = this.state.chains();
      const method = this.state.method === undefined ? {} : { method: this.state.method };
      for (const c of this.clients) {
        if (c.behind) {
          c.missed = true;
          continue;
        }
        if (c.meta !== this.state.meta) {
          this.sendSnapshot(c);
          continue;
        }
        const slots = c.cursor === undefined ? undefined : this.state.slotsSince(c.cursor, c.selected);
        if (slots === undefined) this.sendSnapshot(c);
        else this.send(c, { type: "frame", oldest, chains, ...method, ...slots });
      }
    }
    const finished = this.state.finished !== undefined;
    if ((this.state.newDraws > 0 && now >= this.nextStatsAt) || (finished && !this.endSent)) this.computeStats(now);
    if (finished && !this.endSent) {
      this.endSent = true;
      for (const c of this.clients)
        if (c.behind) c.missed = true;
        else this.send(c, { type: "end", ...this.state.finished! });
    }
  }

  private computeStats(now: number): void {
    const t0 = performance.now();
    // Live summaries read a bounded number of draws: their cost must not grow with the run (the main thread feeds the chains).
    const summary = this.state.summary(this.state.finished === undefined ? LIVE_SUMMARY_DRAWS : Infinity);
    if (summary === undefined) return;
    this.lastStats = { summary, marginals: new Map() };
    for (const c of this.clients)
      if (c.behind) c.missed = true;
      else this.sendStats(c);
    const cost = performance.now() - t0;
    this.nextStatsAt = now + Math.max(this.options.statsMs ?? 1000, 20 * cost);
  }

  private sendStats(c: Client): void {
    const last = this.lastStats;
    if (last === undefined) return;
    const marginals: Record<number, Marginal> = {};
    for (const j of c.selected) {
      let m = last.marginals.get(j);
      if (m === undefined) last.marginals.set(j, (m = RunState.marginal(last.summary, j)));
      marginals[j] = m;
    }
    const event: StatsEvent = { ...last.summary.event, marginals };
    this.send(c, event);
  }

  private sendSnapshot(c: Client): void {
    const names = this.state.meta?.names.length ?? 0;
    c.selected = (c.requested ?? Array.from({ length: Math.min(DEFAULT_SELECTION, names) }, (_, j) => j)).filter((j) => j < names);
    const { event, cursor } = this.state.snapshot(c.selected);
    c.cursor = cursor;
    c.meta = this.state.meta;
    // Whatever follows waits in the socket's buffer behind the snapshot: a few events, never a queue.
    this.send(c, event);
    this.sendStats(c);
    if (this.endSent) this.send(c, { type: "end", ...this.state.finished! });
  }

  /** Writes one event; a full buffer puts the client behind until it drains, and a snapshot then makes up what it missed. */
  private send(c: Client, event: DashboardEvent): void {
    if (c.res.write(`data: ${losslessStringify(event)}\n\n`) || c.behind) return;
    c.behind = true;
    c.res.once("drain", () => {
      c.behind = false;
      if (!c.missed) return;
      c.missed = false;
      this.sendSnapshot(c);
    });
  }

  private allowed(req: IncomingMessage, url: URL): boolean {
    if (this.token === undefined) {
      const host = (req.headers.host ?? "").replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
      return LOOPBACK.has(host);
    }
    const given = Buffer.from(url.searchParams.get("token") ?? "");
    const token = Buffer.from(this.token);
    return given.length === token.length && timingSafeEqual(given, token);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET") return void res.writeHead(405, SECURITY_HEADERS).end();
    if (!this.allowed(req, url)) return void res.writeHead(403, { ...SECURITY_HEADERS, "Content-Type": "text/plain" }).end("forbidden\n");
    const query = this.token === undefined ? "" : `?token=${this.token}`;
    switch (url.pathname) {
      case "/":
        return void res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "text/html; charset=utf-8" }).end(liveHtml(query));
      case "/app.js":
      case "/app.css":
        return void pageAssets("live").then(
          (a) => {
            const js = url.pathname === "/app.js";
            res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": js ? "text/javascript" : "text/css" }).end(js ? a.js : a.css);
          },
          (e: unknown) => res.writeHead(500, { "Content-Type": "text/plain" }).end(`bundling the page failed: ${String(e)}\n`),
        );
      case "/favicon.ico":
        return void res.writeHead(204, SECURITY_HEADERS).end();
      case "/events":
        return this.open(req, res, url);
      default:
        res.writeHead(404, { ...SECURITY_HEADERS, "Content-Type": "text/plain" }).end("not found\n");
    }
  }

  private open(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const sel = url.searchParams.get("sel");
    const requested =
      sel === null
        ? undefined
        : [
            ...new Set(
              sel
                .split(",")
                .filter((s) => /^\d+$/.test(s))
                .map(Number),
            ),
          ].slice(0, MAX_SELECTION);
    res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "text/event-stream", Connection: "keep-alive" });
    const client: Client = { res, requested, selected: [], cursor: undefined, meta: undefined, behind: false, missed: false };
    this.clients.add(client);
    req.on("close", () => this.clients.delete(client));
    this.sendSnapshot(client);
  }

  /** Bytes waiting in each open page's socket buffer. */
  buffered(): number[] {
    return [...this.clients].map((c) => c.res.writableLength);
  }

  /** Closes every page's stream and the server. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
