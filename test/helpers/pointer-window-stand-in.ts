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

  /** Registers an element that `document.querySelector(selector)` returns. */
  addArea(selector: string, rect: AreaRect): AreaStandIn {
    const area = new AreaStandIn(rect)
    this.areas.set(selector, area)
    return area
  }

  /** Dispatches a `pointermove` on the window at viewport coordinates. */
  move(clientX: number, clientY: number): void {
    this.dispatchEvent(Object.assign(new Event('pointermove'), { clientX, clientY, pageX: clientX + this.scrollX, pageY: clientY + this.scrollY, pointerType: 'mouse' }))
  }
}
