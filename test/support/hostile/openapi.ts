/** The parts of an OpenAPI 3 document the hostile-input suite reads: operations, parameters, schemas. */
export interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: RequestBody }>>;
  components?: { schemas?: Record<string, Schema> };
}

interface RequestBody {
  content?: Record<string, { schema?: Schema }>;
}

export interface Operation {
  method: string;
  /** The path template as the document writes it, e.g. `/cards/{proxy}`. */
  template: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  headerParams: Parameter[];
  /** The JSON request body's schema, resolved against the document's components. */
  bodySchema?: Schema;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

/** `#/components/schemas/X` → the schema X; nested `$ref`s stay for `resolve` to follow lazily. */
export function resolve(document: OpenApiDocument, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 16; hops += 1) {
    const name = current.$ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved schema reference ${current.$ref}`);
    current = target;
  }
  if (current.allOf) {
    const parts = current.allOf.map((part) => resolve(document, part));
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})),
      required: parts.flatMap((part) => part.required ?? []),
    };
  }
  return current;
}

/** Every operation of the document, in the document's order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => {
        const parameters = operation.parameters ?? [];
        const json = operation.requestBody?.content?.['application/json']?.schema;
        return {
          method: method.toUpperCase(),
          template,
          pathParams: parameters.filter((p) => p.in === 'path'),
          queryParams: parameters.filter((p) => p.in === 'query'),
          headerParams: parameters.filter((p) => p.in === 'header'),
          ...(json ? { bodySchema: resolve(document, json) } : {}),
        };
      }),
  );
}
