import { HttpException } from '@nestjs/common';
import { Error as MongooseError } from 'mongoose';
import { ApiError } from './api-error';
import { JSON_TOO_DEEP } from './body-parsing';

/** What Express's body parser (http-errors) and zlib attach to the errors they raise. */
interface ParserError {
  status?: unknown;
  expose?: unknown;
  type?: unknown;
  code?: unknown;
  limit?: unknown;
  message?: unknown;
}

/** The body parser's error types, each as the part of the request at fault. */
const PARSER_ERRORS: Record<string, { status: number; code: string; field: string; message: string }> = {
  'entity.too.large': {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    field: 'body',
    message: 'the body is larger than the limit',
  },
  [JSON_TOO_DEEP]: {
    status: 400,
    code: 'MALFORMED_REQUEST',
    field: 'body',
    message: 'the JSON body nests too deeply',
  },
  'entity.parse.failed': {
    status: 400,
    code: 'MALFORMED_REQUEST',
    field: 'body',
    message: 'the body is not valid JSON',
  },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_CONTENT_ENCODING',
    field: 'Content-Encoding',
    message: 'Content-Encoding must be gzip, deflate, br or identity',
  },
  'charset.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_CHARSET',
    field: 'Content-Type',
    message: 'the body must be UTF-8 (charset=utf-8)',
  },
  'request.size.invalid': {
    status: 400,
    code: 'MALFORMED_REQUEST',
    field: 'Content-Length',
    message: 'the body does not have the length Content-Length announces',
  },
  'request.aborted': {
    status: 400,
    code: 'MALFORMED_REQUEST',
    field: 'body',
    message: 'the body was not received whole',
  },
  'parameters.too.many': {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    field: 'body',
    message: 'the form has too many fields',
  },
  'querystring.parse.rangeError': {
    status: 400,
    code: 'MALFORMED_REQUEST',
    field: 'body',
    message: 'the form nests too deeply',
  },
};

const isClientStatus = (status: unknown): status is number =>
  typeof status === 'number' && status >= 400 && status < 500;

function fromParser(error: ParserError): ApiError | undefined {
  const known = typeof error.type === 'string' ? PARSER_ERRORS[error.type] : undefined;
  if (known) {
    const limit =
      error.type === 'entity.too.large' && typeof error.limit === 'number' ? error.limit : undefined;
    const message = limit ? `the body is larger than the limit of ${limit} bytes` : known.message;
    return new ApiError(known.status, { code: known.code, field: known.field, message });
  }
  // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR...) reach the parser as a 400: the body is not what
  // its Content-Encoding says.
  if (typeof error.code === 'string' && error.code.startsWith('Z_')) {
    return new ApiError(400, {
      code: 'MALFORMED_REQUEST',
      field: 'Content-Encoding',
      message: 'the body is not encoded as its Content-Encoding says',
    });
  }
  // Any other client error of the HTTP layer (http-errors marks them `expose`).
  if (isClientStatus(error.status) && error.expose === true) {
    return new ApiError(error.status, {
      code: `HTTP_${error.status}`,
      field: 'body',
      message: 'request refused',
    });
  }
  return undefined;
}

/** A Mongoose cast or validation failure: a value of the wrong shape reached a query or a document. */
function fromMongoose(error: unknown): ApiError | undefined {
  if (error instanceof MongooseError.CastError) {
    return ApiError.badField(error.path, `${error.path} has the wrong type`);
  }
  if (error instanceof MongooseError.ValidationError) {
    const [path] = Object.keys(error.errors);
    return ApiError.badField(path ?? 'body', `${path ?? 'the body'} is invalid`);
  }
  return undefined;
}

/**
 * The client errors raised beneath the routes (the body parser, zlib, Mongoose) as the API's 4xx
 * naming the field or header at fault; undefined for anything else, which stays a 500.
 */
export function clientErrorOf(error: unknown): ApiError | undefined {
  if (error instanceof HttpException || typeof error !== 'object' || error === null) return undefined;
  return fromMongoose(error) ?? fromParser(error as ParserError);
}
