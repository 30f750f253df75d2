import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HubController } from './hub';
import { initialLang } from './i18n';
import { App } from './ui/App';
import './styles.css';

const hub = new HubController();
void hub.init();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App hub={hub} initialLang={initialLang()} />
  </StrictMode>,
);
