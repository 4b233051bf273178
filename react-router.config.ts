import type { Config } from "@react-router/dev/config";

export default {
  appDirectory: "app",
  ssr: true,
  // Ship the whole (small) route manifest with the page instead of fetching
  // /__manifest lazily: a participant who goes offline must not hit a failed
  // route-discovery request (seen as a crash of the debate page while offline).
  routeDiscovery: { mode: "initial" },
} satisfies Config;
