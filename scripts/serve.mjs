// A small static server for the demo, the end-to-end tests and the benchmark.
//   node scripts/serve.mjs [--port 8080] [--root .] [--compress] [--quiet]
// --compress serves brotli or gzip (as the browser asks) with long-lived caching for dist/ and
// vendor files, as a CDN would. Also importable: `await serve({ port: 0 })` returns { url, close }.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function serve({ port = 8080, host = '127.0.0.1', root = '.', compress = false, quiet = true } = {}) {
  const base = resolve(root);
  const cache = new Map();
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(base, path));
      if (!file.startsWith(base)) throw Object.assign(new Error('outside root'), { code: 'ENOENT' });
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      let body = await readFile(file);
      const type = TYPES[extname(file)] || 'application/octet-stream';
      const headers = { 'content-type': type };
      if (compress) {
        const accept = String(req.headers['accept-encoding'] || '');
        const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
        if (encoding && !/^image\/png/.test(type)) {
          const key = `${encoding}:${file}`;
          if (!cache.has(key)) {
            cache.set(key, encoding === 'br'
              ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
              : gzipSync(body, { level: 9 }));
          }
          body = cache.get(key);
          headers['content-encoding'] = encoding;
          headers.vary = 'accept-encoding';
        }
        headers['cache-control'] = /\.html$/.test(file) ? 'no-cache' : 'public, max-age=31536000, immutable';
      } else {
        headers['cache-control'] = 'no-store';
      }
      headers['content-length'] = body.length;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
      if (!quiet) console.log(`200 ${req.url}`);
    } catch (e) {
      const status = e.code === 'ENOENT' || e.code === 'ENOTDIR' ? 404 : 500;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 404 ? 'not found' : 'error');
      if (!quiet) console.log(`${status} ${req.url}`);
    }
  });
  return new Promise((ok, ko) => {
    server.once('error', ko);
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      ok({ url: `http://${host}:${bound}`, close: () => new Promise((done) => server.close(done)), server });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const { url } = await serve({
    port: Number(arg('port', process.env.PORT || 8080)),
    root: arg('root', '.'),
    compress: process.argv.includes('--compress'),
    quiet: process.argv.includes('--quiet'),
  });
  console.log(`serving ${resolve(arg('root', '.'))} on ${url}/ (Ctrl-C to stop)`);
}
