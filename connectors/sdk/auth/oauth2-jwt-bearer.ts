import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import { ConnectorError } from '../errors.js';
import { credentialAuth, SingleFlightCredential, type ObtainedCredential } from './single-flight-credential.js';
import { TokenEndpoint, type TokenHttpOptions } from './oauth2-token-endpoint.js';
import type { AuthProvider } from './types.js';

export type JwtAlgorithm = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'RS256';

export interface OAuth2JwtBearerOptions {
  tokenUrl: string;
  clientId: string;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) of the certificate uploaded to the source. */
  privateKeyPem: string;
  /** The source's id of the uploaded certificate (NetSuite: Certificate ID), sent as the JWT `kid`. */
  keyId: string;
  algorithm?: JwtAlgorithm;
  /** NetSuite: `rest_webservices`, `restlets`, `suite_analytics`; a list is joined with commas. */
  scope: string | readonly string[];
  /** JWT `aud`; default the token URL. */
  audience?: string;
  /** Lifetime of each assertion; NetSuite allows at most 3 600. Default 300. */
  assertionLifetimeSeconds?: number;
  refreshBeforeSeconds?: number;
  http?: TokenHttpOptions;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * OAuth 2.0 client credentials with a signed JWT client assertion (RFC 7523; NetSuite OAuth 2.0
 * machine-to-machine). Signed with `jose`; the token is cached and refreshed like
 * `oauth2ClientCredentials`.
 */
export function oauth2JwtBearer(options: OAuth2JwtBearerOptions): AuthProvider {
  const algorithm = options.algorithm ?? 'PS256';
  const scope = Array.isArray(options.scope) ? options.scope.join(',') : (options.scope as string);
  let key: Promise<CryptoKey> | null = null;
  let lastAssertion = '';

  const signingKey = (): Promise<CryptoKey> =>
    (key ??= importPKCS8(options.privateKeyPem, algorithm).catch(() => {
      key = null;
      throw new ConnectorError('config', `the private key could not be read for ${algorithm}: paste the certificate's private key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"); convert an RSA key with "openssl pkcs8 -topk8 -nocrypt"`);
    }));

  const credential: SingleFlightCredential = new SingleFlightCredential(
    async (): Promise<ObtainedCredential> => {
      const now = Math.floor(Date.now() / 1000);
      lastAssertion = await new SignJWT({ scope })
        .setProtectedHeader({ alg: algorithm, typ: 'JWT', kid: options.keyId })
        .setIssuer(options.clientId)
        .setAudience(options.audience ?? options.tokenUrl)
        .setIssuedAt(now)
        .setExpirationTime(now + (options.assertionLifetimeSeconds ?? 300))
        .sign(await signingKey());
      const token = await endpoint.request({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: lastAssertion });
      return { value: token.accessToken, expiresInSeconds: token.expiresInSeconds };
    },
    options.refreshBeforeSeconds === undefined ? {} : { refreshBeforeSeconds: options.refreshBeforeSeconds },
  );
  const staticSecrets = (): string[] => [options.privateKeyPem, lastAssertion];
  // No client secret: the assertion is the client's proof, so client_id is not sent separately.
  const endpoint: TokenEndpoint = new TokenEndpoint({ tokenUrl: options.tokenUrl, clientId: options.clientId, clientAuth: 'body', ...(options.http ? { http: options.http } : {}) }, () => [...staticSecrets(), ...credential.values()]);
  return credentialAuth({ kind: 'oauth2_jwt_bearer', credential, secrets: staticSecrets, close: () => endpoint.close() });
}
