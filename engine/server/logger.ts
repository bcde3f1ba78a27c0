import pino, { type Logger } from 'pino'

/**
 * The server's one structured logger: one JSON object per line on stdout.
 * Cookies and credentials are redacted; CSV contents are never logged.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password'],
  })
}

export type { Logger }
