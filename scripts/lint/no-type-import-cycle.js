// ESLint rule: no import cycle that goes through a type-only import.
//
// `import-x/no-cycle` finds cycles of value imports (the ones that can break at run time) but
// skips `import type`. A cycle of types still ties modules into one knot that cannot be read,
// tested or moved on its own, so this rule reports those: for each import of the linted file, it
// looks for a way back to the file through the relative imports of the project (value and type),
// and reports the cycle unless `import-x/no-cycle` already reports it (a value import with a
// value-only way back). `.vue` files are read through their `<script>` blocks.
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

const EXTENSIONS = ['.ts', '.vue', '.js', '/index.ts']

/** @type {Map<string, { mtimeMs: number, edges: Array<{ to: string, typeOnly: boolean }> }>} */
const graph = new Map()

function resolveImport(from, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null
  const base = path.resolve(path.dirname(from), specifier)
  for (const candidate of [base, ...EXTENSIONS.map((ext) => base + ext)]) {
    try {
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // try the next candidate
    }
  }
  return null
}

function scriptOf(file, text) {
  if (!file.endsWith('.vue')) return text
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n')
}

function isTypeOnlyImport(node) {
  const clause = node.importClause
  if (!clause) return false
  if (clause.isTypeOnly) return true
  const bindings = clause.namedBindings
  return !clause.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)
}

function collectEdges(file, source) {
  const edges = []
  const add = (specifier, typeOnly) => {
    const to = resolveImport(file, specifier)
    if (to) edges.push({ to, typeOnly })
  }
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text, isTypeOnlyImport(node))
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly))
      add(node.moduleSpecifier.text, typeOnly)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, false)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return edges
}

function edgesOf(file) {
  let mtimeMs
  try {
    mtimeMs = statSync(file).mtimeMs
  } catch {
    return []
  }
  const cached = graph.get(file)
  if (cached && cached.mtimeMs === mtimeMs) return cached.edges
  const text = scriptOf(file, readFileSync(file, 'utf8'))
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  const edges = collectEdges(file, source)
  graph.set(file, { mtimeMs, edges })
  return edges
}

/** The shortest way from `start` back to `target` (list of files), using value edges only when `valueOnly`. */
function wayBack(start, target, valueOnly) {
  const parent = new Map([[start, null]])
  const queue = [start]
  while (queue.length > 0) {
    const file = queue.shift()
    for (const edge of edgesOf(file)) {
      if (valueOnly && edge.typeOnly) continue
      if (edge.to === target) {
        const route = [file]
        for (let p = parent.get(file); p; p = parent.get(p)) route.unshift(p)
        return route
      }
      if (!parent.has(edge.to)) {
        parent.set(edge.to, file)
        queue.push(edge.to)
      }
    }
  }
  return null
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles that go through type-only imports (import-x/no-cycle covers value imports).' },
    schema: [],
    messages: { cycle: 'Import cycle: {{route}}. Move the shared type into a module both can import, or invert one dependency.' },
  },
  create(context) {
    const file = context.physicalFilename
    const cwd = context.cwd
    const check = (node, specifier, typeOnly) => {
      if (typeof specifier !== 'string') return
      const to = resolveImport(file, specifier)
      if (!to) return
      const route = wayBack(to, file, false)
      if (!route) return
      // A value import with a value-only way back is import-x/no-cycle's to report.
      if (!typeOnly && wayBack(to, file, true)) return
      const shown = [file, ...route, file].map((f) => path.relative(cwd, f)).join(' → ')
      context.report({ node, messageId: 'cycle', data: { route: shown } })
    }
    const namedTypeOnly = (specifiers, kind) => specifiers.length > 0 && specifiers.every((s) => s[kind] === 'type')
    return {
      ImportDeclaration(node) {
        const typeOnly = node.importKind === 'type' || (node.specifiers.every((s) => s.type === 'ImportSpecifier') && namedTypeOnly(node.specifiers, 'importKind'))
        check(node, node.source.value, typeOnly)
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value, node.exportKind === 'type' || namedTypeOnly(node.specifiers, 'exportKind'))
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, node.exportKind === 'type')
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value, false)
      },
    }
  },
}

export const importCycles = { rules: { 'no-type-import-cycle': rule } }
