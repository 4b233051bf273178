/** The Chromium the browser benchmarks drive (bench/large.ts, layout.ts, phone.ts, scroll.ts). */
import { chromium, type Browser } from "@playwright/test";
import { requireChromium } from "../../tests/support/chromium";

/** Chromium's switches for measuring: no sandbox (root in CI), no GPU, and none of its own background traffic. */
export const BENCH_CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Launches headless Chromium (tests/support/chromium.ts requireChromium: throws saying how to install it when missing) with BENCH_CHROMIUM_ARGS. */
export function launchBenchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: requireChromium().executablePath, args: BENCH_CHROMIUM_ARGS });
}
