/**
 * Structured JSON logs, one object per line. Callers pass ids and states only: never card data.
 * `redact` is a last line of defence for anything that looks like a PAN.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const PAN_LIKE = /\b\d{13,19}\b/g;

export function redact(text: string): string {
  return text.replace(PAN_LIKE, (digits) => `${digits.slice(0, 6)}***${digits.slice(-4)}`);
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(
  service: string,
  level: string = 'info',
  base: Record<string, unknown> = {},
): Logger {
  const threshold = ORDER[(level as LogLevel) in ORDER ? (level as LogLevel) : 'info'];
  const write = (lvl: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[lvl] < threshold) return;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level: lvl,
      service,
      message,
      ...base,
      ...fields,
    });
    (lvl === 'error' || lvl === 'warn' ? process.stderr : process.stdout).write(redact(line) + '\n');
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(service, level, { ...base, ...fields }),
  };
}
