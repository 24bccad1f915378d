import net from 'node:net'

/** What the proxy does to traffic right now. */
export type FaultMode = 'pass' | 'blackhole' | 'refuse'

/** A TCP proxy in front of a server that can break the link the ways networks do. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give this to the client instead of the server's URL. */
  readonly url: string
  readonly port: number
  readonly mode: FaultMode
  /** Resets every open connection (TCP RST): both ends see the link die at once. */
  cut(): void
  /**
   * Half-open link: stops forwarding in both directions but keeps every socket open, like a dead
   * Wi-Fi. Bytes are held, not lost (TCP would retransmit them) and flow again on `restore()`.
   * New connections are accepted and held the same way. With `drop`, bytes are discarded instead
   * (lost beyond what TCP retransmits): a handshake started meanwhile never completes.
   */
  blackhole(options?: { drop?: boolean }): void
  /** The server is gone: open connections are reset and new ones refused with a reset. */
  refuse(): void
  /** Adds `ms` of delay to every chunk, in both directions (0 removes it). */
  latency(ms: number): void
  /** Back to normal forwarding; held bytes are delivered in order. */
  restore(): void
  /** Number of client connections currently open through the proxy. */
  connections(): number
  close(): Promise<void>
}

interface Pipe {
  client: net.Socket
  upstream: net.Socket
  /** Chunks held while blackholed, in arrival order, with the socket to write them to. */
  held: { to: net.Socket; chunk: Buffer }[]
  /** When the last delayed chunk per direction is released (keeps order when latency changes). */
  releaseAt: Map<net.Socket, number>
}

/**
 * Starts a proxy on a free port of 127.0.0.1 that forwards to `target` (an `http://host:port` URL
 * or a port). Close it with `await proxy.close()`.
 */
export async function startFaultProxy(target: string | number): Promise<FaultProxy> {
  const { host, port: targetPort } = typeof target === 'number' ? { host: '127.0.0.1', port: target } : parseTarget(target)
  const pipes = new Set<Pipe>()
  let mode: FaultMode = 'pass'
  let drop = false
  let delayMs = 0

  const destroy = (pipe: Pipe, reset: boolean) => {
    pipes.delete(pipe)
    for (const socket of [pipe.client, pipe.upstream]) {
      if (socket.destroyed) continue
      if (reset) socket.resetAndDestroy()
      else socket.destroy()
    }
  }

  const deliver = (pipe: Pipe, to: net.Socket, chunk: Buffer) => {
    if (mode === 'blackhole') {
      if (!drop) pipe.held.push({ to, chunk })
      return
    }
    const now = Date.now()
    if (delayMs <= 0 && (pipe.releaseAt.get(to) ?? 0) <= now) {
      if (!to.destroyed) to.write(chunk)
      return
    }
    const at = Math.max(now + delayMs, pipe.releaseAt.get(to) ?? 0)
    pipe.releaseAt.set(to, at)
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk)
    }, at - now)
  }

  const server = net.createServer((client) => {
    if (mode === 'refuse') {
      client.resetAndDestroy()
      return
    }
    client.setNoDelay(true)
    const upstream = net.connect({ host, port: targetPort })
    upstream.setNoDelay(true)
    const pipe: Pipe = { client, upstream, held: [], releaseAt: new Map() }
    pipes.add(pipe)
    client.on('data', (chunk: Buffer) => deliver(pipe, upstream, chunk))
    upstream.on('data', (chunk: Buffer) => deliver(pipe, client, chunk))
    // NOTE: an end or error on one side is passed on only while forwarding; a blackholed link
    // keeps the other side open, as a dead network would.
    const closeBoth = () => {
      if (mode === 'blackhole') return
      destroy(pipe, false)
    }
    client.on('error', closeBoth)
    upstream.on('error', () => destroy(pipe, true))
    client.on('close', closeBoth)
    upstream.on('close', () => {
      if (mode === 'blackhole') return
      destroy(pipe, false)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('The fault proxy has no TCP address')
  const port = address.port

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get mode() {
      return mode
    },
    cut() {
      for (const pipe of [...pipes]) destroy(pipe, true)
    },
    blackhole(options = {}) {
      mode = 'blackhole'
      drop = options.drop === true
    },
    refuse() {
      mode = 'refuse'
      for (const pipe of [...pipes]) destroy(pipe, true)
    },
    latency(ms) {
      delayMs = Math.max(0, ms)
    },
    restore() {
      mode = 'pass'
      for (const pipe of [...pipes]) {
        const held = pipe.held.splice(0)
        for (const { to, chunk } of held) deliver(pipe, to, chunk)
        // NOTE: a side that closed while the link was held is closed now.
        if (pipe.client.destroyed || pipe.upstream.destroyed) destroy(pipe, false)
      }
    },
    connections() {
      return pipes.size
    },
    async close() {
      mode = 'pass'
      for (const pipe of [...pipes]) destroy(pipe, true)
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function parseTarget(url: string): { host: string; port: number } {
  const parsed = new URL(url)
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80))
  return { host: parsed.hostname, port }
}
