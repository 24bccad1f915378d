import { LeftOutOfBundleError } from './left-out-error'

/**
 * Stands in for realtime-js's `WebSocketFactory`, which probes Deno, Cloudflare, edge and Node
 * runtimes: the WeWeb bundle runs in a browser, where it returns the global `WebSocket` (or the
 * app passes `realtime.transport`).
 */
export class WebSocketFactory {
  static getWebSocketConstructor(): typeof WebSocket {
    if (typeof WebSocket !== 'undefined') return WebSocket
    throw new LeftOutOfBundleError('WebSocket detection outside a browser (pass realtime.transport)')
  }

  static isWebSocketSupported(): boolean {
    return typeof WebSocket !== 'undefined'
  }
}

// NOTE: realtime-js imports the default export.
export { WebSocketFactory as default }
