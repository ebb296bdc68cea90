import { ConnectorError } from '../errors.js';
import type { HttpClient } from '../http.js';
import { scrubSecrets } from '../redact.js';
import { credentialAuth, SingleFlightCredential, type ObtainedCredential } from './single-flight-credential.js';
import type { AuthProvider } from './types.js';

export interface SessionLoginContext {
  /** A client to the same base URL, without auth and outside the connection's limits. */
  http: HttpClient;
}

export interface Session {
  token: string;
  expiresAt: Date | null;
}

export interface SessionTokenOptions {
  /**
   * Logs in and returns the session token (UpKeep `POST /auth` → `result.sessionToken`). Throws
   * ConnectorError; a refused login should be `auth`.
   */
  login(context: SessionLoginContext): Promise<string | { token: string; expiresAt?: Date | string | number | null }>;
  /** Header carrying the token: `Session-Token`, or `authorization` (with `prefix: 'Bearer '`). */
  header: string;
  prefix?: string;
  /** Awaited with each new session before it is used (to persist it); if it throws, the session is not used. */
  onSession?(session: Session): Promise<void>;
  /** Ends the session when the client closes (UpKeep `DELETE /auth`). Failures are ignored. */
  logout?(context: SessionLoginContext & { token: string }): Promise<void>;
  /** The login's own secrets (password), scrubbed from messages. */
  secrets?: readonly string[];
  refreshBeforeSeconds?: number;
}

/** Session login: logs in on first use, again when the session expires or after a 401 (once per 401 wave). */
export function sessionToken(options: SessionTokenOptions): AuthProvider {
  let http: HttpClient | null = null;
  const credential = new SingleFlightCredential(
    async (): Promise<ObtainedCredential> => {
      if (!http) throw new ConnectorError('config', 'sessionToken() logs in through its HTTP client: pass it as `auth` to createHttpClient()');
      const result = await options.login({ http });
      const session = typeof result === 'string' ? { token: result, expiresAt: null } : { token: result.token, expiresAt: result.expiresAt ? new Date(result.expiresAt) : null };
      if (!session.token) throw new ConnectorError('invalid_response', 'the login answered without a session token');
      try {
        await options.onSession?.(session);
      } catch (error) {
        const reason = scrubSecrets(error instanceof Error ? error.message : String(error), [session.token, ...(options.secrets ?? [])]);
        throw new ConnectorError('unavailable', `the new session could not be saved (${reason}); it was not used and the login will be repeated`);
      }
      const expiresInSeconds = session.expiresAt ? Math.max(0, (session.expiresAt.getTime() - Date.now()) / 1000) : null;
      return { value: session.token, expiresInSeconds };
    },
    options.refreshBeforeSeconds === undefined ? {} : { refreshBeforeSeconds: options.refreshBeforeSeconds },
  );
  const provider = credentialAuth({
    kind: 'session_token',
    credential,
    header: options.header,
    prefix: options.prefix ?? '',
    secrets: () => [...(options.secrets ?? [])],
    close: async () => {
      const token = credential.values()[0];
      if (!options.logout || !http || token === undefined) return;
      await options.logout({ http, token }).catch(() => {});
    },
  });
  return {
    ...provider,
    attach(context) {
      http = context.http;
    },
  };
}
