import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { adoptTokenFromHash } from './api';
import { App } from './App';
import './styles.css';

adoptTokenFromHash();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
