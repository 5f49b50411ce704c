import { HttpException } from '@nestjs/common';

/** Every error body: a stable code, a human message and, for bad input, the field at fault. */
export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string;
  details?: unknown;
}

export class ApiError extends HttpException {
  constructor(status: number, body: ApiErrorBody) {
    super(body, status);
  }

  static badField(field: string, message: string): ApiError {
    return new ApiError(400, { code: 'INVALID_FIELD', field, message });
  }
}
