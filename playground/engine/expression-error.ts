/** Permanent codes of expression problems; never rename or reuse one. */
const CATALOG = {
  EXPRESSION_SYNTAX: {
    why: 'The binding is not a valid expression.',
    fix: 'Write a path such as inputs.message or event.data.payload.text, a literal such as "chat" or 42, or an object such as { text: inputs.message }.',
  },
  EXPRESSION_UNKNOWN_ROOT: {
    why: 'The binding starts with a name the playground does not know.',
    fix: 'Start the path with event, variables, inputs or item (inside lists).',
  },
  EXPRESSION_FORBIDDEN_KEY: {
    why: 'The binding reads a property that is never allowed.',
    fix: 'Remove __proto__, prototype or constructor from the path.',
  },
} as const satisfies Record<string, { why: string; fix: string }>

/** Code of an {@link ExpressionError}. */
export type ExpressionErrorCode = keyof typeof CATALOG

/** A problem in a binding expression, with the position where it was found and advice to fix it. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError'
  constructor(
    readonly code: ExpressionErrorCode,
    readonly detail: string,
    readonly position: number,
  ) {
    super(`${detail} (at character ${position + 1}). ${CATALOG[code].why}`)
  }

  /** What the user can do about it. */
  get fix(): string {
    return CATALOG[this.code].fix
  }

  toJSON(): { name: string; code: ExpressionErrorCode; message: string; fix: string; position: number } {
    return { name: this.name, code: this.code, message: this.message, fix: this.fix, position: this.position }
  }
}

/** Whether a value is an {@link ExpressionError}. */
export const isExpressionError = (e: unknown): e is ExpressionError => e instanceof ExpressionError
