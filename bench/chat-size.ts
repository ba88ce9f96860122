// Customer chat budget (issue 3): JS size gzipped (target ≤ 30 KB) and where the bytes go.
// Usage: node --import tsx bench/chat-size.ts [--json]
import { build } from 'esbuild';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function chatSize(): Promise<{ raw: number; gzip: number; brotli: number; parts: Record<string, number> }> {
  const r = await build({
    entryPoints: [`${root}web-chat/main.tsx`], bundle: true, minify: true, format: 'esm', write: false, metafile: true,
    jsx: 'automatic', jsxImportSource: 'preact', target: ['chrome100', 'firefox100', 'safari15'], legalComments: 'none', logLevel: 'silent',
  });
  const out = r.outputFiles[0].contents;
  const parts: Record<string, number> = {};
  for (const [k, v] of Object.entries(Object.values(r.metafile.outputs)[0].inputs)) {
    const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(k);
    const g = m ? m[1] : k.split('/').slice(0, 2).join('/');
    parts[g] = (parts[g] ?? 0) + v.bytesInOutput;
  }
  return { raw: out.length, gzip: gzipSync(out, { level: 9 }).length, brotli: brotliCompressSync(out).length, parts };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const s = await chatSize();
  if (process.argv.includes('--json')) console.log(JSON.stringify(s));
  else {
    console.log(`web-chat app.js: ${s.raw} B raw, ${s.gzip} B gzip, ${s.brotli} B brotli (budget 30720 B gzip)`);
    for (const [k, v] of Object.entries(s.parts).sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(32)} ${v} B minified`);
  }
}
