/**
 * Which Chromium the end-to-end tests (and bench/large.ts) drive, in this order:
 * 1. CHROMIUM_PATH, when set (it must run: a wrong path is an error, not a reason to look elsewhere);
 * 2. Playwright's own browser, when installed (`npx playwright install --only-shell chromium`
 *    puts its headless shell in ~/.cache/ms-playwright, or PLAYWRIGHT_BROWSERS_PATH);
 * 3. a Chromium or Chrome in the usual places: on PATH (chromium, chromium-browser,
 *    google-chrome, google-chrome-stable), /usr/bin, /snap/bin, /opt/google/chrome, the macOS
 *    /Applications bundles, Program Files and Local AppData on Windows.
 * A candidate counts only if it runs (`--version` exits 0; on Windows, where Chrome prints no
 * version, if the file exists), so an empty or non-executable file in its place is passed over.
 * scripts/ensure-chromium.ts installs Playwright's browser when none is found.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

/** The one command that gets a browser for the tests (a download of about 115 MB, once). */
export const CHROMIUM_INSTALL_COMMAND = "npx playwright install --only-shell chromium";

export interface ChromiumChoice {
  /** For Playwright's launch options; undefined means Playwright's own headless shell. */
  executablePath: string | undefined;
  /** Where it was found, for messages: `CHROMIUM_PATH (/x)`, `/usr/bin/chromium`, … */
  description: string;
}

/**
 * @returns the Chromium to use, or undefined when none is installed.
 * @throws Error (one line) when CHROMIUM_PATH is set but does not name a Chromium that runs.
 */
export function findChromium(): ChromiumChoice | undefined {
  const given = process.env.CHROMIUM_PATH;
  if (given) {
    if (!runs(given)) throw new Error(`CHROMIUM_PATH=${given} is not a Chromium or Chrome that runs here; fix it, or unset it to use Playwright's browser or a system one.`);
    return { executablePath: given, description: `CHROMIUM_PATH (${given})` };
  }
  const playwrights = playwrightBrowser();
  if (playwrights) return playwrights;
  for (const candidate of systemCandidates()) {
    if (runs(candidate)) return { executablePath: candidate, description: candidate };
  }
  return undefined;
}

/**
 * Like findChromium, for callers that cannot go on without one.
 * @throws Error (one line) naming the command that installs one.
 */
export function requireChromium(): ChromiumChoice {
  const found = findChromium();
  if (!found) throw new Error(noChromiumMessage());
  return found;
}

/** The one line shown when no Chromium can be had; `reason` finishes "…, and <reason>". */
export function noChromiumMessage(reason?: string): string {
  return `No Chromium for the end-to-end tests${reason ? `, and ${reason}` : ""}: run \`${CHROMIUM_INSTALL_COMMAND}\` once online, install Chromium or Chrome, or set CHROMIUM_PATH=/path/to/chrome.`;
}

/**
 * Playwright's installed headless shell (preferred: what Playwright launches headless by default)
 * or full Chromium, through playwright-core's registry (internal, so guarded: the public
 * `chromium.executablePath()` is the fallback and names the full browser only).
 */
function playwrightBrowser(): ChromiumChoice | undefined {
  const require = createRequire(import.meta.url);
  try {
    const core = require("playwright-core/lib/coreBundle") as { registry: { registry: { findExecutable(name: string): { executablePath(): string | undefined } | undefined } } };
    const shell = core.registry.registry.findExecutable("chromium-headless-shell")?.executablePath();
    if (shell && isExecutable(shell)) return { executablePath: undefined, description: `Playwright's Chromium headless shell (${shell})` };
    const full = core.registry.registry.findExecutable("chromium")?.executablePath();
    if (full && isExecutable(full)) return { executablePath: full, description: `Playwright's Chromium (${full})` };
    return undefined;
  } catch {
    try {
      const { chromium } = require("playwright-core") as { chromium: { executablePath(): string } };
      const full = chromium.executablePath();
      return isExecutable(full) ? { executablePath: full, description: `Playwright's Chromium (${full})` } : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Usual install locations of Chromium and Chrome on this platform, PATH first. */
function systemCandidates(): string[] {
  if (os.platform() === "win32") {
    const roots = [process.env.PROGRAMFILES, process.env["PROGRAMFILES(X86)"], process.env.LOCALAPPDATA].filter((root): root is string => Boolean(root));
    return roots.flatMap((root) => [path.join(root, "Google", "Chrome", "Application", "chrome.exe"), path.join(root, "Chromium", "Application", "chrome.exe")]);
  }
  if (os.platform() === "darwin") {
    const bundles = ["Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium", "Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing"];
    return [...bundles.map((bundle) => path.join("/Applications", bundle)), ...bundles.map((bundle) => path.join(os.homedir(), "Applications", bundle))];
  }
  const names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
  const onPath = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean).flatMap((folder) => names.map((name) => path.join(folder, name)));
  const fixed = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/snap/bin/chromium", "/opt/google/chrome/chrome"];
  return [...new Set([...onPath, ...fixed])];
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, os.platform() === "win32" ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `file` is a browser that starts: `--version` exits 0 within 20 s (on Windows: it exists). */
function runs(file: string): boolean {
  if (!existsSync(file) || !isExecutable(file)) return false;
  if (os.platform() === "win32") return true;
  return spawnSync(file, ["--version"], { stdio: "ignore", timeout: 20_000 }).status === 0;
}
