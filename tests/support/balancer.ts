/**
 * A small TCP load balancer for tests: each new connection goes to the next
 * backend port in turn; a backend that refuses the connection is skipped (as a
 * balancer's health check would), so clients reconnect to whichever process is
 * up. Used to restart server processes one at a time behind one address.
 */
import net from "node:net";
import { joinSockets } from "./tcp-pipe";

export interface Balancer {
  /** http://127.0.0.1:<port> of the balancer. */
  url: string;
  close(): Promise<void>;
}

/** Starts a balancer on a free port in front of `backendPorts` on 127.0.0.1 (the array may change later). */
export async function startBalancer(backendPorts: number[]): Promise<Balancer> {
  let next = 0;
  const open = new Set<net.Socket>();
  const connectToBackend = (tried: number, client: net.Socket) => {
    if (tried >= backendPorts.length) {
      client.destroy();
      return;
    }
    const port = backendPorts[next++ % backendPorts.length]!;
    const upstream = net.connect(port, "127.0.0.1");
    upstream.once("connect", () => {
      joinSockets(client, upstream, open);
      client.resume();
    });
    upstream.once("error", () => {
      if (!open.has(upstream)) connectToBackend(tried + 1, client);
    });
  };
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    connectToBackend(0, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
