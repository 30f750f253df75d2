import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initialLang } from './i18n';
import { browserEnvironment, leaveNow } from './state/browser';
import { SessionController } from './state/session';
import { App } from './app/App';
import './styles.css';

// A page restored from the back/forward cache after a quick exit must not come back to life.
window.addEventListener('pageshow', (e) => {
  if (e.persisted) leaveNow();
});

const hub = new SessionController(browserEnvironment());
void hub.init();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App hub={hub} initialLang={initialLang()} />
  </StrictMode>,
);
