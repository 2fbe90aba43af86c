// A small router over the History API: the server answers index.html for every non-/api path.
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach(fn => fn()));

export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach(fn => fn());
  window.scrollTo(0, 0);
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The current path and query string. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, () => location.pathname + location.search);
  const url = new URL(href, location.origin);
  return { path: url.pathname, search: url.searchParams };
}

export type Route =
  | { page: 'incidents' }
  | { page: 'incident'; id: string }
  | { page: 'hunting' }
  | { page: 'rules' }
  | { page: 'data' }
  | { page: 'actions' }
  | { page: 'notFound'; path: string };

export function matchRoute(path: string): Route {
  const p = path.replace(/\/+$/, '') || '/';
  if (p === '/' || p === '/incidents') return { page: 'incidents' };
  const m = /^\/incidents\/([^/]+)$/.exec(p);
  if (m) return { page: 'incident', id: decodeURIComponent(m[1]!) };
  if (p === '/hunting') return { page: 'hunting' };
  if (p === '/rules') return { page: 'rules' };
  if (p === '/data') return { page: 'data' };
  if (p === '/actions') return { page: 'actions' };
  return { page: 'notFound', path };
}
