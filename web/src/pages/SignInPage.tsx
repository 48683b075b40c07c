import { useState, type FormEvent } from 'react';
import { apiRequest, errorMessage } from '../api.ts';
import { Notice } from '../components/ui.tsx';

export function SignInPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await apiRequest<void>('POST', '/session', {
        body: { email, password },
        quietUnauthorized: true,
      });
      await onSignedIn();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in</h1>
        <p className="muted">TikTok Shop Connector dashboard</p>
        {error && <Notice tone="error">{error}</Notice>}
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          Sign in
        </button>
        <p className="muted small signin-hint">
          No password yet? Open the one-time sign-in link that <code>npm start</code> prints.
        </p>
      </form>
    </main>
  );
}
