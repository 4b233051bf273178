/**
 * First step of `npm test`, before the build: makes sure the end-to-end tests will have a
 * Chromium (tests/support/chromium.ts says where it looks). When none is found it runs
 * `npx playwright install --only-shell chromium` once (a download of about 115 MB, about 270 MB in ~/.cache/ms-playwright);
 * where that cannot download (offline), it stops within seconds with one line naming that
 * command. Exit code 0 when a browser is there, 1 otherwise.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { CHROMIUM_INSTALL_COMMAND, findChromium, noChromiumMessage } from "../tests/support/chromium.ts";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/**
 * Runs Playwright's installer, showing its download progress but not its stack traces.
 * @returns undefined on success, else the reason it gave (e.g. "getaddrinfo ENOTFOUND cdn.playwright.dev").
 */
function installPlaywrightChromium(): Promise<string | undefined> {
  const cli = createRequire(import.meta.url).resolve("@playwright/test/cli");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, "install", "--only-shell", "chromium"], {
      stdio: ["ignore", "pipe", "pipe"],
      // Fail fast where the download host is unreachable rather than wait out long timeouts.
      env: { PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT: "15000", ...process.env },
    });
    let output = "";
    const shown = new Set<string>();
    const collect = (chunk: Buffer) => {
      output += String(chunk);
      for (const line of String(chunk).split("\n")) {
        const progress = /^(Downloading .*?)(?:\s+from .*)?$|(\d+% of [\d.]+ \w+)|(downloaded to .*)/.exec(line.replace(/\x1b\[[0-9;]*m/g, "").trim());
        const text = progress?.[1] ?? progress?.[2] ?? progress?.[3];
        if (text && !shown.has(text)) {
          shown.add(text);
          console.log(`  ${text}`);
        }
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("error", (error) => resolve(error.message));
    child.once("close", (code) => {
      if (code === 0) return resolve(undefined);
      const errors = [...output.matchAll(/^Error: (.+)$/gm)].map((match) => match[1]!.trim());
      resolve(errors.find((error) => /getaddrinfo|ECONN|ETIMEDOUT|EAI_|ENOTFOUND|timed out|certificate|proxy/i.test(error)) ?? errors[0] ?? `exit code ${code}`);
    });
  });
}

let found;
try {
  found = findChromium();
} catch (error) {
  fail((error as Error).message);
}
if (found) {
  console.log(`Chromium for the end-to-end tests: ${found.description}`);
} else {
  console.log(`No Chromium or Chrome found: running \`${CHROMIUM_INSTALL_COMMAND}\` (a download of about 115 MB, once)…`);
  const problem = await installPlaywrightChromium();
  if (problem) fail(noChromiumMessage(`Playwright could not download one (${problem})`));
  const installed = findChromium();
  if (!installed) fail(noChromiumMessage("Playwright's installer ran but left no browser to be found"));
  console.log(`Chromium for the end-to-end tests: ${installed.description}`);
}
