// Asked when there is no token or the API answered 401: the token `chainhunt serve` printed.
import { useState, type FormEvent } from 'react';
import { ApiError, request, setToken } from '../api';

export function SignIn({ onSignedIn, rejected }: { onSignedIn(): void; rejected: boolean }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(rejected ? 'The token was not accepted: enter the one chainhunt serve printed.' : null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const token = value.trim();
    if (!token) return;
    setBusy(true);
    setError(null);
    setToken(token);
    try {
      await request('GET', '/api/data');
      onSignedIn();
    } catch (err) {
      setToken(null);
      setError(err instanceof ApiError && err.status === 401 ? 'That token was not accepted.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin-wrap">
      <form className="signin panel" onSubmit={submit} data-testid="signin">
        <h2>chainhunt console</h2>
        <p className="muted">
          Enter the access token. <code>chainhunt serve</code> prints a link with it (<code>…/#token=…</code>); the token is also in the data folder, or in
          CHAINHUNT_TOKEN.
        </p>
        <label>
          Token
          <input type="password" autoFocus value={value} onChange={e => setValue(e.target.value)} autoComplete="current-password" data-testid="signin-token" />
        </label>
        <button type="submit" className="primary" disabled={busy || !value.trim()} data-testid="signin-submit">
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        {error && <div className="bad">{error}</div>}
      </form>
    </div>
  );
}
