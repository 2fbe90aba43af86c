// The console's frame: navigation, sign-in when the API asks for a token, and the pages.
import { useEffect, useState } from 'react';
import { api, getToken, onUnauthorized, setToken } from './api';
import { matchRoute, useLocation } from './router';
import { Link } from './components/common';
import { SignIn } from './components/SignIn';
import { IncidentsPage } from './pages/Incidents';
import { IncidentPage } from './pages/Incident';
import { HuntingPage } from './pages/Hunting';
import { RulesPage } from './pages/Rules';
import { DataPage } from './pages/Data';
import { ActionsPage } from './pages/Actions';

const NAV: [string, string, string][] = [
  ['/incidents', 'Incidents', 'incident'],
  ['/hunting', 'Advanced hunting', 'hunting'],
  ['/rules', 'Rules', 'rules'],
  ['/data', 'Data', 'data'],
  ['/actions', 'Action log', 'actions'],
];

export function App() {
  const [auth, setAuth] = useState<'ok' | 'none' | 'rejected'>(() => (getToken() ? 'ok' : 'none'));
  const [version, setVersion] = useState('');
  const { path } = useLocation();
  const route = matchRoute(path);

  useEffect(() => onUnauthorized(() => setAuth('rejected')), []);
  useEffect(() => {
    api.health().then(h => setVersion(h.version), () => undefined);
  }, []);

  if (auth !== 'ok') return <SignIn rejected={auth === 'rejected'} onSignedIn={() => setAuth('ok')} />;

  const active = route.page === 'incident' ? 'incident' : route.page === 'incidents' ? 'incident' : route.page;
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/incidents" className="brand">
          <span className="brand-mark">◆</span> chainhunt
        </Link>
        <nav>
          {NAV.map(([to, label, key]) => (
            <Link key={to} to={to} className={active === key ? 'nav on' : 'nav'} testId={`nav-${key}`}>
              {label}
            </Link>
          ))}
        </nav>
        <span className="spacer" />
        {version && <span className="muted small">v{version}</span>}
        <button
          type="button"
          className="ghost small"
          onClick={() => {
            setToken(null);
            setAuth('none');
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        {route.page === 'incidents' && <IncidentsPage />}
        {route.page === 'incident' && <IncidentPage key={route.id} id={route.id} />}
        {route.page === 'hunting' && <HuntingPage />}
        {route.page === 'rules' && <RulesPage />}
        {route.page === 'data' && <DataPage />}
        {route.page === 'actions' && <ActionsPage />}
        {route.page === 'notFound' && (
          <div className="page">
            <h1>Not found</h1>
            <p>
              No page at <code>{route.path}</code>. <Link to="/incidents">Incidents</Link>
            </p>
          </div>
        )}
      </main>
    </div>
  );
}
