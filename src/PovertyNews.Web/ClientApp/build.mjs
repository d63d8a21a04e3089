// Bundles the editor's front-end packages into ../wwwroot/js/dist, so `dotnet run` needs only the .NET SDK.
// The bundles are committed; CI runs `npm ci && npm run build` from the lockfile and fails if they differ.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

const outdir = new URL('../wwwroot/js/dist/', import.meta.url).pathname;

await build({
  entryPoints: { paste: 'src/paste.js' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  outdir,
  legalComments: 'none',
  logLevel: 'warning',
});

// The licences of what is bundled, next to the bundle (the packages' own licence files).
const packages = ['turndown', 'turndown-plugin-gfm'];
const notices = packages.map((name) => {
  const meta = JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url)));
  const licence = readFileSync(new URL(`node_modules/${name}/LICENSE`, import.meta.url), 'utf8').trim();
  return `${name} ${meta.version} (${meta.license})\n\n${licence}\n`;
});
writeFileSync(outdir + 'paste.js.LICENSES.txt', notices.join('\n---\n\n'));
