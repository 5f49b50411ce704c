import { isV4Path } from '../../../apps/api/src/saved-card/v4-envelope';

/**
 * 4xx statuses whose answer must name the field or header it refuses (`field`; `answer.errorField` in
 * the V4 envelope). Each says "this part of your request is wrong": a bad value (400), a reused key
 * with another payload (412), too large (413), a media type, charset or encoding the route does not
 * take (415), an unprocessable value (422), and the client can only fix it if told which part.
 * The others (401, 403, 404, 405, 408, 409, 429) are about the request as a whole (credentials, scope,
 * the resource, the method, time, the resource's state, the rate): a stable `code` is enough.
 */
export const FIELD_NAMED_STATUSES = new Set([400, 412, 413, 415, 422]);

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

interface Refusal {
  code?: unknown;
  field?: unknown;
}

/** Where a surface writes its error code and field: the V4 envelope nests them under `answer`. */
function refusalOf(path: string, body: unknown): Refusal {
  if (typeof body !== 'object' || body === null) return {};
  if (isV4Path(path)) {
    const answer = (body as { answer?: { errorCode?: unknown; errorField?: unknown } }).answer;
    return { code: answer?.errorCode, field: answer?.errorField };
  }
  return body as Refusal;
}

const named = (value: unknown) => typeof value === 'string' && value.length > 0;

/** Why an answer breaks the edge's contract, or null when it keeps it. */
export function problemWith(path: string, answer: Answer): string | null {
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (answer.status < 400) return null;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `answered ${answer.status} without a JSON body`;
  }
  const refusal = refusalOf(path.split('?')[0], body);
  if (!named(refusal.code)) return `answered ${answer.status} without an error code`;
  if (FIELD_NAMED_STATUSES.has(answer.status) && !named(refusal.field))
    return `answered ${answer.status} without naming the field or header`;
  return null;
}
