// The reference chat web app: sessions, branches, streaming, live updates, search and organizing, all through the
// public GraphQL API. Served by the server at / (built with Vite into dist/web).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
