/** A free TCP port for a process a test starts. */
import { createServer } from "node:net";

/**
 * A free TCP port on 127.0.0.1: the OS picks it for a probe server, which is closed before the
 * promise resolves (another process could take the port in between; callers that start a child
 * on it should retry on EADDRINUSE if that matters to them). Rejects if the probe cannot listen.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
