/**
 * The HAProxy configuration of the several-process set-up (scripts/lib/haproxy.ts): sticky by
 * cookie, health-checked on /healthz, WebSocket-friendly; and docker/haproxy.cfg (the Docker
 * Compose `cluster` profile, which cannot run on CI) is exactly what the generator writes, so the
 * configuration CI proves with a real HAProxy (tests/integration/proxy-cluster.test.ts) is the one
 * Docker users get.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { haproxyConfig, STICKY_COOKIE } from "../../scripts/lib/haproxy";
import { projectRoot } from "../support/article";

describe("haproxyConfig", () => {
  const config = haproxyConfig({ bindPort: 3440, backends: [{ name: "a", port: 3441 }, { name: "b", port: 3442 }], maxConnections: 1000 });

  it("keeps a client on one backend by a cookie HAProxy inserts, and checks /healthz", () => {
    expect(config).toContain(`cookie ${STICKY_COOKIE} insert indirect nocache httponly`);
    expect(config).toContain("server a 127.0.0.1:3441 cookie a");
    expect(config).toContain("server b 127.0.0.1:3442 cookie b");
    expect(config).toMatch(/http-check send meth GET uri \/healthz/);
    expect(config).toContain("http-check expect status 200");
    expect(config).toContain("option redispatch");
    expect(config).toContain("timeout tunnel 1h");
    expect(config).toContain("bind 127.0.0.1:3440");
  });

  it("refuses a backend name that could not be a cookie value, and a port out of range", () => {
    expect(() => haproxyConfig({ bindPort: 3440, backends: [{ name: "a b", port: 3441 }] })).toThrow();
    expect(() => haproxyConfig({ bindPort: 70000, backends: [{ name: "a", port: 3441 }] })).toThrow();
    expect(() => haproxyConfig({ bindPort: 3440, backends: [] })).toThrow();
  });

  it("is what docker/haproxy.cfg holds for the Compose cluster profile", () => {
    const generated = haproxyConfig({ bindHost: "0.0.0.0", bindPort: 8080, maxConnections: 4000, backends: [{ name: "app-1", host: "app-1", port: 3000 }, { name: "app-2", host: "app-2", port: 3000 }] });
    expect(readFileSync(path.join(projectRoot, "docker", "haproxy.cfg"), "utf8")).toBe(generated);
  });
});
