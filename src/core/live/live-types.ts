/** Another member's pointer on a channel, as the `cursors` variable lists it. */
export interface RemoteCursor {
  /** The member's presence key. */
  key: string
  /** Horizontal position, 0..1 across the shared area (for the whole page: page width units, scroll included). */
  x: number
  /** Vertical position, 0..1 down the shared area (for the whole page: window height units, scroll included). */
  y: number
  /** The member's name as they shared it ('' when none). */
  label: string
  /** A CSS colour: the member's choice, else a stable colour of their key. */
  color: string
  /** When the shown position last changed (ms epoch). */
  updatedAt: number
  /** `true` once the pointer has not moved for a few seconds. */
  idle: boolean
}

/** Another member's live state on a channel, as the `liveState` variable lists it. */
export interface LiveMemberState {
  /** The member's presence key. */
  key: string
  /** The latest state the member shared. */
  state: Record<string, unknown>
  /** When it arrived (ms epoch). */
  updatedAt: number
}

/** Anything `pointermove` listeners can be added to: a window, an element, or a test stand-in. */
export interface PointerEventSource {
  addEventListener(type: 'pointermove', listener: (event: Event) => void): void
  removeEventListener(type: 'pointermove', listener: (event: Event) => void): void
}

/** An element the pointer is shared over (what `document.querySelector(area)` returns). */
export interface PointerArea extends PointerEventSource {
  getBoundingClientRect(): { left: number; top: number; width: number; height: number }
}

/**
 * Where the plugin listens to `pointermove` and reads sizes: the browser `window`, or in Node a
 * small stand-in (an `EventTarget` with these fields) on which tests dispatch `pointermove` events
 * carrying `clientX` and `clientY`.
 */
export interface PointerWindow extends PointerEventSource {
  readonly innerWidth: number
  readonly innerHeight: number
  readonly scrollX: number
  readonly scrollY: number
  readonly document: { querySelector(selector: string): PointerArea | null }
  requestAnimationFrame?(callback: (time: number) => void): number
  cancelAnimationFrame?(handle: number): void
}
