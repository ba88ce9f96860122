// Grouping changed tiles into fewer, larger rects: one deflate stream or one JPEG over a larger
// area compresses better and costs less per-rect overhead, as long as the group does not drag
// in much unchanged area.
import { type Box, area, union } from './types.ts';

export interface Group { box: Box; parts: Box[] }

/**
 * Greedy merge of boxes (given in row-major tile order): a box joins a group when the union
 * wastes at most `slack` of the summed areas (+ `pad` pixels), and groups stay under `maxArea`.
 */
export function mergeBoxes(boxes: Box[], slack = 0.25, pad = 1024, maxArea = 1 << 30): Group[] {
  const fits = (a: Group, b: Box, bArea: number): Box | null => {
    const u = union(a.box, b);
    const ua = area(u);
    return ua <= maxArea && ua <= (area(a.box) + bArea) * (1 + slack) + pad ? u : null;
  };
  let groups: Group[] = [];
  for (const b of boxes) {
    let joined = false;
    // only the last few groups can be neighbours in row-major order
    for (let g = groups.length - 1; g >= Math.max(0, groups.length - 3); g--) {
      const u = fits(groups[g], b, area(b));
      if (u) { groups[g].box = u; groups[g].parts.push(b); joined = true; break; }
    }
    if (!joined) groups.push({ box: { ...b }, parts: [b] });
  }
  // then rows of groups into taller groups (a text block becomes one rect)
  for (let changed = true; changed && groups.length > 1;) {
    changed = false;
    const out: Group[] = [];
    for (const g of groups) {
      const host = out.find((o) => fits(o, g.box, area(g.box)));
      if (host) { host.box = union(host.box, g.box); host.parts.push(...g.parts); changed = true; }
      else out.push(g);
    }
    groups = out;
  }
  return groups;
}
