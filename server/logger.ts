/** Log levels of the local Realtime server, from quietest to most verbose. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info'

/** Where the server writes what it ignores or refuses (malformed frames, refused connections...). */
export interface RealtimeLogger {
  info(message: string, meta?: Record<string, unknown>): void
  warn(message: string, meta?: Record<string, unknown>): void
  error(message: string, meta?: Record<string, unknown>): void
}

const ORDER: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3 }

/** A console logger that prints messages at `level` or more severe. */
export function createConsoleLogger(level: LogLevel): RealtimeLogger {
  const on = (l: LogLevel): boolean => ORDER[l] <= ORDER[level]
  const fmt = (message: string, meta?: Record<string, unknown>): string =>
    meta && Object.keys(meta).length > 0 ? `[realtime] ${message} ${JSON.stringify(meta)}` : `[realtime] ${message}`
  return {
    info: (m, meta) => {
      if (on('info')) console.info(fmt(m, meta))
    },
    warn: (m, meta) => {
      if (on('warn')) console.warn(fmt(m, meta))
    },
    error: (m, meta) => {
      if (on('error')) console.error(fmt(m, meta))
    },
  }
}
