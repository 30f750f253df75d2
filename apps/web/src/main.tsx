import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { direction, initialLang } from './i18n';
import { browserEnvironment, leaveNow } from './state/browser';
import { SessionController } from './state/session';
import { App } from './app/App';
import './styles.css';

// A page restored from the back/forward cache after a quick exit must not come back to life.
window.addEventListener('pageshow', (e) => {
  if (e.persisted) leaveNow();
});

const lang = initialLang();
// Set before the first render (the app keeps them in step afterwards): no left-to-right flash of
// an Arabic page, and the document's direction is right from the start.
document.documentElement.lang = lang;
document.documentElement.dir = direction(lang);
const hub = new SessionController(browserEnvironment());
void hub.init();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App hub={hub} initialLang={lang} />
  </StrictMode>,
);
