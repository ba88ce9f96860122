// The nudge sound: a short two-tone chime generated as an 8-bit WAV in memory, so the page
// needs no audio file and plays it through an ordinary <audio> element.
let url: string | null = null;

function chimeUrl(): string {
  if (url) return url;
  const rate = 8000, n = 2400; // 0.3 s
  const buf = new DataView(new ArrayBuffer(44 + n));
  const str = (o: number, s: string) => { for (let i = 0; i < s.length; i++) buf.setUint8(o + i, s.charCodeAt(i)); };
  str(0, 'RIFF'); buf.setUint32(4, 36 + n, true); str(8, 'WAVEfmt ');
  buf.setUint32(16, 16, true); buf.setUint16(20, 1, true); buf.setUint16(22, 1, true);
  buf.setUint32(24, rate, true); buf.setUint32(28, rate, true); buf.setUint16(32, 1, true); buf.setUint16(34, 8, true);
  str(36, 'data'); buf.setUint32(40, n, true);
  for (let i = 0; i < n; i++) {
    const f = i < n / 2 ? 880 : 660;
    const env = 1 - (i % (n / 2)) / (n / 2);
    buf.setUint8(44 + i, 128 + Math.round(90 * env * Math.sin((2 * Math.PI * f * i) / rate)));
  }
  url = URL.createObjectURL(new Blob([buf.buffer], { type: 'audio/wav' }));
  return url;
}

/** Plays the chime; resolves true when it played (autoplay may be refused before a click). */
export async function playChime(): Promise<boolean> {
  try {
    const a = new Audio(chimeUrl());
    await a.play();
    document.documentElement.dataset.chimes = String(Number(document.documentElement.dataset.chimes ?? 0) + 1);
    return true;
  } catch {
    return false;
  }
}
