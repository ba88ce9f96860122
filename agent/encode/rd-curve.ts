// JPEG quality and scale for photo-like areas, read off a measured rate-distortion curve
// (docs/ARCHITECTURE.md "Frame encoding", "Photo quality by a measured curve"). The curve is the
// synthetic photo's (1/f texture plus sensor noise: the hardest content measured, a real photo
// needs ≈ 40 % of its bytes for +6 dB), so a choice that fits its bytes fits real photos too.

/** mozjpeg's quantisation table 3 (ImageMagick's): −4 % bytes at equal PSNR against table 0. */
export const QUANT_TABLE = 3;

export interface CurvePoint {
  quality: number;
  /** 1 = full resolution; 0.5 = half each way, the viewer scales it up. */
  scale: number;
  /** JPEG bytes per source pixel. */
  bpp: number;
  /** PSNR of the decoded (and scaled back) image against the source. */
  db: number;
}

// Measured with bench/_rd-curve.ts: synthetic 1920×1080 photo, sharp 4:2:0, Huffman optimised,
// table 3; bytes ÷ 2,073,600 px. Ordered by bytes.
const KB_PER_FRAME: [number, number, number, number][] = [
  // quality, scale, KB per 1080p frame, dB
  [30, 0.25, 10.5, 27.6],
  [60, 0.25, 18.5, 28.3],
  [30, 0.5, 31.3, 29.60],
  [50, 0.5, 48.9, 30.57],
  [70, 0.5, 73.4, 31.33],
  [30, 1, 101.7, 32.09],
  [40, 1, 133.1, 32.97],
  [50, 1, 161.3, 33.59],
  [55, 1, 177.3, 33.91],
  [60, 1, 193.6, 34.19],
  [70, 1, 244.7, 34.99],
  [80, 1, 339.3, 36.13],
  [90, 1, 543.0, 38.00],
];
export const CURVE: readonly CurvePoint[] = KB_PER_FRAME.map(([quality, scale, kb, db]) => ({ quality, scale, bpp: (kb * 1000) / (1920 * 1080), db }));

/**
 * The knee: the least bytes for ≥ 34 dB on the hard photo (≈ 200 KB per 1080p frame, so 5 changes
 * a second fit 1.0 MB/s). Past it each dB costs ≈ 30 % more bytes, and refinement at rest makes a
 * still area exact anyway.
 */
export const TARGET_DB = 34;
const TARGET = CURVE.find((p) => p.scale === 1 && p.db >= TARGET_DB)!;

/** The default choice: the cheapest point that reaches TARGET_DB. */
export const DEFAULT_CHOICE: CurvePoint = TARGET;

/**
 * The point for `pixels` of photo-like area when `budget` bytes may be spent on them (null: no
 * link estimate, the default). The best PSNR that fits the budget, never above the target (bytes
 * past the knee buy little); the cheapest point when nothing fits.
 */
export function choosePhoto(pixels: number, budget: number | null): CurvePoint {
  if (budget === null || pixels <= 0) return TARGET;
  const bpp = budget / pixels;
  let best = CURVE[0];
  for (const p of CURVE) if (p.bpp <= bpp && p.db <= TARGET.db) best = p;
  return best;
}
