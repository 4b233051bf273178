import type { Services } from "../server/services";
import type { Site } from "../server/site";

/** What server/app.ts passes to every loader and action (getLoadContext). */
declare module "react-router" {
  interface AppLoadContext {
    services: Services;
    /** Where the site is reached (server/site.ts): cookie names and attributes, PUBLIC_URL, the origin for links. */
    site: Site;
    /**
     * This request's Content-Security-Policy nonce (server/app.ts securityHeaders);
     * app/entry.server.tsx gives it to every inline script React and React Router render.
     */
    cspNonce: string;
    /** The client's network address (for per-address rate limits). */
    clientAddress: string;
  }
}
export {};
