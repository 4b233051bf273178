/**
 * Whether the page's scripts have taken over (false in the server's HTML and during hydration, true
 * after): forms render their no-JavaScript fallbacks until then (issue 21). No hydration mismatch: the
 * hydrating render uses the server's snapshot, React re-renders with the client's at once.
 */
import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/** True once the page is hydrated. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
