/**
 * The connector SDK in one import: `import { createHttpClient, basicAuth, … } from '../sdk/index.js'`.
 * Each helper also lives in its own file (see README.md) for connectors that prefer direct imports.
 */
export * from './types.js';
export * from './errors.js';
export * from './secret.js';
export { createHttpClient, type HttpClient, type HttpClientOptions, type HttpMethod, type HttpRequest, type JsonRequest, type HttpResponse, type ErrorFrom } from './http.js';
export { errorFromStatus, parseRetryAfter, sourceDetails } from './http-errors.js';
export { retry, backoffDelayMs, DEFAULT_RETRY, type Bail, type RetryControl, type RetryInfo, type RetryOptions } from './retry.js';
export { RequestLimiter, type RequestLimits } from './limits.js';
export { redactUrl, scrubSecrets, REDACTED } from './redact.js';
export { appendQuery, encodeQueryComponent, parseQueryPairs, type Query, type QueryValue } from './url.js';
export * from './cursors.js';
export { compareTimestamps, formatInstant, parseTimestamp, requireTimestamp, type Instant } from './timestamps.js';
export { assertConnectorStreams, assertStreamOutput, getPath, StreamContractError, type StreamCheckOptions } from './contract.js';
export type { AuthAttachContext, AuthProvider, AuthRequest } from './auth/types.js';
export { apiKeyAuth, basicAuth, bearerToken, type ApiKeyPlacement } from './auth/static-credentials.js';
export { oauth2ClientCredentials, type OAuth2ClientCredentialsOptions } from './auth/oauth2-client-credentials.js';
export { oauth2RefreshToken, type OAuth2RefreshTokenOptions, type OAuth2Tokens } from './auth/oauth2-refresh-token.js';
export { oauth2JwtBearer, type JwtAlgorithm, type OAuth2JwtBearerOptions } from './auth/oauth2-jwt-bearer.js';
export { oauth1Tba, type OAuth1TbaOptions } from './auth/oauth1-tba.js';
export { sessionToken, type Session, type SessionLoginContext, type SessionTokenOptions } from './auth/session-token.js';
export type { TokenHttpOptions } from './auth/oauth2-token-endpoint.js';
