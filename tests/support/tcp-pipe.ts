/**
 * Joins two TCP sockets both ways (tests' proxies: database-proxy.ts, balancer.ts),
 * tracking both in `open` so the proxy can cut them; when either side ends or
 * fails, both are destroyed and forgotten.
 */
import type net from "node:net";

export function joinSockets(client: net.Socket, upstream: net.Socket, open: Set<net.Socket>): void {
  open.add(client);
  open.add(upstream);
  const end = () => {
    client.destroy();
    upstream.destroy();
    open.delete(client);
    open.delete(upstream);
  };
  client.on("error", end).on("close", end);
  upstream.on("error", end).on("close", end);
  client.pipe(upstream);
  upstream.pipe(client);
}
