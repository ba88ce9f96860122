// Scratch (never run by `npm run bench`): the JPEG rate-distortion curve behind the photo quality
// choice (docs/ARCHITECTURE.md "Frame encoding", "Photo quality by a measured curve").
// Usage: node --import tsx bench/_rd-curve.ts [real-photo.jpg]
import sharp from 'sharp';
import { psnr } from '../test/helpers/frame-decoder.ts';
import * as S from '../test/helpers/synthetic-screen.ts';

const W = 1920, H = 1080;
sharp.concurrency(1);

async function real(path: string): Promise<S.RgbaImage> {
  const data = await sharp(path).resize(W, H, { fit: 'cover' }).ensureAlpha().raw().toBuffer();
  return { width: W, height: H, data };
}

type Opts = NonNullable<Parameters<ReturnType<typeof sharp>['jpeg']>[0]> & { scale?: number };
async function point(img: S.RgbaImage, o: Opts) {
  const c0 = process.cpuUsage();
  let p = sharp(img.data, { raw: { width: W, height: H, channels: 4 } }).removeAlpha();
  if (o.scale) p = p.resize(Math.round(W * o.scale), Math.round(H * o.scale));
  const jpg = await p.jpeg(o).toBuffer();
  const c = process.cpuUsage(c0);
  let dec = sharp(jpg);
  if (o.scale) dec = dec.resize(W, H);
  const back = { width: W, height: H, data: await dec.ensureAlpha().raw().toBuffer() };
  return { kb: jpg.byteLength / 1000, db: psnr(back, img), ms: (c.user + c.system) / 1000 };
}

const synth = S.blank(W, H); S.drawPhoto(synth, 0, 0, W, H, 101);
const images: [string, S.RgbaImage][] = [['synthetic', synth]];
if (process.argv[2]) images.push(['real', await real(process.argv[2])]);
const variants: [string, Opts][] = [
  ['420 huff', { optimiseCoding: true }],
  ['444 huff', { optimiseCoding: true, chromaSubsampling: '4:4:4' }],
  ['420 noHuff', { optimiseCoding: false }],
  ['420 huff qt3', { optimiseCoding: true, quantisationTable: 3 }],
  ['420 huff qt2', { optimiseCoding: true, quantisationTable: 2 }],
  ['420 huff qt4', { optimiseCoding: true, quantisationTable: 4 }],
  ['420 huff scale.5', { optimiseCoding: true, scale: 0.5 }],
  ['420 huff qt3 scale.5', { optimiseCoding: true, quantisationTable: 3, scale: 0.5 }],
  ['420 huff qt3 scale.25', { optimiseCoding: true, quantisationTable: 3, scale: 0.25 }],
  ['420 huff qt3 scale.75', { optimiseCoding: true, quantisationTable: 3, scale: 0.75 }],
];
const only = process.env.RD_ONLY; // a variant name to measure alone
for (const [name, img] of images) {
  for (const [vn, o] of variants) {
    if (only && vn !== only) continue;
    for (const q of [30, 40, 45, 50, 55, 60, 70, 80, 90]) {
      await point(img, { ...o, quality: q }); // warm
      const r = await point(img, { ...o, quality: q });
      console.log(`${name}\t${vn}\tq${q}\t${r.kb.toFixed(1)} KB\t${r.db.toFixed(2)} dB\t${r.ms.toFixed(1)} ms`);
    }
  }
}
