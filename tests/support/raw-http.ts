/**
 * HTTP requests with headers fetch() will not send as given: a forged `Host`
 * (fetch always sends the URL's own), for the allowed-host and link-poisoning
 * tests. Built on node:http; the body is a string or Buffer, or none.
 */
import { request } from "node:http";

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Sends one request to `baseUrl` (http://host:port) with exactly these headers.
 * @param options.headers e.g. `{ Host: "evil.example", Origin: "http://evil.example" }`.
 */
export function rawRequest(baseUrl: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawReply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: options.method ?? (options.body === undefined ? "GET" : "POST"), headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A urlencoded form body with its Content-Type, for rawRequest. */
export function formBody(fields: Record<string, string>): { body: string; headers: Record<string, string> } {
  return { body: new URLSearchParams(fields).toString(), headers: { "Content-Type": "application/x-www-form-urlencoded" } };
}
