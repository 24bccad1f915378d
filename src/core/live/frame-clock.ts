import type { PointerWindow } from './live-types'

/** Schedules work for the next animation frame; returns the canceller. */
export type FrameClock = (callback: () => void) => () => void

/** Longest wait for a frame: a hidden tab gets no animation frames, its variables still update. */
const FRAME_FALLBACK_MS = 100
/** Frame length where there are no animation frames (Node). */
const FRAME_MS = 16

/**
 * One update per animation frame when the window has `requestAnimationFrame` (with a timer in
 * case the tab is hidden), else one every 16 ms.
 */
export function createFrameClock(win: PointerWindow | null): FrameClock {
  const raf = win?.requestAnimationFrame?.bind(win)
  const caf = win?.cancelAnimationFrame?.bind(win)
  if (!raf || !caf) {
    return (callback) => {
      const timer = setTimeout(callback, FRAME_MS)
      return () => clearTimeout(timer)
    }
  }
  return (callback) => {
    let done = false
    const cancel = () => {
      done = true
      caf(frame)
      clearTimeout(timer)
    }
    const run = () => {
      if (done) return
      cancel()
      callback()
    }
    const frame = raf(run)
    const timer = setTimeout(run, FRAME_FALLBACK_MS)
    return cancel
  }
}
