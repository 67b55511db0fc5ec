/**
 * Connecting to a NATS server as a coordinator or a worker: where it is and
 * who we are (a credentials file, an nkey seed, a token, TLS files). The
 * secrets are read from files here and handed to the official client; they
 * are never logged or sent anywhere else.
 * @module
 */
import { readFileSync } from "node:fs";
import type { NatsConnection } from "@nats-io/transport-node";

/** Where the NATS server is and how to authenticate (at most one of `creds`, `nkey`, `token`). */
export interface ClusterConnection {
  /** Server URLs, e.g. `"nats://10.0.0.5:4222"` (several for a NATS cluster). */
  readonly servers: string | readonly string[];
  /** A credentials file (`.creds`: a user JWT and its nkey seed), as `nsc` writes it. */
  readonly creds?: string;
  /** A file holding an nkey seed (`SU…`), for servers configured with nkey users. */
  readonly nkey?: string;
  /** A token, for servers configured with `authorization { token: … }`. */
  readonly token?: string;
  /** TLS: the CA that signed the server's certificate, and a client certificate and key for mutual TLS. */
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string };
  /** The connection's name, as the server's monitoring shows it. */
  readonly name?: string;
}

/** How long the first connection may take (ms). */
const CONNECT_TIMEOUT_MS = 10_000;

/** Thrown when a cluster option is wrong before any connection is tried. */
export class ClusterOptionError extends Error {
  override readonly name = "ClusterOptionError";
}

/** Reads a file named by an option, saying which option when it cannot. */
function readOptionFile(option: string, path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ClusterOptionError(`${option} ${path}: ${(e as Error).message}`);
  }
}

/**
 * Connects, reconnecting forever after a lost connection (a restarted
 * server must not end a run). Fails at once when the first connection is
 * refused or the credentials are rejected.
 */
export async function connectCluster(c: ClusterConnection): Promise<NatsConnection> {
  // Loaded here, by the first connection, not by every importer of ClusterOptionError (the package root).
  const { connect, credsAuthenticator, nkeyAuthenticator } = await import("@nats-io/transport-node");
  const given = [c.creds, c.nkey, c.token].filter((x) => x !== undefined).length;
  if (given > 1) throw new ClusterOptionError("give at most one of creds, nkey and token");
  const authenticator =
    c.creds !== undefined
      ? credsAuthenticator(readOptionFile("creds", c.creds))
      : c.nkey !== undefined
        ? nkeyAuthenticator(new TextEncoder().encode(new TextDecoder().decode(readOptionFile("nkey", c.nkey)).trim()))
        : undefined;
  const tls =
    c.tls === undefined
      ? undefined
      : {
          ...(c.tls.ca !== undefined && { caFile: c.tls.ca }),
          ...(c.tls.cert !== undefined && { certFile: c.tls.cert }),
          ...(c.tls.key !== undefined && { keyFile: c.tls.key }),
        };
  try {
    return await connect({
      servers: typeof c.servers === "string" ? c.servers : [...c.servers],
      ...(authenticator !== undefined && { authenticator }),
      ...(c.token !== undefined && { token: c.token }),
      ...(tls !== undefined && { tls }),
      name: c.name ?? "sampo",
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: CONNECT_TIMEOUT_MS,
    });
  } catch (e) {
    const servers = typeof c.servers === "string" ? c.servers : c.servers.join(", ");
    const why = (e as Error).message;
    // A server that wants a client certificate drops the handshake without a word: the client only sees time pass.
    const hint = /timeout/i.test(why) ? " (no answer: is the address right, and does the server require TLS or a client certificate?)" : "";
    throw new Error(`cannot connect to NATS at ${servers}: ${why}${hint}`, { cause: e });
  }
}
