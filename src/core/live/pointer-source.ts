import { issue, type ValidationIssue } from '../validation'
import type { PointerArea, PointerWindow } from './live-types'

/** Where pointer moves are read: the whole page, or one element. */
export type PointerAreaResult = { ok: true; area: PointerArea | null } | { ok: false; reason: 'not-found' | 'invalid-selector' }

/** Resolves the `area` of Share cursor: blank = the whole page, else the first element matching the selector. */
export function resolvePointerArea(win: PointerWindow, selector: string | undefined): PointerAreaResult {
  const text = selector?.trim() ?? ''
  if (text === '') return { ok: true, area: null }
  try {
    const area = win.document.querySelector(text)
    return area ? { ok: true, area } : { ok: false, reason: 'not-found' }
  } catch {
    // NOTE: querySelector throws a SyntaxError for a malformed selector such as `#`.
    return { ok: false, reason: 'invalid-selector' }
  }
}

/** The `area` issue when the selector matches nothing or is not a selector. */
export function areaIssue(selector: string, reason: 'not-found' | 'invalid-selector'): ValidationIssue {
  const leaveEmpty = 'leave Area empty to share the pointer over the whole page'
  return reason === 'not-found'
    ? issue('area', 'INVALID_VALUE', `No element on the page matches the area "${selector}".`, `Give the shared area an id or class in the editor and enter it here, e.g. #board or .canvas; ${leaveEmpty}.`)
    : issue('area', 'INVALID_VALUE', `The area "${selector}" is not a valid CSS selector.`, `Enter a CSS selector such as #board or .canvas, or ${leaveEmpty}.`)
}

const clamp = (n: number): number => (n < 0 ? 0 : n > 1 ? 1 : n)

function pointOf(event: Event): { clientX: number; clientY: number } | null {
  const { clientX, clientY } = event as Event & { clientX?: unknown; clientY?: unknown }
  return typeof clientX === 'number' && typeof clientY === 'number' && Number.isFinite(clientX) && Number.isFinite(clientY) ? { clientX, clientY } : null
}

/**
 * Listens to `pointermove` over the area and reports positions relative to it: 0..1 across an
 * element, or for the whole page the position in the page (scroll included) in units of the
 * window's width and height. Returns the remover.
 */
export function listenPointer(win: PointerWindow, area: PointerArea | null, onMove: (x: number, y: number) => void): () => void {
  const listener = (event: Event) => {
    const point = pointOf(event)
    if (!point) return
    if (area) {
      const rect = area.getBoundingClientRect()
      if (rect.width <= 0 || rect.height <= 0) return
      onMove(clamp((point.clientX - rect.left) / rect.width), clamp((point.clientY - rect.top) / rect.height))
      return
    }
    const width = win.innerWidth || 1
    const height = win.innerHeight || 1
    onMove(Math.max(0, (point.clientX + win.scrollX) / width), Math.max(0, (point.clientY + win.scrollY) / height))
  }
  const target = area ?? win
  target.addEventListener('pointermove', listener)
  return () => target.removeEventListener('pointermove', listener)
}
