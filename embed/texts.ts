// The loader's own words, per language (the site or the administrator picks it); English when
// the language has no catalogue here.
const en = {
  chat: 'Chat with us',
  back: 'Back to the chat',
  start: 'Start chat',
  later: 'No thanks',
  minimise: 'Minimise the chat',
  chatTitle: 'Support chat',
  online: 'Representatives are available',
  offline: 'No reps available',
  leave: 'Leave a message',
  contact: 'Contact us',
  name: 'Your name',
  email: 'E-mail (for our answer)',
  message: 'Your message',
  send: 'Send message',
  cancel: 'Cancel',
  sent: 'Thank you: your message is in our queue and a representative will answer it.',
  popupBlocked: 'Your browser kept the chat window from opening.',
  openChat: 'Open the chat',
  failed: 'The chat could not start:',
  reload: 'this page is out of date. Reload it, then start the chat again.',
  waiting: (n: number) => (n === 1 ? '1 customer waiting' : `${n} customers waiting`),
};
export type Texts = typeof en;

const de: Texts = {
  chat: 'Chatten Sie mit uns',
  back: 'Zurück zum Chat',
  start: 'Chat starten',
  later: 'Nein, danke',
  minimise: 'Chat minimieren',
  chatTitle: 'Support-Chat',
  online: 'Mitarbeiter sind erreichbar',
  offline: 'Kein Mitarbeiter erreichbar',
  leave: 'Nachricht hinterlassen',
  contact: 'Kontakt',
  name: 'Ihr Name',
  email: 'E-Mail (für unsere Antwort)',
  message: 'Ihre Nachricht',
  send: 'Nachricht senden',
  cancel: 'Abbrechen',
  sent: 'Danke: Ihre Nachricht ist in unserer Warteschlange, ein Mitarbeiter beantwortet sie.',
  popupBlocked: 'Ihr Browser hat das Chatfenster blockiert.',
  openChat: 'Chat öffnen',
  failed: 'Der Chat konnte nicht starten:',
  reload: 'diese Seite ist veraltet. Laden Sie sie neu und starten Sie den Chat noch einmal.',
  waiting: (n: number) => (n === 1 ? '1 Kunde wartet' : `${n} Kunden warten`),
};

const CATALOGUES: Record<string, Texts> = { en, de };

export function textsFor(language: string): Texts {
  return CATALOGUES[language.toLowerCase().split('-')[0]] ?? en;
}
