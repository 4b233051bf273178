/**
 * A TCP proxy between a server under test and PostgreSQL, so a test can take
 * the database away and give it back without touching the real server:
 * `cut()` ends every proxied connection and refuses new ones (what a database
 * restart or a network partition looks like to the pool), `restore()` lets
 * connections through again.
 *
 *   const proxy = await startDatabaseProxy(inject("databaseUrl"));
 *   startServer({ databaseUrl: proxy.databaseUrl, … });
 *   proxy.cut(); …; proxy.restore();
 */
import net from "node:net";
import { joinSockets } from "./tcp-pipe";

export interface DatabaseProxy {
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  databaseUrl: string;
  /** Ends every open connection and refuses new ones until restore(). */
  cut(): void;
  /** Lets new connections through again. */
  restore(): void;
  /** Stops listening and ends every connection. */
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 and a free port in front of the PostgreSQL of `databaseUrl`. */
export async function startDatabaseProxy(databaseUrl: string): Promise<DatabaseProxy> {
  const target = new URL(databaseUrl);
  const targetPort = Number(target.port || 5432);
  const targetHost = target.hostname || "127.0.0.1";
  let down = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    joinSockets(client, net.connect(targetPort, targetHost), open);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxied = new URL(databaseUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String((server.address() as net.AddressInfo).port);
  const destroyAll = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
  return {
    databaseUrl: proxied.toString(),
    cut() {
      down = true;
      destroyAll();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        destroyAll();
        server.close(() => resolve());
      }),
  };
}
