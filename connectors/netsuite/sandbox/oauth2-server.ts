import { X509Certificate, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, errors as joseErrors, generateKeyPair, jwtVerify, type CryptoKey } from 'jose';

/**
 * NetSuite OAuth 2.0 client credentials (machine to machine): the client posts a JWT assertion
 * signed with the private key of a certificate mapped to its integration record
 * (`kid` = certificate id, `iss` = client id, `aud` = the token endpoint URL, `scope` including
 * `rest_webservices`, `exp` at most 60 minutes after `iat`, alg PS256/384/512 or ES256/384/512) and
 * gets a 60-minute bearer token. Docs: "The Request Token Structure" (section_162790605110),
 * "POST Request to the Token Endpoint and the Access Token Response" (section_162755359851).
 */
export const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ALLOWED_ALGORITHMS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

export interface M2mClient {
  clientId: string;
  /** Certificate id shown when the certificate was mapped; the JWT header's `kid`. */
  certificateId: string;
  /** The mapped certificate or its public key (PEM), or a KeyObject. */
  publicKey: string | KeyObject;
}

export type TokenOutcome =
  | { status: 200; body: { access_token: string; expires_in: number; token_type: 'bearer' } }
  | { status: 400 | 401; body: { error: string } };

interface IssuedToken {
  clientId: string;
  expiresAtMs: number;
}

export interface Oauth2ServerOptions {
  clients: () => readonly M2mClient[];
  now: () => number;
  accessTokenTtlSeconds: number;
}

function publicKeyOf(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') return key;
  return key.includes('BEGIN CERTIFICATE') ? new X509Certificate(key).publicKey : createPublicKey(key);
}

export class Oauth2Server {
  private readonly tokens = new Map<string, IssuedToken>();
  private signingKey: Promise<CryptoKey | KeyObject>;

  constructor(private readonly options: Oauth2ServerOptions) {
    // NetSuite's access tokens are JWTs signed by the account (RS256 in the docs' example).
    this.signingKey = generateKeyPair('RS256').then((pair) => pair.privateKey);
  }

  /** Handles the token endpoint's form fields; `tokenUrl` is the endpoint URL as the client addressed it. */
  async token(form: Record<string, unknown>, tokenUrl: string): Promise<TokenOutcome> {
    if (form.grant_type !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
    if (form.client_assertion_type !== JWT_BEARER || typeof form.client_assertion !== 'string') return { status: 400, body: { error: 'invalid_request' } };
    const assertion = form.client_assertion;
    let header;
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      return { status: 400, body: { error: 'invalid_request' } };
    }
    if (!header.alg || !ALLOWED_ALGORITHMS.includes(header.alg)) return { status: 400, body: { error: 'invalid_grant' } };
    const client = this.options.clients().find((candidate) => candidate.certificateId === header.kid);
    if (!client) return { status: 401, body: { error: 'invalid_client' } };
    try {
      const { payload } = await jwtVerify(assertion, publicKeyOf(client.publicKey), {
        algorithms: ALLOWED_ALGORITHMS,
        issuer: client.clientId,
        audience: tokenUrl,
        currentDate: new Date(this.options.now()),
      });
      if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number' || payload.exp - payload.iat > 3600) return { status: 400, body: { error: 'invalid_grant' } };
      const scopes = Array.isArray(payload.scope) ? payload.scope : String(payload.scope ?? '').split(/[,\s]+/);
      if (!scopes.includes('rest_webservices')) return { status: 400, body: { error: 'invalid_scope' } };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return { status: 400, body: { error: 'invalid_grant' } };
      throw error;
    }
    const ttl = this.options.accessTokenTtlSeconds;
    const accessToken = await new SignJWT({ scope: ['rest_webservices'] })
      .setProtectedHeader({ alg: 'RS256', kid: 's.SYSTEM.sandbox', typ: 'JWT' })
      .setSubject(`3;${client.clientId.slice(0, 8)}`)
      .setAudience(client.clientId)
      .setIssuer('https://system.netsuite.com')
      .setIssuedAt(Math.floor(this.options.now() / 1000))
      .setExpirationTime(Math.floor(this.options.now() / 1000) + ttl)
      .setJti(randomUUID())
      .sign(await this.signingKey);
    this.tokens.set(accessToken, { clientId: client.clientId, expiresAtMs: this.options.now() + ttl * 1000 });
    return { status: 200, body: { access_token: accessToken, expires_in: ttl, token_type: 'bearer' } };
  }

  /** True if the bearer token was issued here, has not expired and its client is still mapped. */
  verifyBearer(token: string): boolean {
    const issued = this.tokens.get(token);
    if (!issued) return false;
    if (issued.expiresAtMs <= this.options.now()) {
      this.tokens.delete(token);
      return false;
    }
    return this.options.clients().some((client) => client.clientId === issued.clientId);
  }

  /** Lets every issued access token reach its expiry now, as an hour of waiting would. */
  expireAll(): void {
    for (const token of this.tokens.values()) token.expiresAtMs = this.options.now();
  }

  /** Invalidates every access token issued so far (revocation). */
  revokeAll(): void {
    this.tokens.clear();
  }
}
