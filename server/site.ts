/**
 * Where this Steelman is reached, and what follows from it
 * (docs/decisions/0030-public-url-hosts-and-cookies.md):
 *
 * - **Links that leave the request** (password-reset mail, later
 *   notifications, anything stored or exported) take their origin from
 *   `PUBLIC_URL`, never from a request's Host, Origin or X-Forwarded-* headers.
 *   Without PUBLIC_URL they use the address the server listens on (its
 *   address on the local network when it listens on every interface), so a
 *   teacher's laptop still mails links the classroom can open.
 * - **Allowed hosts** (as Django's ALLOWED_HOSTS): with PUBLIC_URL (or
 *   ALLOWED_HOSTS) set, a request naming any other host is refused with 400
 *   before anything reads it. The host is the Host header, or X-Forwarded-Host
 *   when the proxy that sent it is trusted (TRUST_PROXY, Express's `trust proxy`).
 * - **Cookies and HSTS**: when PUBLIC_URL is https, every cookie is `Secure`
 *   and carries the `__Host-` prefix (bound to this exact host, path /, never
 *   sent over plain HTTP), and every response carries
 *   `Strict-Transport-Security`. Independent of NODE_ENV.
 */
import type { IncomingMessage } from "node:http";
import { networkInterfaces } from "node:os";

/** HSTS for an https PUBLIC_URL: two years (ASVS 5 3.4.1 asks ≥ 1 year, and for L2 the subdomains too). */
export const HSTS_HEADER = "max-age=63072000; includeSubDomains";

/** Paths answered whatever Host a request names: load-balancer health checks and the metrics scraper (which has its own token) often use an address. */
const HOST_CHECK_EXEMPT = /^\/(?:healthz|metrics)$/;

export interface SiteOptions {
  /** PUBLIC_URL, e.g. "https://steelman.example.org" (a path, query or fragment is refused). */
  publicUrl?: string;
  /** ALLOWED_HOSTS: more host names this server answers for: "name", ".example.org" (it and its subdomains) or "*" (any). */
  allowedHosts?: string[];
}

/** Express's compiled `trust proxy` (app.get("trust proxy fn")): whether the peer at `address` is a proxy to believe. */
export type TrustProxyFn = (address: string | undefined, hop: number) => boolean;

/**
 * @throws Error when PUBLIC_URL is not an http(s) origin.
 */
function parsePublicUrl(value: string | undefined): URL | null {
  if (!value) return null;
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("PUBLIC_URL must start with http:// or https://");
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || url.username || url.password) {
    throw new Error("PUBLIC_URL must be an origin only, like https://steelman.example.org (no path, query or user)");
  }
  return url;
}

/** A host name without its port, lower-cased ("[::1]:3000" → "[::1]", "Example.org:80" → "example.org"). */
export function stripPort(host: string): string {
  const offset = host.startsWith("[") ? host.indexOf("]") + 1 : 0;
  const colon = host.indexOf(":", offset);
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

/**
 * The host name a request names, as Express's `req.hostname` reads it: the
 * first X-Forwarded-Host when the peer is a trusted proxy, else Host; without
 * the port. Also used for the socket.io handshake, which Express never sees.
 * @returns "" when the request names no host.
 */
export function requestHostname(req: IncomingMessage, trust: TrustProxyFn): string {
  const forwarded = req.headers["x-forwarded-host"];
  const forwardedHost = typeof forwarded === "string" && forwarded && trust(req.socket.remoteAddress, 0) ? forwarded.split(",")[0]!.trim() : "";
  return stripPort(forwardedHost || req.headers.host || "");
}

/** This machine's first IPv4 address on a network (not loopback), or null. */
function lanAddress(): string | null {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) if (entry.family === "IPv4" && !entry.internal) return entry.address;
  }
  return null;
}

/**
 * The site's configuration, fixed at start. `linkOrigin` is known once the
 * server listens (its port may be chosen then); `listening()` sets it.
 */
export class Site {
  /** PUBLIC_URL parsed, or null. */
  readonly publicUrl: URL | null;
  /** Whether the site is served over https (PUBLIC_URL is https): cookies Secure and __Host-, HSTS sent. */
  readonly secure: boolean;
  private readonly exactHosts = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly anyHost: boolean;
  private fallbackOrigin = "http://localhost";

  /** @throws Error when PUBLIC_URL is not an http(s) origin. */
  constructor(options: SiteOptions = {}) {
    this.publicUrl = parsePublicUrl(options.publicUrl);
    this.secure = this.publicUrl?.protocol === "https:";
    if (this.publicUrl) this.exactHosts.add(this.publicUrl.hostname.toLowerCase());
    let anyHost = false;
    for (const raw of options.allowedHosts ?? []) {
      const entry = raw.trim().toLowerCase();
      if (!entry) continue;
      if (entry === "*") anyHost = true;
      else if (entry.startsWith(".")) this.suffixes.push(entry);
      else this.exactHosts.add(stripPort(entry));
    }
    // Neither PUBLIC_URL nor ALLOWED_HOSTS: every host is answered (development, tests, a laptop on a classroom network).
    this.anyHost = anyHost || this.exactHosts.size === 0;
  }

  /** Whether requests are checked against the allowed hosts at all. */
  get checksHosts(): boolean {
    return !this.anyHost;
  }

  /** The host names this server answers for, for messages ("*" when any). */
  get allowedHostsDescription(): string {
    return this.anyHost ? "*" : [...this.exactHosts, ...this.suffixes].join(", ");
  }

  /** Whether a host name (without port) is one this server answers for. */
  isAllowedHost(hostname: string): boolean {
    if (this.anyHost) return true;
    const host = stripPort(hostname).replace(/\.$/, "");
    if (!host) return false;
    if (this.exactHosts.has(host)) return true;
    return this.suffixes.some((suffix) => host === suffix.slice(1) || host.endsWith(suffix));
  }

  /** Whether a request may be answered: an allowed host, or a path exempt from the check (/healthz, /metrics). */
  allowsRequest(req: IncomingMessage, trust: TrustProxyFn): boolean {
    if (!this.checksHosts) return true;
    const path = (req.url ?? "/").split("?")[0]!;
    return HOST_CHECK_EXEMPT.test(path) || this.isAllowedHost(requestHostname(req, trust));
  }

  /**
   * Records where the server listens, for links when PUBLIC_URL is unset:
   * a specific address as it is; every interface (0.0.0.0, ::) as this
   * machine's address on its network, else localhost.
   */
  listening(host: string, port: number): void {
    const wildcard = host === "0.0.0.0" || host === "::" || host === "";
    const name = wildcard ? (lanAddress() ?? "localhost") : host.includes(":") ? `[${host}]` : host;
    this.fallbackOrigin = `http://${name}:${port}`;
  }

  /** The origin put in links that leave the request (mail): PUBLIC_URL, else the listening address. No trailing slash. */
  get linkOrigin(): string {
    return this.publicUrl ? this.publicUrl.origin : this.fallbackOrigin;
  }

  /** A cookie's name on this site: `__Host-<name>` over https (Secure, Path=/, no Domain: bound to this host), else `<name>`. */
  cookieName(name: string): string {
    return this.secure ? `__Host-${name}` : name;
  }

  /**
   * Attributes of every cookie the app sets: httpOnly, SameSite=Lax, Path=/,
   * Secure over https. `maxAgeSeconds` 0 deletes the cookie.
   */
  cookieOptions(maxAgeSeconds: number) {
    return {
      httpOnly: true,
      sameSite: "lax" as const,
      secure: this.secure,
      path: "/",
      maxAge: maxAgeSeconds,
      ...(maxAgeSeconds === 0 ? { expires: new Date(0) } : {}),
    };
  }
}
