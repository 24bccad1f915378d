import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin as EsbuildPlugin } from 'esbuild'
import { parseSync, type Plugin } from 'vite'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const STUBS = fileURLToPath(new URL('./weweb-stubs/', import.meta.url))
const REALTIME = path.join(ROOT, 'node_modules/@supabase/realtime-js/dist/module')
/** Phoenix's own ES modules, shipped in the package beside the single-file `phoenix.mjs` they are bundled into. */
const PHOENIX_SOURCES = path.join(ROOT, 'node_modules/@supabase/phoenix/assets/js/phoenix')

/**
 * Modules of `@supabase/realtime-js` and its Phoenix socket that the plugin never reaches in a
 * browser, replaced in the WeWeb compile only (tests and the npm entry keep the real ones) by
 * small stand-ins in `scripts/weweb-stubs/` that keep what is used and throw
 * `LeftOutOfBundleError` if anything else is ever called. Keyed by the resolved file.
 */
export const LEAN_REPLACEMENTS: Readonly<Record<string, string>> = {
  [path.join(PHOENIX_SOURCES, 'longpoll.js')]: path.join(STUBS, 'phoenix-long-poll.ts'),
  [path.join(PHOENIX_SOURCES, 'ajax.js')]: path.join(STUBS, 'phoenix-ajax.ts'),
  [path.join(PHOENIX_SOURCES, 'serializer.js')]: path.join(STUBS, 'phoenix-serializer.ts'),
  [path.join(REALTIME, 'lib/websocket-factory.js')]: path.join(STUBS, 'realtime-websocket-factory.ts'),
  [path.join(REALTIME, 'RealtimePostgresFilterBuilder.js')]: path.join(STUBS, 'realtime-postgres-filter-builder.ts'),
}

/**
 * Methods of realtime-js and Phoenix classes the plugin never calls, whose bodies the WeWeb compile
 * replaces by a `LeftOutOfBundleError` throw (keyed by resolved file, then class method name,
 * `static name` for a static method; a name matches a getter too):
 * - `httpSend` (the plugin sends over REST with its own `restBroadcast`, which maps each refusal to
 *   a typed error), the Web Worker heartbeat (`worker: true`, never set by the plugin) and
 *   Phoenix's long-poll fallback (`longPollFallbackMs`, never set by realtime-js) with the helpers
 *   only it uses.
 * - `copyBindings`: public API the plugin never calls, and nothing in realtime-js calls it.
 * - PresenceAdapter's `state` and `transformState`: they build `channel.presenceState()`, which the
 *   plugin never reads (it folds the `presence` join, leave and sync events itself,
 *   src/core/channel-presence.ts); the join and leave payloads use the module's own helpers.
 * - Serializer's `_encodeBinaryUserBroadcastPush`: reached only for a broadcast whose payload is an
 *   `ArrayBuffer`; every payload the plugin sends is a plain object (a copy with its message id,
 *   src/core/message-ids.ts, or a live message, src/core/live/live-wire.ts).
 */
export const LEAN_METHODS: Readonly<Record<string, readonly string[]>> = {
  [path.join(REALTIME, 'RealtimeChannel.js')]: ['httpSend', 'copyBindings'],
  [path.join(REALTIME, 'RealtimeClient.js')]: ['_startWorkerHeartbeat', '_workerObjectUrl'],
  [path.join(REALTIME, 'phoenix/presenceAdapter.js')]: ['state', 'static transformState'],
  [path.join(REALTIME, 'lib/serializer.js')]: ['_encodeBinaryUserBroadcastPush'],
  [path.join(PHOENIX_SOURCES, 'socket.js')]: ['connectWithFallback', 'replaceTransport', 'ping', 'transportName'],
}

/**
 * String enums of realtime-js (TypeScript's `(function (E) { E["A"] = "a" })(E || (E = {}))`) whose
 * only reader outside their module is realtime-js's `index.js`, which re-exports them; the WeWeb
 * bundle exports none of realtime-js. The compile writes each member read (`E.A`) as its string and
 * drops the code that builds the enum; the build fails if a listed enum is not found, or is read in
 * any other way (keyed by resolved file).
 */
export const LEAN_ENUMS: Readonly<Record<string, readonly string[]>> = {
  [path.join(REALTIME, 'RealtimeChannel.js')]: ['REALTIME_POSTGRES_CHANGES_LISTEN_EVENT', 'REALTIME_LISTEN_TYPES', 'REALTIME_SUBSCRIBE_STATES'],
  [path.join(REALTIME, 'RealtimePresence.js')]: ['REALTIME_PRESENCE_LISTEN_EVENTS'],
  [path.join(REALTIME, 'lib/transformers.js')]: ['PostgresTypes'],
}

/** A body for a method the plugin does reach, which does nothing there: see {@link STAND_IN_METHODS}. */
export interface StandIn {
  /**
   * The first 12 hex digits of the SHA-256 of the upstream body it replaces ({@link bodyHash}):
   * when an upgrade changes that body, the build fails until the stand-in is checked again.
   */
  readonly replaces: string
  /** The new body, braces included: JavaScript in the scope of the upstream module. */
  readonly body: string
}

/**
 * Method bodies the WeWeb compile replaces by an empty one, because the upstream body never acts
 * for the plugin (keyed by resolved file, then method name). Why:
 * - `RealtimeClient._terminateWorker`: `workerRef` is only set by `_startWorkerHeartbeat`, left out
 *   above, so the upstream body never finds a worker to stop.
 * - `RealtimeClient._handleNodeJsRaceCondition`: runs right after `connect()` opened a socket; in a
 *   browser a new WebSocket is never open before its `open` event (it starts `CONNECTING`), and
 *   `connect()` returns early when one is already open, so the upstream body never acts.
 */
export const STAND_IN_METHODS: Readonly<Record<string, Readonly<Record<string, StandIn>>>> = {
  [path.join(REALTIME, 'RealtimeClient.js')]: {
    _terminateWorker: { replaces: '008a9569f583', body: '{}' },
    _handleNodeJsRaceCondition: { replaces: 'b96f82830927', body: '{}' },
  },
}

/** Options the plugin never sets, read as `undefined` inside one method: `object.property` reads only. */
export interface UnsetOptions {
  /** The name of the variable holding the options in that method (`args`, `options`), or `this`. */
  readonly object: string
  readonly properties: readonly string[]
}

/**
 * Reads of options the plugin never sets, which the WeWeb compile writes as `void 0` so that the
 * minifier drops the branches they guard (keyed by resolved file, then method name). The upstream
 * code is otherwise kept as it is. The build fails if a listed read is no longer found.
 * - `RealtimeChannel.send`: no message of the plugin sets `persist` (broadcasts are
 *   `{ type, event, payload }`, src/core/broadcast-push.ts and src/core/live/live-sender.ts;
 *   presence goes through `track` and `untrack`).
 * - `RealtimeClient._initializeOptions`: the plugin passes only `accessToken`, `fetch`, `params`,
 *   `heartbeatIntervalMs` and `heartbeatCallback` (src/core/create-realtime-rest-client.ts; the WeWeb
 *   entry passes no `realtime` options), never the Web Worker, the protocol version, a logger or a
 *   log level; so `this.worker` is always false where the heartbeat reads it.
 * - Phoenix's `Socket` constructor: realtime-js never passes `debug`.
 */
export const UNSET_OPTIONS: Readonly<Record<string, Readonly<Record<string, UnsetOptions>>>> = {
  [path.join(REALTIME, 'RealtimeChannel.js')]: {
    send: { object: 'args', properties: ['persist'] },
  },
  [path.join(REALTIME, 'RealtimeClient.js')]: {
    _initializeOptions: { object: 'options', properties: ['worker', 'workerUrl', 'vsn', 'logger', 'logLevel', 'log_level'] },
    // NOTE: `this.worker` is `options.worker` (read as undefined above) or false: no worker heartbeat.
    heartbeatTimer: { object: 'this', properties: ['worker'] },
    pendingHeartbeatRef: { object: 'this', properties: ['worker'] },
    _setupConnectionHandlers: { object: 'this', properties: ['worker'] },
  },
  // NOTE: realtime-js never passes Phoenix's `debug` (a console logger).
  [path.join(PHOENIX_SOURCES, 'socket.js')]: {
    constructor: { object: 'opts', properties: ['debug'] },
  },
}

/** Edits that write the {@link UNSET_OPTIONS} reads inside `body` (a method's body) as `void 0`. */
function unsetReadEdits(body: AstNode, unset: UnsetOptions, where: string): Array<{ node: AstNode; text: string }> {
  const edits: Array<{ node: AstNode; text: string }> = []
  const found = new Set<string>()
  const visit = (node: unknown, parent: AstNode | null): void => {
    if (Array.isArray(node)) return node.forEach((child) => visit(child, parent))
    if (!node || typeof node !== 'object') return
    const n = node as AstNode
    const object = n['object'] as { type?: string; name?: string } | undefined
    if (n.type === 'MemberExpression' && n['computed'] === false && (unset.object === 'this' ? object?.type === 'ThisExpression' : object?.name === unset.object)) {
      const name = (n['property'] as { name?: string }).name ?? ''
      const written = parent?.type === 'AssignmentExpression' && parent['left'] === n
      if (unset.properties.includes(name)) {
        if (written) throw new Error(`${where} writes ${unset.object}.${name} (update UNSET_OPTIONS in scripts/weweb-lean-modules.ts)`)
        found.add(name)
        return void edits.push({ node: n, text: 'void 0' })
      }
    }
    for (const [field, value] of Object.entries(n)) if (field !== 'type' && field !== 'start' && field !== 'end') visit(value, n)
  }
  visit(body, null)
  const missing = unset.properties.filter((name) => !found.has(name))
  if (missing.length > 0) throw new Error(`${where} no longer reads ${missing.map((name) => `${unset.object}.${name}`).join(', ')} (update UNSET_OPTIONS in scripts/weweb-lean-modules.ts)`)
  return edits
}

/** The first 12 hex digits of the SHA-256 of a method body's source text (what {@link StandIn.replaces} holds). */
export function bodyHash(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 12)
}

interface AstNode {
  type: string
  start: number
  end: number
  [key: string]: unknown
}

/** `this`, or a property of it (`this.socket`, `this.socketAdapter`): where realtime-js and Phoenix keep their loggers. */
function isOwnObject(node: AstNode): boolean {
  return node.type === 'ThisExpression' || (node.type === 'MemberExpression' && node['computed'] === false && (node['object'] as AstNode).type === 'ThisExpression')
}

/**
 * A call of `log(…)` or `hasLogger()` on a realtime-js or Phoenix object, or of `console.log(…)`
 * or `console.warn(…)` in their code. No logger is ever set in the WeWeb bundle: the plugin passes
 * none, and realtime-js never passes Phoenix `debug` ({@link UNSET_OPTIONS}). So `hasLogger()` is
 * always `false` and `log(…)` does nothing (its arguments are plain reads): the compile writes
 * `false` and `void 0` instead, and the minifier drops the log lines and their texts. The console
 * hints go too: a deprecated `connect(params)` the plugin never makes, and the advice to call
 * `httpSend()` when a broadcast falls back to REST (the plugin reports its own sends). Errors
 * (`console.error`) stay.
 */
function loggerCall(node: AstNode): 'log' | 'hasLogger' | null {
  if (node.type !== 'CallExpression') return null
  const callee = node['callee'] as AstNode
  if (callee.type !== 'MemberExpression' || callee['computed'] !== false) return null
  const name = (callee['property'] as { name?: string }).name
  const object = callee['object'] as AstNode & { name?: string }
  if (object.type === 'Identifier' && object.name === 'console') return name === 'log' || name === 'warn' ? 'log' : null
  if (!isOwnObject(object)) return null
  return name === 'log' || name === 'hasLogger' ? name : null
}

/**
 * Every class method named in `names` (`static name` for a static one), and with `loggers`, every
 * {@link loggerCall}, found by walking the parsed module.
 */
function leanTargets(program: AstNode, names: readonly string[], loggers: boolean): { methods: Map<string, AstNode[]>; logCalls: AstNode[] } {
  const methods = new Map<string, AstNode[]>(names.map((name) => [name, []]))
  const logCalls: AstNode[] = []
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (!node || typeof node !== 'object') return
    const n = node as AstNode
    if (n.type === 'MethodDefinition') {
      const key = n['key'] as AstNode & { name?: string }
      const body = (n['value'] as { body?: AstNode } | undefined)?.body
      if (key.type === 'Identifier' && key.name && body) methods.get(`${n['static'] === true ? 'static ' : ''}${key.name}`)?.push(body)
    }
    if (loggers && loggerCall(n)) {
      logCalls.push(n)
      return
    }
    for (const [field, value] of Object.entries(n)) if (field !== 'type' && field !== 'start' && field !== 'end') visit(value)
  }
  visit(program)
  return { methods, logCalls }
}

/** The name and members of a TypeScript string enum's building statement, or `null` for another statement. */
function enumStatement(node: AstNode): { name: string; members: Map<string, string> } | null {
  const call = node.type === 'ExpressionStatement' ? (node['expression'] as AstNode) : null
  if (call?.type !== 'CallExpression') return null
  const callee = call['callee'] as AstNode
  const fn = (callee.type === 'ParenthesizedExpression' ? callee['expression'] : callee) as AstNode
  const [arg] = call['arguments'] as AstNode[]
  if (fn.type !== 'FunctionExpression' || arg?.type !== 'LogicalExpression') return null
  const name = (arg['left'] as { name?: string }).name
  if (!name) return null
  const members = new Map<string, string>()
  for (const statement of (fn['body'] as { body: AstNode[] }).body) {
    const assign = statement['expression'] as AstNode | undefined
    const key = (assign?.['left'] as AstNode | undefined)?.['property'] as { value?: unknown } | undefined
    const value = (assign?.['right'] as { value?: unknown } | undefined)?.value
    if (typeof key?.value !== 'string' || typeof value !== 'string') return null
    members.set(key.value, value)
  }
  return { name, members }
}

/** Edits that inline the {@link LEAN_ENUMS} of a module: each member read becomes its string, each building statement goes. */
function enumEdits(program: AstNode, names: readonly string[], file: string): Array<{ node: AstNode; text: string }> {
  const edits: Array<{ node: AstNode; text: string }> = []
  const enums = new Map<string, Map<string, string>>()
  for (const statement of program['body'] as AstNode[]) {
    const found = enumStatement(statement)
    if (found && names.includes(found.name)) {
      enums.set(found.name, found.members)
      edits.push({ node: statement, text: '' })
    }
  }
  const missing = names.filter((name) => !enums.has(name))
  if (missing.length > 0) throw new Error(`${file} no longer builds the enums ${missing.join(', ')} (update LEAN_ENUMS in scripts/weweb-lean-modules.ts)`)
  const visit = (node: unknown, parent: AstNode | null): void => {
    if (Array.isArray(node)) return node.forEach((child) => visit(child, parent))
    if (!node || typeof node !== 'object') return
    const n = node as AstNode
    if (edits.some((edit) => edit.node === n)) return
    if (n.type === 'MemberExpression' && n['computed'] === false) {
      const members = enums.get((n['object'] as { name?: string }).name ?? '')
      const value = members?.get((n['property'] as { name?: string }).name ?? '')
      if (members && value === undefined) throw new Error(`${file} reads an unknown member of an enum in LEAN_ENUMS (scripts/weweb-lean-modules.ts)`)
      if (value !== undefined) return void edits.push({ node: n, text: JSON.stringify(value) })
    }
    const exported = parent?.type === 'VariableDeclarator' || parent?.type === 'ExportSpecifier'
    if (n.type === 'Identifier' && enums.has(String(n['name'])) && !exported) {
      throw new Error(`${file} uses the enum ${String(n['name'])} other than by reading a member (update LEAN_ENUMS in scripts/weweb-lean-modules.ts)`)
    }
    for (const [field, value] of Object.entries(n)) if (field !== 'type' && field !== 'start' && field !== 'end') visit(value, n)
  }
  visit(program, null)
  return edits
}

const ERROR_MODULE = JSON.stringify(path.join(STUBS, 'left-out-error.ts'))

/**
 * The module `code` of file `id` with the bodies of its {@link LEAN_METHODS} replaced by a
 * `LeftOutOfBundleError` throw, those of its {@link STAND_IN_METHODS} by their stand-ins, its
 * {@link LEAN_ENUMS} by their strings and, in realtime-js and Phoenix, its logger calls by
 * constants ({@link loggerCall}); `null` when there is nothing to replace. Throws when a listed method is not found exactly once, or when the body a
 * stand-in replaces changed.
 */
export function withLeanMethods(id: string, code: string): string | null {
  const thrown = LEAN_METHODS[id] ?? []
  const standIns = STAND_IN_METHODS[id] ?? {}
  const unset = UNSET_OPTIONS[id] ?? {}
  const names = [...new Set([...thrown, ...Object.keys(standIns), ...Object.keys(unset)])]
  const loggers = (id.startsWith(REALTIME) || id.startsWith(PHOENIX_SOURCES)) && id.endsWith('.js')
  if (names.length === 0 && !loggers) return null
  const program = parseSync(id, code).program as unknown as AstNode
  const { methods, logCalls } = leanTargets(program, names, loggers)
  const file = path.relative(ROOT, id)
  const edits = [...methods].flatMap(([name, list]) => {
    const [body] = list
    if (list.length !== 1 || !body) throw new Error(`${file} has ${list.length} methods ${name}, not one (update LEAN_METHODS in scripts/weweb-lean-modules.ts)`)
    const standIn = Object.hasOwn(standIns, name) ? standIns[name] : undefined
    const unsetHere = Object.hasOwn(unset, name) ? unset[name] : undefined
    if (!standIn && unsetHere) return unsetReadEdits(body, unsetHere, `${file}: ${name}`)
    if (!standIn) return [{ node: body, text: `{ throw new __LeftOutOfBundleError(${JSON.stringify(`${path.basename(id, '.js')}.${name.replace('static ', '')}()`)}) }` }]
    const hash = bodyHash(code.slice(body.start, body.end))
    if (hash !== standIn.replaces) throw new Error(`${file}: the body of ${name} changed (hash ${hash}, the stand-in replaces ${standIn.replaces}): check its stand-in in STAND_IN_METHODS of scripts/weweb-lean-modules.ts again`)
    if ((LEAN_ENUMS[id] ?? []).some((name) => standIn.body.includes(name))) throw new Error(`${file}: the stand-in of ${name} reads an enum of LEAN_ENUMS, which the compile drops`)
    return [{ node: body, text: standIn.body }]
  })
  const inReplaced = (inner: AstNode) => edits.some(({ node }) => node !== inner && node.start <= inner.start && inner.end <= node.end)
  for (const call of logCalls) if (!inReplaced(call)) edits.push({ node: call, text: loggerCall(call) === 'log' ? 'void 0' : 'false' })
  for (const edit of enumEdits(program, LEAN_ENUMS[id] ?? [], file)) if (!inReplaced(edit.node)) edits.push(edit)
  // NOTE: an unset read inside a replaced logger call goes with the call.
  for (let i = edits.length - 1; i >= 0; i--) if (inReplaced(edits[i]!.node)) edits.splice(i, 1)
  if (edits.length === 0) return null
  let out = code
  // NOTE: replaced from the end so the earlier offsets stay valid.
  for (const { node, text } of edits.sort((a, b) => b.node.start - a.node.start)) out = `${out.slice(0, node.start)}${text}${out.slice(node.end)}`
  return `import { LeftOutOfBundleError as __LeftOutOfBundleError } from ${ERROR_MODULE}\n${out}`
}

/**
 * A Vite plugin for the WeWeb compile: realtime-js imports `@supabase/phoenix` from its ES module
 * sources (the same code as `phoenix.mjs`, one module per file) so that single modules can be
 * replaced, then swaps the modules in {@link LEAN_REPLACEMENTS} for their stand-ins. The build
 * fails if a replaced module no longer exists or is no longer imported (a realtime-js upgrade
 * moved it): the list must then be checked again, never silently skipped.
 */
export function leanRealtimeModules(): Plugin {
  const applied = new Set<string>()
  return {
    name: 'weweb-lean-realtime-modules',
    enforce: 'pre',
    transform(code, id) {
      try {
        const out = withLeanMethods(id, code)
        return out === null ? null : { code: out, map: null }
      } catch (error) {
        return this.error(error instanceof Error ? error.message : String(error))
      }
    },
    buildStart() {
      applied.clear()
      const missing = [path.join(PHOENIX_SOURCES, 'index.js'), ...Object.keys(LEAN_REPLACEMENTS), ...Object.keys(LEAN_METHODS), ...Object.keys(STAND_IN_METHODS), ...Object.keys(UNSET_OPTIONS), ...Object.keys(LEAN_ENUMS)].filter((file) => !existsSync(file))
      if (missing.length > 0) this.error(`The modules the WeWeb build replaces moved (update scripts/weweb-lean-modules.ts): ${missing.map((f) => path.relative(ROOT, f)).join(', ')}`)
    },
    async resolveId(source, importer, options) {
      if (source === '@supabase/phoenix' && importer?.startsWith(REALTIME)) return path.join(PHOENIX_SOURCES, 'index.js')
      if (!importer || !(importer.startsWith(REALTIME) || importer.startsWith(PHOENIX_SOURCES))) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      const stub = resolved ? LEAN_REPLACEMENTS[resolved.id] : undefined
      if (!stub || !resolved) return null
      applied.add(resolved.id)
      return stub
    },
    buildEnd(error) {
      // NOTE: a watch rebuild (`npm run serve`) does not resolve unchanged modules again.
      if (error || this.meta.watchMode) return
      const unused = Object.keys(LEAN_REPLACEMENTS).filter((file) => !applied.has(file))
      if (unused.length > 0) this.error(`The WeWeb build no longer imports these replaced modules (update scripts/weweb-lean-modules.ts): ${unused.map((f) => path.relative(ROOT, f)).join(', ')}`)
    },
  }
}

/** The same replacements for esbuild (the metafile table of `npm run size`), so that it measures what the WeWeb bundle holds. */
export function leanRealtimeModulesEsbuild(): EsbuildPlugin {
  return {
    name: 'weweb-lean-realtime-modules',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'lean' || !(args.importer.startsWith(REALTIME) || args.importer.startsWith(PHOENIX_SOURCES))) return null
        if (args.path === '@supabase/phoenix') return { path: path.join(PHOENIX_SOURCES, 'index.js') }
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'lean' })
        const stub = LEAN_REPLACEMENTS[resolved.path]
        return stub ? { path: stub } : null
      })
      build.onLoad({ filter: /\.js$/ }, (args) => {
        const contents = withLeanMethods(args.path, readFileSync(args.path, 'utf8'))
        return contents === null ? null : { contents, loader: 'js', resolveDir: path.dirname(args.path) }
      })
    },
  }
}
