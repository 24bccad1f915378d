// @vitest-environment node
import { existsSync, readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LEAN_ENUMS, LEAN_METHODS, LEAN_REPLACEMENTS, STAND_IN_METHODS, UNSET_OPTIONS, withLeanMethods } from '../../scripts/weweb-lean-modules'
import { LeftOutOfBundleError } from '../../scripts/weweb-stubs/left-out-error'
import Ajax from '../../scripts/weweb-stubs/phoenix-ajax'
import LongPoll from '../../scripts/weweb-stubs/phoenix-long-poll'
import Serializer from '../../scripts/weweb-stubs/phoenix-serializer'
import { RealtimePostgresFilterBuilder } from '../../scripts/weweb-stubs/realtime-postgres-filter-builder'
import { WebSocketFactory } from '../../scripts/weweb-stubs/realtime-websocket-factory'

interface PhoenixAjax {
  appendParams(url: string, params: Record<string, unknown>): string
}

describe('the stand-ins of the WeWeb build', () => {
  it('replace files that exist, with stand-ins that exist', () => {
    for (const [file, stub] of Object.entries(LEAN_REPLACEMENTS)) {
      expect(existsSync(file), file).toBe(true)
      expect(existsSync(stub), stub).toBe(true)
    }
  })

  it('replace the body of each listed method, found once in its file, and leave the rest', () => {
    for (const [file, names] of Object.entries(LEAN_METHODS)) {
      const code = readFileSync(file, 'utf8')
      const out = withLeanMethods(file, code) ?? ''
      for (const name of names) expect(out).toContain(`.${name.replace('static ', '')}()")`)
      expect(out.length).toBeLessThan(code.length)
    }
    expect(withLeanMethods('/x/other.js', 'class A { f() {} }')).toBeNull()
    const [file] = Object.keys(LEAN_METHODS)
    expect(() => withLeanMethods(file ?? '', 'export default class A { other() {} }')).toThrow(/not one/)
  })

  it('replace the body of each stand-in method by its stand-in, and fail when the body it replaces changed', () => {
    for (const [file, methods] of Object.entries(STAND_IN_METHODS)) {
      const code = readFileSync(file, 'utf8')
      const out = withLeanMethods(file, code) ?? ''
      for (const standIn of Object.values(methods)) expect(out).toContain(standIn.body)
      expect(out.length).toBeLessThan(code.length)
    }
    const file = Object.keys(STAND_IN_METHODS).find((f) => f.endsWith('RealtimeClient.js')) ?? ''
    const code = readFileSync(file, 'utf8')
    const changed = code.replace('_terminateWorker() {', '_terminateWorker() {\n        this.changed = true;')
    expect(changed).not.toBe(code)
    expect(() => withLeanMethods(file, changed)).toThrow(/body of _terminateWorker changed/)
  })

  it('read the options the plugin never sets as undefined, keep every other read, and fail when a listed read is gone', () => {
    for (const [file, methods] of Object.entries(UNSET_OPTIONS)) {
      const code = readFileSync(file, 'utf8')
      const out = withLeanMethods(file, code) ?? ''
      for (const { object, properties } of Object.values(methods)) {
        for (const property of properties) {
          const reads = (text: string) => text.match(new RegExp(`\\b${object}\\.${property}\\b`, 'g'))?.length ?? 0
          expect(reads(out), `${object}.${property}`).toBeLessThan(reads(code))
        }
      }
    }
    const channel = Object.keys(UNSET_OPTIONS).find((f) => f.endsWith('RealtimeChannel.js')) ?? ''
    const code = readFileSync(channel, 'utf8')
    expect(withLeanMethods(channel, code)).toMatch(/args\.type === 'broadcast' &&\s+void 0 &&/)
    expect(() => withLeanMethods(channel, code.replaceAll('args.persist', 'args.kept'))).toThrow(/no longer reads args\.persist/)
    expect(() => withLeanMethods(channel, code.replace('async send(args, opts = {}) {', 'async send(args, opts = {}) { args.persist = 1;'))).toThrow(/writes args\.persist/)
  })

  it('turn the logger calls and console hints of realtime-js and Phoenix into constants, and keep console errors', () => {
    const file = Object.keys(LEAN_METHODS).find((f) => f.endsWith('socket.js')) ?? ''
    const out = withLeanMethods(file.replace(/socket\.js$/, 'timer.js'), 'class S { f(e) { if (this.hasLogger()) this.log("transport", `open ${e}`); this.socket.log("x"); console.warn("hint"); console.log("deprecated"); console.error("kept") } }') ?? ''
    expect(out).toContain('if (false) void 0;')
    expect(out).toContain('void 0; void 0; void 0; console.error("kept")')
    const socket = withLeanMethods(file, readFileSync(file, 'utf8')) ?? ''
    expect(socket).not.toMatch(/this\.(socket\.)?(log|hasLogger)\(|console\.(log|warn)\(/)
  })

  it('write the members of the listed enums as strings and drop the code that builds them', () => {
    for (const [file, names] of Object.entries(LEAN_ENUMS)) {
      const out = withLeanMethods(file, readFileSync(file, 'utf8')) ?? ''
      for (const name of names) expect(out).not.toMatch(new RegExp(`\\(function \\(${name}\\)|${name}\\.[A-Za-z]`))
    }
    const transformers = Object.keys(LEAN_ENUMS).find((f) => f.endsWith('transformers.js')) ?? ''
    expect(withLeanMethods(transformers, readFileSync(transformers, 'utf8'))).toContain('case "bool":')
    const build = 'export var PostgresTypes;\n(function (PostgresTypes) {\n PostgresTypes["bool"] = "bool";\n})(PostgresTypes || (PostgresTypes = {}));\n'
    expect(withLeanMethods(transformers, `${build}f(PostgresTypes.bool)`)).toContain('f("bool")')
    expect(() => withLeanMethods(transformers, `${build}f(PostgresTypes)`)).toThrow(/other than by reading a member/)
    expect(() => withLeanMethods(transformers, `${build}f(PostgresTypes.int4)`)).toThrow(/unknown member/)
    expect(() => withLeanMethods(transformers, 'f(1)')).toThrow(/no longer builds the enums PostgresTypes/)
  })

  it("build the socket URL exactly as Phoenix's Ajax.appendParams does", async () => {
    // @ts-expect-error Phoenix's ES sources ship without types
    const phoenix = (await import('../../node_modules/@supabase/phoenix/assets/js/phoenix/ajax.js')) as { default: PhoenixAjax }
    const cases: Array<[string, Record<string, unknown>]> = [
      ['wss://x.supabase.co/realtime/v1/websocket', { apikey: 'k e/y', log_level: 'info', vsn: '2.0.0' }],
      ['ws://localhost:1/socket?a=1', { nested: { b: 'é', c: 2 } }],
      ['ws://h/socket', {}],
    ]
    for (const [url, params] of cases) expect(Ajax.appendParams(url, params)).toBe(phoenix.default.appendParams(url, params))
  })

  it('throw a typed error naming what was left out when reached', () => {
    const reached = [() => new LongPoll(), () => Ajax.request(), () => Serializer.encode(), () => Serializer.decode(), () => new RealtimePostgresFilterBuilder()]
    for (const reach of reached) {
      expect(reach).toThrow(LeftOutOfBundleError)
      expect(reach).toThrow(/not part of the WeWeb build/)
    }
  })

  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('give the global WebSocket where there is one, and say to pass a transport where there is none', () => {
    class FakeWebSocket {}
    vi.stubGlobal('WebSocket', FakeWebSocket)
    expect(WebSocketFactory.getWebSocketConstructor()).toBe(FakeWebSocket)
    expect(WebSocketFactory.isWebSocketSupported()).toBe(true)
    vi.stubGlobal('WebSocket', undefined)
    expect(() => WebSocketFactory.getWebSocketConstructor()).toThrow(/realtime\.transport/)
    expect(WebSocketFactory.isWebSocketSupported()).toBe(false)
  })
})
