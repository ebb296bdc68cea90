import { credentialAuth, SingleFlightCredential, type ObtainedCredential } from './single-flight-credential.js';
import { TokenEndpoint, type TokenEndpointOptions } from './oauth2-token-endpoint.js';
import type { AuthProvider } from './types.js';

export interface OAuth2ClientCredentialsOptions extends TokenEndpointOptions {
  clientSecret: string;
  /** Space-separated (RFC 6749 §3.3) when given as a list: `https://api.businesscentral.dynamics.com/.default`. */
  scope?: string | readonly string[];
  /** More form fields some servers want (`resource`, `audience`). */
  extraParams?: Record<string, string>;
  refreshBeforeSeconds?: number;
}

/**
 * OAuth 2.0 client credentials (Entra ID for Business Central, Dynamics 365). The token is cached
 * until shortly before `expires_in`, fetched once for all concurrent requests, and fetched again
 * once after the API answers 401. `invalid_client` / 401 from the token endpoint → `auth`.
 */
export function oauth2ClientCredentials(options: OAuth2ClientCredentialsOptions): AuthProvider {
  const scope = Array.isArray(options.scope) ? options.scope.join(' ') : (options.scope as string | undefined);
  const staticSecrets = (): string[] => [options.clientSecret, endpoint.basicCredential() ?? ''];
  const credential: SingleFlightCredential = new SingleFlightCredential(
    async (): Promise<ObtainedCredential> => {
      const token = await endpoint.request({ grant_type: 'client_credentials', scope, ...options.extraParams });
      return { value: token.accessToken, expiresInSeconds: token.expiresInSeconds };
    },
    options.refreshBeforeSeconds === undefined ? {} : { refreshBeforeSeconds: options.refreshBeforeSeconds },
  );
  const endpoint: TokenEndpoint = new TokenEndpoint(options, () => [...staticSecrets(), ...credential.values()]);
  return credentialAuth({
    kind: 'oauth2_client_credentials',
    credential,
    secrets: staticSecrets,
    close: () => endpoint.close(),
  });
}
