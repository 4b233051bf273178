import type { Services } from "../server/services";

/** What server/app.ts passes to every loader and action (getLoadContext). */
declare module "react-router" {
  interface AppLoadContext {
    services: Services;
  }
}
export {};
