// Gives a wasm file a module name: a "name" custom section holding only the module name
// subsection (a few bytes; the build strips every other name).
//   node scripts/wasm-module-name.mjs FILE NAME
// Why: when the browser cannot compile the wasm from its response (a server that sends it with the
// wrong MIME type makes the glue fall back to WebAssembly.instantiate), stack frames of a trap do not
// carry the file's URL but `wasm://wasm/<module name>-<hash>`. With the name there, the loader can
// still tell a trap in our wasm from one in the host page's (consent-banner-extra.js, `trapped`).
import { readFileSync, writeFileSync } from 'node:fs';

const leb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const vec = (bytes) => [...leb(bytes.length), ...bytes];

/** The unsigned LEB128 number at `at` in `bytes`, and where the next field starts. */
function readLeb(bytes, at) {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

/** The bytes of `wasm` with a name section naming the module `name` appended. */
export function withModuleName(wasm, name) {
  if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm file');
  // Refuse a second name section (the build strips names, so there is none to merge with).
  for (let at = 8; at < wasm.length;) {
    const id = wasm[at];
    const [size, content] = readLeb(wasm, at + 1);
    if (id === 0) {
      const [length, text] = readLeb(wasm, content);
      if (wasm.toString('utf8', text, text + length) === 'name') throw new Error('the wasm already has a name section');
    }
    at = content + size;
  }
  const subsection = [0, ...vec(vec([...Buffer.from(name)]))];
  const section = [0, ...vec([...vec([...Buffer.from('name')]), ...subsection])];
  return Buffer.concat([wasm, Buffer.from(section)]);
}

const [file, name] = process.argv.slice(2);
if (!file || !name) {
  console.error('usage: node scripts/wasm-module-name.mjs FILE NAME');
  process.exit(2);
}
writeFileSync(file, withModuleName(readFileSync(file), name));
