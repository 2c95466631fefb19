/** The dashboard's front end: preact, bundled by esbuild into dist/dashboard-web/app.js. */
import { render } from 'preact';
import { setToken, takeToken } from './api.js';
import { App } from './app.js';
import './style.css';

setToken(takeToken());
render(<App />, document.getElementById('root')!);
