import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/**
 * Error responses in the shapes SAP S/4HANA sends them (SOURCES.md §1 "Errors"):
 * OData errors `{"error":{"code","message":{"lang","value"},"innererror":{application,
 * transactionid, timestamp, Error_Resolution, errordetails}}}`; the ICF logon page on 401; the
 * plain-text CSRF failure; the ICM's HTML page on 503; SAP API Management's fault on 429.
 */
export interface SapErrorDetail {
  code: string;
  message: string;
  propertyref?: string;
  severity?: 'error' | 'warning' | 'info';
  target?: string;
}

export const SYSTEM_ID = 'S4H';
export const CLIENT = '100';

const COMPONENTS: Record<string, string> = {
  API_PURCHASEORDER_PROCESS_SRV: 'MM-PUR-PO',
  API_MAINTENANCEORDER: 'PM-WOC-MO',
  API_EQUIPMENT: 'PM-EQM-EQ',
  API_BUSINESS_PARTNER: 'LO-MD-BP',
  API_PRODUCT_SRV: 'LO-MD-MM',
  API_MATERIAL_STOCK_SRV: 'MM-IM-GF',
};

function sapTimestamp(date = new Date()): string {
  const iso = date.toISOString(); // 2024-05-20T04:39:36.311Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}.${iso.slice(20, 23)}0000`;
}

export function odataError(code: string, message: string, service: string | undefined, details: SapErrorDetail[] = []): string {
  return JSON.stringify({
    error: {
      code,
      message: { lang: 'en', value: message },
      innererror: {
        application: {
          component_id: service ? (COMPONENTS[service] ?? '') : '',
          service_namespace: '/SAP/',
          service_id: service ?? '',
          service_version: '0001',
        },
        transactionid: randomBytes(16).toString('hex').toUpperCase(),
        timestamp: sapTimestamp(),
        Error_Resolution: {
          SAP_Transaction:
            'For backend administrators: use ADT feed reader "SAP Gateway Error Log" or run transaction /IWFND/ERROR_LOG on SAP Gateway hub system and search for entries with the timestamp above for more details',
          SAP_Note: 'See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)',
        },
        errordetails: details.map((detail) => ({
          code: detail.code,
          message: detail.message,
          propertyref: detail.propertyref ?? '',
          severity: detail.severity ?? 'error',
          target: detail.target ?? '',
          transition: true,
        })),
      },
    },
  });
}

export function sendODataError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  service: string | undefined,
  details: SapErrorDetail[] = [],
): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('dataserviceversion', '1.0')
    .send(odataError(code, message, service, details));
}

export function sendNotFound(reply: FastifyReply, segment: string, service: string | undefined): FastifyReply {
  return sendODataError(reply, 404, '/IWBEP/CM_MGW_RT/020', `Resource not found for segment '${segment}'`, service);
}

export function sendNoAuthorization(reply: FastifyReply, service: string): FastifyReply {
  return sendODataError(reply, 403, '/IWFND/CM_CONSUMER/101', `No authorization to access Service '${service}_0001'`, service);
}

/** The ICF logon error page; real systems answer a failed Basic logon with HTML, not OData JSON. */
export function sendLogonFailed(reply: FastifyReply, scheme: 'Basic' | 'Bearer'): FastifyReply {
  const realm = `SAP NetWeaver Application Server [${SYSTEM_ID}/${CLIENT}]`;
  const challenge = scheme === 'Basic' ? `Basic realm="${realm}"` : `Bearer realm="${realm}", error="invalid_token"`;
  return reply
    .code(401)
    .header('www-authenticate', challenge)
    .header('content-type', 'text/html; charset=utf-8')
    .send(
      '<html><head><title>Logon Error Message</title><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>' +
        '<body><p class="errorTextHeader"><span>Logon failed</span></p>' +
        '<p class="detailText"><span id="msgText">Logon failed. Contact your system administrator.</span></p>' +
        `<p>Server: ${SYSTEM_ID} (client ${CLIENT})</p></body></html>`,
    );
}

export function sendCsrfFailed(reply: FastifyReply): FastifyReply {
  return reply.code(403).header('x-csrf-token', 'Required').header('content-type', 'text/plain; charset=utf-8').send('CSRF token validation failed');
}

export const unavailableBody = {
  contentType: 'text/html; charset=utf-8',
  body:
    '<html><head><title>Service cannot be reached</title></head><body><h2>503 Service not available</h2>' +
    '<p>Error: -20<br>Version: 7530<br>Component: ICM Java<br>Detail: no application server available</p></body></html>',
};

export const rateLimitedBody = {
  contentType: 'application/json',
  body: JSON.stringify({
    fault: {
      faultstring: 'Rate limit quota violation. Quota limit  exceeded. Identifier : millrace',
      detail: { errorcode: 'policies.ratelimit.QuotaViolation' },
    },
  }),
};
