/** The box of an area, as `getBoundingClientRect()` gives it. */
export interface AreaRect {
  left: number
  top: number
  width: number
  height: number
}

/** An element of the stand-in page: an event target with a box. */
export class AreaStandIn extends EventTarget {
  constructor(public rect: AreaRect) {
    super()
  }

  getBoundingClientRect(): AreaRect & { x: number; y: number; right: number; bottom: number } {
    const { left, top, width, height } = this.rect
    return { left, top, width, height, x: left, y: top, right: left + width, bottom: top + height }
  }
}

/**
 * A browser window for Node, as far as pointer sharing needs one: `pointermove` events with
 * `clientX`/`clientY`, the viewport size, the scroll offsets and `document.querySelector` over
 * the areas registered with {@link PointerWindowStandIn.addArea}.
 */
export class PointerWindowStandIn extends EventTarget {
  scrollX = 0
  scrollY = 0
  private readonly areas = new Map<string, AreaStandIn>()
  readonly document = {
    querySelector: (selector: string): AreaStandIn | null => this.areas.get(selector) ?? null,
  }

  constructor(
    public innerWidth = 1000,
    public innerHeight = 1000,
  ) {
    super()
  }

  private readonly listening = new Map<string, number>()

  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void {
    if (listener) this.listening.set(type, (this.listening.get(type) ?? 0) + 1)
    super.addEventListener(type, listener, options)
  }

  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: EventListenerOptions | boolean): void {
    if (listener) this.listening.set(type, Math.max(0, (this.listening.get(type) ?? 0) - 1))
    super.removeEventListener(type, listener, options)
  }

  /** How many listeners of `type` were added and not removed (a removal of an unknown listener counts too). */
  listenerCount(type: string): number {
    return this.listening.get(type) ?? 0
  }

  /** Registers an element that `document.querySelector(selector)` returns. */
  addArea(selector: string, rect: AreaRect): AreaStandIn {
    const area = new AreaStandIn(rect)
    this.areas.set(selector, area)
    return area
  }

  /**
   * Dispatches a `pointermove` at viewport coordinates as a browser would: on every registered
   * area under the point, then on the window (where it bubbles to).
   */
  move(clientX: number, clientY: number): void {
    const event = (): Event => Object.assign(new Event('pointermove'), { clientX, clientY, pageX: clientX + this.scrollX, pageY: clientY + this.scrollY, pointerType: 'mouse' })
    for (const area of this.areas.values()) {
      const { left, top, width, height } = area.rect
      if (clientX >= left && clientX <= left + width && clientY >= top && clientY <= top + height) area.dispatchEvent(event())
    }
    this.dispatchEvent(event())
  }
}
