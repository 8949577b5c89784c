import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OPENAPI_FILE } from '../../openapi/write-openapi';

interface HeaderObject {
  required?: boolean;
  schema?: object;
}
interface ResponseObject {
  headers?: Record<string, HeaderObject | { $ref: string }>;
  content?: Record<string, { schema?: object }>;
}
interface OperationObject {
  responses: Record<string, ResponseObject>;
}
export interface ContractDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: { headers?: Record<string, HeaderObject>; schemas: Record<string, object> };
}

/** A response as it came over the wire (or from `inject`): status, lower-cased headers, raw body. */
export interface WireResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

/**
 * Checks responses against the committed OpenAPI document with a JSON Schema 2020-12 validator
 * (the dialect of OpenAPI 3.1): the status must be documented for the operation, the media type
 * listed, the body valid against its schema, and every required header present and well-formed.
 */
export class Contract {
  readonly doc: ContractDocument;
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file: string = OPENAPI_FILE) {
    this.doc = JSON.parse(readFileSync(file, 'utf8')) as ContractDocument;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema(this.doc, 'openapi.json');
  }

  /** Every documented operation as `method path` with its documented statuses. */
  operations(): { operation: string; statuses: string[] }[] {
    return Object.entries(this.doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        operation: `${method} ${path}`,
        statuses: Object.keys(op.responses),
      })),
    );
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi.json#${ref}` });
      this.compiled.set(ref, validate);
    }
    return validate;
  }

  private header(header: HeaderObject | { $ref: string }): HeaderObject {
    if (!('$ref' in header)) return header;
    const name = header.$ref.replace('#/components/headers/', '');
    const resolved = this.doc.components.headers?.[name];
    if (!resolved) throw new Error(`unresolved header ${header.$ref}`);
    return resolved;
  }

  /** What is wrong with a response to `operation` (`get /trials/{id}`); empty when it conforms. */
  check(operation: string, res: WireResponse): string[] {
    const [method = '', path = ''] = operation.split(' ');
    const op = this.doc.paths[path]?.[method];
    if (!op) return [`${operation} is not a documented operation`];
    const status = String(res.statusCode);
    const documented = op.responses[status];
    if (!documented) return [`status ${status} is not documented for ${operation}`];
    const problems: string[] = [];
    const base = pointer('paths', path, method, 'responses', status);

    for (const [name, declared] of Object.entries(documented.headers ?? {})) {
      const header = this.header(declared);
      const value = res.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`required header ${name} is missing`);
        continue;
      }
      const text = Array.isArray(value) ? value.join(', ') : String(value);
      const ref =
        '$ref' in declared
          ? `/${pointer('components', 'headers', name, 'schema')}`
          : `/${base}/${pointer('headers', name, 'schema')}`;
      const validate = this.validator(ref);
      if (!validate(text))
        problems.push(`header ${name}: ${JSON.stringify(text)} ${this.ajv.errorsText(validate.errors)}`);
    }

    const contentType = String(res.headers['content-type'] ?? '');
    const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
    if (!documented.content) {
      if (res.body !== '')
        problems.push(`a ${status} has no documented body, but one was sent (${contentType})`);
      return problems;
    }
    const media = documented.content[mediaType];
    if (!media) {
      problems.push(
        `media type ${JSON.stringify(mediaType)} is not documented for ${status} (documented: ${Object.keys(documented.content).join(', ')})`,
      );
      return problems;
    }
    if (!media.schema) return problems;
    let body: unknown = res.body;
    if (isJson(mediaType)) {
      try {
        body = JSON.parse(res.body);
      } catch {
        problems.push(`the ${mediaType} body is not JSON`);
        return problems;
      }
    }
    const validate = this.validator(
      `/${pointer('paths', path, method, 'responses', status, 'content', mediaType, 'schema')}`,
    );
    if (!validate(body))
      problems.push(
        ...(validate.errors ?? []).map(
          (e) =>
            `body${e.instancePath}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
        ),
      );
    return problems;
  }
}
