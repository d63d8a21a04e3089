// Bundles the editor's front-end packages into ../wwwroot/js/dist, so `dotnet run` needs only the .NET SDK.
// The bundles are committed; CI runs `npm ci && npm run build` from the lockfile and fails if they differ.
import { build } from 'esbuild';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const outdir = new URL('../wwwroot/js/dist/', import.meta.url).pathname;
const entries = { paste: ['src/paste.js'], 'visual-editor': ['src/visual-editor.js', 'src/visual-editor.css'] };

for (const [name, files] of Object.entries(entries)) {
  const result = await build({
    entryPoints: files.map((file) => ({ in: file, out: name })),
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    outdir,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });

  // The licences of every package that ended up in the bundle, next to it, from the packages' own licence files.
  const packages = new Set();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) {
      packages.add(match[1]);
    }
  }
  const notices = [...packages].sort().map((pkg) => {
    const folder = new URL(`node_modules/${pkg}/`, import.meta.url);
    const meta = JSON.parse(readFileSync(new URL('package.json', folder)));
    const file = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'license.md']
      .map((candidate) => new URL(candidate, folder))
      .find((candidate) => existsSync(candidate));
    if (!file) {
      throw new Error(`${pkg} ships no licence file; add it to the notices by hand is not allowed, so check the package.`);
    }
    return `${pkg} ${meta.version} (${meta.license})\n\n${readFileSync(file, 'utf8').trim()}\n`;
  });
  writeFileSync(`${outdir}${name}.js.LICENSES.txt`, notices.join('\n---\n\n'));
}
