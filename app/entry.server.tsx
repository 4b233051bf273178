/**
 * Server rendering: React Router 7's default Node entry, plus the request's
 * Content-Security-Policy nonce (docs/decisions/0008-content-security-policy.md).
 *
 * server/app.ts puts a fresh nonce in the load context. `<ServerRouter nonce>`
 * hands it to `<Links>`, `<Scripts>`, `<ScrollRestoration>` and the streamed
 * loader-data scripts; React's own inline scripts (Suspense) get it from
 * `renderToPipeableStream({ nonce })`. The nonce never reaches the client
 * bundle or loader data.
 */
import { PassThrough } from "node:stream";
import type { RenderToPipeableStreamOptions } from "react-dom/server";
import { renderToPipeableStream } from "react-dom/server";
import type { AppLoadContext, EntryContext } from "react-router";
import { ServerRouter } from "react-router";
import "./context";

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // https://httpwg.org/specs/rfc9110.html#HEAD
  if (request.method.toUpperCase() === "HEAD") {
    return new Response(null, { status: responseStatusCode, headers: responseHeaders });
  }

  const nonce = loadContext.cspNonce;
  if (!nonce) {
    // Without a nonce every script would be refused by the page's policy; fail loudly instead.
    throw new Error("No CSP nonce in the load context: is securityHeaders in server/app.ts installed for this path?");
  }

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;

    // Everyone gets the whole document at once, every Suspense boundary in place
    // (docs/decisions/0045-whole-document-rendering.md). No loader streams promises, so the only boundaries
    // are the debate page's lazy panels. Sent apart, such a panel arrives as a hidden segment plus an inline
    // script that reveals it a frame or up to 300 ms later (React 19.2 batches reveals): the page moves
    // after its first paint, and a live update reaching the boundary first left two hidden copies (the
    // failing CI runs of 2026-12-07).
    const readyOption: keyof RenderToPipeableStreamOptions = "onAllReady";

    // Abort after `streamTimeout` so rejected boundaries have time to flush.
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(), streamTimeout + 1000);

    const { pipe, abort } = renderToPipeableStream(<ServerRouter context={routerContext} url={request.url} nonce={nonce} />, {
      nonce,
      // React outlines any boundary that would take the bytes sent so far past `progressiveChunkSize`
      // (12,800 by default), even when it is complete; a debate page's shell alone is larger.
      progressiveChunkSize: Number.MAX_SAFE_INTEGER,
      [readyOption]() {
        shellRendered = true;
        // The document is complete: collect it and answer with one body. Streamed in React's small
        // writes through the compression middleware, each wait for "drain" left a listener on the
        // compressor (compression 1.8 maps res.on("drain") to it but not res.off), 11 or more per page.
        const chunks: Buffer[] = [];
        const body = new PassThrough();
        body.on("data", (chunk: Buffer) => chunks.push(chunk));
        body.on("error", reject);
        body.on("end", () => {
          // Clear the timeout so the closure is not retained.
          clearTimeout(timeoutId);
          timeoutId = undefined;
          responseHeaders.set("Content-Type", "text/html");
          resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
        });
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        // Errors inside the shell are logged by React Router's handleDocumentRequest.
        if (shellRendered) console.error(error);
      },
    });
  });
}
