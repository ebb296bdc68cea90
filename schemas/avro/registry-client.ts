/**
 * A minimal client of the Confluent Schema Registry REST API: what the codec needs (register a
 * schema under a subject, fetch a schema by id). It speaks only the public API, so it works with
 * Millrace's registry, Confluent's, Redpanda's, Karapace and Apicurio's ccompat endpoint alike.
 * Credentials may ride in the URL (https://key:secret@host); they are sent as HTTP basic auth and
 * never appear in errors.
 */
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export class SchemaRegistryRequestError extends Error {
  readonly code = 'schema_registry_request_failed';
  constructor(
    readonly status: number,
    /** Confluent error_code (40401, 42201 …), or the HTTP status when the body had none. */
    readonly errorCode: number,
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = 'SchemaRegistryRequestError';
  }
}

export interface SchemaRegistryClientOptions {
  timeoutMs?: number;
}

export class SchemaRegistryClient {
  private readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;

  constructor(url: string, options: SchemaRegistryClientOptions = {}) {
    const parsed = new URL(url);
    this.authorization = parsed.username
      ? `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`
      : undefined;
    parsed.username = '';
    parsed.password = '';
    this.baseUrl = parsed.toString().replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Registers (or finds) a schema under a subject; returns its global id. */
  async register(subject: string, schema: unknown): Promise<number> {
    const body = { schema: typeof schema === 'string' ? schema : JSON.stringify(schema) };
    const result = (await this.request('POST', `/subjects/${encodeURIComponent(subject)}/versions`, body)) as { id: number };
    return result.id;
  }

  /** The schema text with this global id. */
  async schemaById(id: number): Promise<string> {
    const result = (await this.request('GET', `/schemas/ids/${id}`)) as { schema: string; schemaType?: string };
    if (result.schemaType && result.schemaType !== 'AVRO') {
      throw new SchemaRegistryRequestError(422, 42201, `schema ${id} at ${this.baseUrl} is ${result.schemaType}, not AVRO`, false);
    }
    return result.schema;
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { accept: CONTENT_TYPE };
    if (body !== undefined) headers['content-type'] = CONTENT_TYPE;
    if (this.authorization) headers.authorization = this.authorization;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new SchemaRegistryRequestError(0, 0, `schema registry ${this.baseUrl} unreachable (${method} ${path}): ${(error as Error).message}. Check SCHEMA_REGISTRY_URL.`, true);
    }
    const text = await response.text();
    if (response.ok) return JSON.parse(text);
    let errorCode = response.status;
    let message = text.slice(0, 500);
    try {
      const parsed = JSON.parse(text) as { error_code?: number; message?: string };
      errorCode = parsed.error_code ?? errorCode;
      message = parsed.message ?? message;
    } catch {
      // Not a JSON error body (a proxy's HTML page): keep the text.
    }
    throw new SchemaRegistryRequestError(
      response.status,
      errorCode,
      `schema registry ${this.baseUrl} answered ${method} ${path} with ${response.status} (${errorCode}): ${message}`,
      response.status >= 500 || response.status === 429,
    );
  }
}
