// The tab's storage when the browser lets the page use it. A chat framed on another site
// (click-to-chat, docs/ARCHITECTURE.md) may be refused storage (third-party storage blocked):
// then an in-memory stand-in, so the chat still works and only a reload of the frame forgets it.
function memory(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, String(v)),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: (i) => [...m.keys()][i] ?? null,
    get length() { return m.size; },
  };
}

function usable(get: () => Storage): Storage {
  try {
    const s = get();
    s.setItem('bridge.probe', '1');
    s.removeItem('bridge.probe');
    return s;
  } catch {
    return memory();
  }
}

export const tabStorage = usable(() => sessionStorage);
export const siteStorage = usable(() => localStorage);
