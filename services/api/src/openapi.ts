import type { SwaggerOptions } from '@fastify/swagger';
import { eventComponents, webhookOperations } from './event-schemas.ts';
import { TUS_REQUEST_BODIES } from './routes/tus.ts';

// The OpenAPI 3.1 document: @fastify/swagger generates it from every route's schema, and
// the transform below adds what route schemas cannot say (bodies read as streams, the
// event union, webhooks). It is served at /openapi.json and written to docs/openapi.json
// (`npm run docs`); tests validate it and check every answer against it.

type Operation = Record<string, unknown> & { operationId?: string; responses?: Record<string, { description?: string }> };
type Paths = Record<string, Record<string, Operation>>;

const STATUS_TEXT: Record<string, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };

const binary = { schema: { type: 'string', format: 'binary' } };

/** POST /v1/videos takes a file (raw or in a form) besides a URL import's JSON. */
function describeVideoBody(post: Operation | undefined): void {
  if (!post) return;
  const generated = (post['requestBody'] as { content?: Record<string, unknown> } | undefined)?.content;
  post['requestBody'] = {
    required: true,
    content: {
      ...generated,
      'video/*': binary,
      'audio/*': binary,
      'application/octet-stream': binary,
      'multipart/form-data': {
        schema: {
          type: 'object',
          properties: {
            title: { type: 'string' },
            passthrough: { type: 'string' },
            playback_policy: { type: 'string', enum: ['signed', 'public'] },
            file: { type: 'string', format: 'binary' },
          },
          required: ['file'],
        },
      },
    },
  };
}

function completeDocument(doc: Record<string, unknown>): Record<string, unknown> {
  const paths = (doc['paths'] ?? {}) as Paths;
  for (const [path, bodies] of Object.entries(TUS_REQUEST_BODIES)) {
    for (const [method, requestBody] of Object.entries(bodies)) {
      const operation = paths[path]?.[method];
      if (operation) operation['requestBody'] = requestBody;
    }
  }
  describeVideoBody(paths['/v1/videos']?.['post']);
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      // @fastify/swagger names an exposed HEAD route's operation `{id}-head`; ids are camelCase.
      if (operation.operationId?.endsWith('-head')) operation.operationId = operation.operationId.slice(0, -'-head'.length);
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (response.description === 'Default Response') response.description = STATUS_TEXT[status] ?? 'Answer';
      }
    }
  }
  const components = (doc['components'] ?? {}) as { schemas?: Record<string, unknown> };
  // The routes answer events in an open envelope (the log is durable); the document types them.
  components.schemas = { ...components.schemas, ...eventComponents() };
  return { ...doc, components, webhooks: webhookOperations() };
}

/** @fastify/swagger's options for the api at `publicUrl`. */
export function swaggerOptions(publicUrl: string): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kino API',
        version: '0.1.0',
        description:
          'Upload a video, get a playable asset. Every error answer is the `Error` schema; events are the `Event` union; ' +
          'routes tagged `internal` take the internal token and are for Kino’s own roles and operators.',
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key.' },
          internalToken: { type: 'http', scheme: 'bearer', description: 'The deployment’s INTERNAL_TOKEN (internal routes only).' },
        },
      },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json['$id'] ?? `def-${i}`) },
    transformObject: (documentObject) => {
      if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
      return completeDocument(documentObject.openapiObject as Record<string, unknown>) as typeof documentObject.openapiObject;
    },
  };
}

/** `value` with the keys of every object sorted where order carries no meaning (paths, components). */
function sortedKeys<T>(value: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The document as docs/openapi.json holds it: the same on every machine (a server
 * variable instead of this deployment's URL, paths and components sorted).
 */
export function publishedDocument(doc: Record<string, unknown>): string {
  const components = doc['components'] as Record<string, Record<string, unknown>>;
  const published = {
    ...doc,
    servers: [
      {
        url: '{api}',
        description: 'Your Kino API (API_PUBLIC_URL).',
        variables: { api: { default: 'http://127.0.0.1:4000', description: 'The API’s public URL; `npm run up` serves here.' } },
      },
    ],
    paths: sortedKeys(doc['paths'] as Record<string, unknown>),
    components: { ...components, schemas: sortedKeys(components['schemas'] ?? {}) },
    webhooks: sortedKeys(doc['webhooks'] as Record<string, unknown>),
  };
  return `${JSON.stringify(published, null, 2)}\n`;
}
