import { ConnectorError } from '../errors.js';
import { scrubSecrets } from '../redact.js';
import { credentialAuth, SingleFlightCredential, type ObtainedCredential } from './single-flight-credential.js';
import { TokenEndpoint, type TokenEndpointOptions } from './oauth2-token-endpoint.js';
import type { AuthProvider } from './types.js';

export interface OAuth2Tokens {
  accessToken: string;
  /** The refresh token to keep: the rotated one when the server sent one, else the same as before. */
  refreshToken: string;
  expiresAt: Date | null;
  /** True when the server replaced the refresh token (the old one may no longer work). */
  refreshTokenRotated: boolean;
}

export interface OAuth2RefreshTokenOptions extends TokenEndpointOptions {
  refreshToken: string;
  /** An access token stored earlier, used until it expires instead of refreshing at start. */
  accessToken?: string;
  accessTokenExpiresAt?: Date | string | number | null;
  scope?: string | readonly string[];
  /**
   * Persists the tokens (ConnectorContext.saveCredentials). Awaited after every refresh and
   * BEFORE the new access token is used: a crash can then never leave the source holding a
   * rotated refresh token Millrace forgot. If it throws, the new access token is not used.
   */
  onTokens(tokens: OAuth2Tokens): Promise<void>;
  refreshBeforeSeconds?: number;
}

/** OAuth 2.0 refresh-token grant with rotation; `invalid_grant` (revoked, expired, reused) → `auth`. */
export function oauth2RefreshToken(options: OAuth2RefreshTokenOptions): AuthProvider {
  let refreshToken = options.refreshToken;
  const scope = Array.isArray(options.scope) ? options.scope.join(' ') : (options.scope as string | undefined);
  const staticSecrets = (): string[] => [refreshToken, options.refreshToken, options.clientSecret ?? '', endpoint.basicCredential() ?? ''];

  const credential: SingleFlightCredential = new SingleFlightCredential(
    async (): Promise<ObtainedCredential> => {
      const token = await endpoint.request({ grant_type: 'refresh_token', refresh_token: refreshToken, scope });
      const rotated = token.refreshToken !== undefined && token.refreshToken !== refreshToken;
      // Kept in memory at once: after a rotation the old refresh token may already be void.
      if (rotated) refreshToken = token.refreshToken!;
      const expiresAt = token.expiresInSeconds === null ? null : new Date(Date.now() + token.expiresInSeconds * 1000);
      try {
        await options.onTokens({ accessToken: token.accessToken, refreshToken, expiresAt, refreshTokenRotated: rotated });
      } catch (error) {
        const reason = scrubSecrets(error instanceof Error ? error.message : String(error), [...staticSecrets(), token.accessToken]);
        throw new ConnectorError('unavailable', `the refreshed OAuth tokens could not be saved to the connection (${reason}); they were not used and the refresh will be repeated`);
      }
      return { value: token.accessToken, expiresInSeconds: token.expiresInSeconds };
    },
    options.refreshBeforeSeconds === undefined ? {} : { refreshBeforeSeconds: options.refreshBeforeSeconds },
  );
  const endpoint: TokenEndpoint = new TokenEndpoint(options, () => [...staticSecrets(), ...credential.values()]);
  if (options.accessToken) {
    const expires = options.accessTokenExpiresAt;
    credential.seed(options.accessToken, expires === undefined || expires === null ? null : new Date(expires));
  }
  return credentialAuth({
    kind: 'oauth2_refresh_token',
    credential,
    secrets: staticSecrets,
    close: () => endpoint.close(),
  });
}
