import { render } from 'preact';
import { App } from './app';
import { trackUnload } from './fullscreen';
import './styles.css';

trackUnload();

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
