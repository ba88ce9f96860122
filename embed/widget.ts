// The click-to-chat widget on the embedding page (docs/ARCHITECTURE.md, "Click-to-chat"): a
// launcher that follows availability, the invitation, the offline alternative (message form or
// link), and the chat itself in a frame or a popup, opened only on a click. Everything lives in an
// open shadow root (closed would hide nothing from the page that hosts it, and tests read it);
// the page's DOM is touched only to add the one host element.
import type { EmbedAvailability, EmbedLook, EmbedSettings, EmbedStartResponse } from '../protocol/api/embed.ts';
import { bridgeApi } from './bridge-api.ts';
import { h } from './dom.ts';
import type { SiteOptions } from './options.ts';
import { CSS } from './styles.ts';
import { textsFor, type Texts } from './texts.ts';

export interface Widget { destroy(): void }

type Card = 'none' | 'invitation' | 'form' | 'sent' | 'error' | 'blocked';

export function mountWidget(origin: string, site: SiteOptions): Widget {
  const api = bridgeApi(origin);
  const queue = site.queue ?? 'general';
  const fields = site.fields ?? {};
  const host = h('div', { 'data-bridge-chat': '' });
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  root.adoptedStyleSheets = [sheet];
  // Three slots: the panel's slot is never re-rendered (moving an iframe would reload the chat).
  const cardSlot = h('div', { class: 'slot' });
  const panelSlot = h('div', { class: 'slot' });
  const launcherSlot = h('div', { class: 'slot' });
  const box = h('div', { class: 'bw', hidden: '' }, cardSlot, panelSlot, launcherSlot);
  const live = h('p', { class: 'sr', 'aria-live': 'polite' });
  root.append(box, live);
  document.body.append(host);

  let settings: EmbedSettings | null = null;
  let look: EmbedLook | null = null;
  let t: Texts = textsFor('en');
  let avail: EmbedAvailability | null = null;
  let card: Card = 'none';
  let error = '';
  let invitationDismissed = false;
  let chat: EmbedStartResponse | null = null;
  let panel: HTMLElement | null = null;
  /** The message form, kept while it is shown so a re-render keeps what the visitor typed. */
  let form: HTMLElement | null = null;
  let busy = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gone = false;

  function render(focus?: 'launcher' | 'card'): void {
    if (!settings || !look || !avail) return;
    box.className = look.position === 'bottom-left' ? 'bw left' : 'bw';
    const c = cardView();
    if (c !== form) form = null;
    if (cardSlot.firstChild !== c) cardSlot.replaceChildren(...(c ? [c] : []));
    launcherSlot.replaceChildren(...[launcher()].filter((n): n is HTMLElement => n !== null));
    const panelOpen = panel !== null && !panel.hidden;
    if (focus === 'card') box.querySelector<HTMLElement>('.card input, .card button, .card a')?.focus();
    if (focus === 'launcher' && !panelOpen) box.querySelector<HTMLElement>('.launcher')?.focus();
  }

  function launcher(): HTMLElement | null {
    if (panel && !panel.hidden) return null;
    const on = avail!.available || chat !== null;
    const dot = h('span', { class: on ? 'dot' : 'dot off', 'aria-hidden': 'true' });
    if (chat) return h('button', { class: 'launcher', type: 'button', onclick: startChat }, dot, t.back);
    if (on) return h('button', { class: 'launcher', type: 'button', onclick: startChat }, dot, look!.buttonText || t.chat);
    const offline = settings!.offline;
    const label = [dot, h('span', {}, h('strong', {}, offline.text || t.offline), offline.mode === 'none' ? '' : ` · ${offline.mode === 'form' ? t.leave : t.contact}`)];
    if (offline.mode === 'link' && offline.url) return h('a', { class: 'launcher', href: offline.url, target: '_blank', rel: 'noopener' }, ...label);
    if (offline.mode === 'form') return h('button', { class: 'launcher', type: 'button', onclick: () => { card = 'form'; render('card'); } }, ...label);
    return h('p', { class: 'launcher', role: 'status' }, ...label);
  }

  function closeCard(): void {
    if (card === 'invitation') invitationDismissed = true;
    card = 'none';
    render('launcher');
  }

  function cardView(): HTMLElement | null {
    const showInvitation = card === 'none' && avail!.available && look!.invitation && !invitationDismissed && !chat;
    const which: Card = showInvitation ? 'invitation' : card;
    if (which === 'none') return null;
    const onkeydown = (e: KeyboardEvent) => { if (e.key === 'Escape') closeCard(); };
    if (which === 'invitation') {
      return h('div', { class: 'card', role: 'dialog', 'aria-label': settings!.companyName, onkeydown },
        h('p', {}, look!.invitation),
        avail!.waiting > 0 ? h('p', { class: 'muted' }, t.waiting(avail!.waiting)) : '',
        h('div', { class: 'row' },
          h('button', { class: 'secondary', type: 'button', onclick: closeCard }, t.later),
          h('button', { class: 'primary', type: 'button', onclick: startChat }, t.start)));
    }
    if (which === 'form') return (form ??= messageForm(onkeydown));
    const close = h('button', { class: 'secondary', type: 'button', onclick: closeCard }, 'OK');
    if (which === 'blocked') {
      return h('div', { class: 'card', role: 'alert', onkeydown }, h('p', {}, t.popupBlocked),
        h('div', { class: 'row' }, close, h('a', { href: chat!.url, target: '_blank', rel: 'noopener', onclick: closeCard }, t.openChat)));
    }
    return h('div', { class: 'card', role: which === 'error' ? 'alert' : 'status', onkeydown },
      h('p', { class: which === 'error' ? 'error' : '' }, which === 'error' ? `${t.failed} ${error}` : t.sent), h('div', { class: 'row' }, close));
  }

  function messageForm(onkeydown: (e: KeyboardEvent) => void): HTMLElement {
    const input = (name: string, label: string, value = '', type = 'text') => {
      const id = `bw-${name}`;
      // Signed fields are the help desk's word: the visitor can't change them here.
      const signed: Record<string, string> = site.signed && value ? { readonly: '' } : {};
      return [h('label', { for: id }, label), h(type === 'textarea' ? 'textarea' : 'input', { id, name, ...(type === 'textarea' ? {} : { type, value }), ...signed, required: '' })];
    };
    const el = h('form', { class: 'card', 'aria-label': t.leave, onkeydown },
      h('h2', {}, settings!.offline.text || t.offline),
      ...input('name', t.name, fields.name), ...input('email', t.email, fields.email, 'email'), ...input('message', t.message, '', 'textarea'),
      h('div', { class: 'row' },
        h('button', { class: 'secondary', type: 'button', onclick: closeCard }, t.cancel),
        h('button', { class: 'primary', type: 'submit' }, t.send))) as HTMLFormElement;
    el.onsubmit = (e) => {
      e.preventDefault();
      const v = (n: string) => (el.elements.namedItem(n) as HTMLInputElement).value;
      void run(async () => {
        await api.message({ queue, fields: { ...fields, name: v('name'), email: v('email'), language: fields.language ?? look!.language }, message: v('message'), ...(site.signed ? { signed: site.signed } : {}) });
        card = 'sent';
      });
    };
    return el;
  }

  /** One request at a time; a failure shows the server's words. */
  async function run(job: () => Promise<void>): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      await job();
    } catch (e) {
      // A signed page is good for one chat (its nonce) and a while (its expiry): then it needs a reload.
      const code = (e as { code?: string }).code;
      error = site.signed && (code === 'used' || code === 'expired') ? t.reload : (e as Error).message;
      card = 'error';
    } finally {
      busy = false;
      render('card');
    }
  }

  function startChat(): void {
    if (chat) { openChat(); return; }
    void run(async () => {
      chat = await api.start({ queue, fields: { ...fields, language: fields.language ?? look!.language }, ...(site.signed ? { signed: site.signed } : {}) });
      card = 'none';
      openChat();
    });
  }

  /** The chat loads only now: in the frame (kept while minimised) or a popup. */
  function openChat(): void {
    if (look!.open === 'popup') {
      const w = window.open(chat!.url, 'bridge-chat', 'popup,width=420,height=660');
      if (!w) card = 'blocked';
      render('card');
      return;
    }
    if (!panel) {
      const minimise = h('button', { type: 'button', 'aria-label': t.minimise, onclick: () => { panel!.hidden = true; render('launcher'); } }, '–');
      panel = h('section', { class: 'panel', 'aria-label': t.chatTitle },
        h('header', {}, h('span', {}, settings!.companyName), minimise),
        h('iframe', { src: chat!.frameUrl, title: t.chatTitle }));
      panelSlot.append(panel);
    }
    panel.hidden = false;
    render();
    panel.querySelector('iframe')!.focus();
  }

  function setAvailability(a: EmbedAvailability): void {
    if (avail && a.available !== avail.available) live.textContent = a.available ? t.online : (settings!.offline.text || t.offline);
    avail = a;
    render();
  }

  function schedule(): void {
    clearTimeout(timer);
    if (!gone) timer = setTimeout(() => void poll(), (avail?.pollSec ?? 20) * 1000);
  }
  async function poll(): Promise<void> {
    // A hidden tab asks nothing; it asks again as soon as it is shown.
    if (document.visibilityState !== 'hidden') {
      try { setAvailability(await api.availability(queue)); } catch { /* keep the last answer; try again later */ }
    }
    schedule();
  }
  const onVisible = () => { if (document.visibilityState === 'visible' && settings) void poll(); };
  document.addEventListener('visibilitychange', onVisible);

  void api.settings(queue).then((s) => {
    if (gone) return;
    settings = s;
    look = { ...s.look, ...Object.fromEntries(Object.entries(site.look ?? {}).filter(([, v]) => v !== undefined && v !== '')) };
    t = textsFor(look.language);
    box.lang = look.language;
    box.style.setProperty('--bc', look.colour);
    box.style.setProperty('--bt', look.textColour);
    avail = s.availability;
    setTimeout(() => { if (!gone) { box.hidden = false; render(); } }, look.delaySec * 1000);
    schedule();
  }, (e: Error) => {
    // Refused (this site isn't listed, or click-to-chat is off): show nothing, say why to the developer.
    console.warn(`Bridge click-to-chat: ${e.message}`);
  });

  return {
    destroy() {
      gone = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
      host.remove();
    },
  };
}
