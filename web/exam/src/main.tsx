import { render } from 'preact';
import { App } from './app';
import { isCheckRoute } from './env-check';
import { EnvCheckScreen } from './screens/EnvCheck';
import { trackUnload } from './fullscreen';
import './styles.css';

trackUnload();

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  // 环境检测 (/exam/#/check): a page of its own, opened before the exam.
  render(isCheckRoute(window.location.hash) ? <EnvCheckScreen /> : <App />, root);
}
