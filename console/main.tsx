// Rep console entry: choose the language, render the app and find out whether the rep is still logged in.
import { render } from 'preact';
import { App } from './components/App.tsx';
import { checkLogin } from './actions.ts';
import { initialLanguage, setLanguage } from './i18n.ts';

void checkLogin();
// The first paint waits for the language's catalogue (a small chunk), so nothing flashes in English.
void setLanguage(initialLanguage()).finally(() => render(<App />, document.getElementById('app')!));
