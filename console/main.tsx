// Rep console entry: render the app and find out whether the rep is still logged in.
import { render } from 'preact';
import { App } from './components/App.tsx';
import { checkLogin } from './actions.ts';

render(<App />, document.getElementById('app')!);
void checkLogin();
