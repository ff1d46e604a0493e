// Prints raw, gzip -9 and brotli (quality 11) bytes of each shipped file in a folder, and the total.
// Usage: node scripts/size-report.mjs dist [--json]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

export function sizes(dir, pattern = /\.(js|wasm|css)$/) {
  return readdirSync(dir)
    .filter((name) => pattern.test(name) && statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name));
      return {
        file: name,
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
        brotli: brotliCompressSync(bytes, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
        }).length,
      };
    });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] || 'dist';
  const rows = sizes(dir);
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ files: rows, total }, null, 2));
  } else {
    const pad = (s, n) => String(s).padStart(n);
    console.log(`size report (${dir}/)        raw     gzip   brotli`);
    for (const r of rows) console.log(`  ${r.file.padEnd(26)}${pad(r.raw, 8)} ${pad(r.gzip, 8)} ${pad(r.brotli, 8)}`);
    console.log(`  ${'total'.padEnd(26)}${pad(total.raw, 8)} ${pad(total.gzip, 8)} ${pad(total.brotli, 8)}`);
  }
}
