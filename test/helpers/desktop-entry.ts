// Reads a desktop entry's Exec line the way a session manager does (Desktop Entry Specification,
// "The Exec key"): the string value's escapes first, then the quoting, then `%%` as `%`.
export function execArgs(desktop: string): string[] {
  const line = /^Exec=(.*)$/m.exec(desktop)![1].replace(/\\(.)/g, (_, c: string) => (c === 's' ? ' ' : c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
  const args: string[] = [];
  let cur: string | null = null, quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '\\') cur += line[++i];
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === ' ') { if (cur !== null) args.push(cur); cur = null; }
    else if (c === '"') { quoted = true; cur ??= ''; }
    else cur = (cur ?? '') + c;
  }
  if (cur !== null) args.push(cur);
  return args.map((a) => a.replace(/%%/g, '%'));
}
