// Audits reader pages of a running portal with Lighthouse, on the mobile and the desktop preset, and prints one row
// per page and form factor. Usage: node audit.mjs http://127.0.0.1:5000 [path ...] [--out DIR]
// Each run is repeated (--runs N, default 3) and the median score per category is reported, because Lighthouse's
// performance score moves with the machine's load; the HTML reports of the median run are written to --out.
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import * as chromeLauncher from "chrome-launcher";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const out = option("--out", null);
const runs = Number(option("--runs", "3"));
const base = (args.shift() ?? "http://127.0.0.1:5000").replace(/\/$/, "");
const paths = args.length > 0 ? args : ["/"];
const categories = ["performance", "accessibility", "best-practices", "seo"];

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const rows = [];
let failed = false;
try {
  if (out) mkdirSync(out, { recursive: true });
  for (const path of paths) {
    for (const formFactor of ["mobile", "desktop"]) {
      const config = formFactor === "desktop" ? desktopConfig : undefined;
      const results = [];
      for (let run = 0; run < runs; run++) {
        const result = await lighthouse(
          base + path,
          { port: chrome.port, output: "html", logLevel: "error", onlyCategories: categories },
          config);
        if (result.lhr.runtimeError) throw new Error(`${path}: ${result.lhr.runtimeError.message}`);
        results.push(result);
      }
      const scores = Object.fromEntries(categories.map((c) =>
        [c, Math.round(100 * median(results.map((r) => r.lhr.categories[c].score ?? 0)))]));
      const perf = results.map((r) => r.lhr.categories.performance.score ?? 0);
      const medianRun = results[perf.indexOf(median(perf))];
      if (out) {
        const name = `${path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "front"}-${formFactor}.html`;
        writeFileSync(join(out, name), medianRun.report);
      }
      const failures = Object.values(medianRun.lhr.audits)
        .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode === "binary" || (a.scoreDisplayMode === "numeric" && a.score !== null && a.score < 0.5))
        .map((a) => a.id);
      rows.push({ path, formFactor, ...scores, failures });
      if (categories.some((c) => scores[c] < 95)) failed = true;
    }
  }
} finally {
  await chrome.kill();
}

console.log(`| page | form factor | ${categories.join(" | ")} |`);
console.log(`|---|---|${categories.map(() => "---:").join("|")}|`);
for (const row of rows) {
  console.log(`| ${row.path} | ${row.formFactor} | ${categories.map((c) => row[c]).join(" | ")} |`);
}
for (const row of rows.filter((r) => r.failures.length > 0)) {
  console.log(`${row.path} (${row.formFactor}) audits below par: ${row.failures.join(", ")}`);
}
process.exitCode = failed ? 1 : 0;
