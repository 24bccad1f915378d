import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { screenshot, waitForText, waitUntil, usePlaygroundFixture } from '../helpers/browser'

const fx = usePlaygroundFixture({ withoutDatabase: true })

/** Types a name, clicks "Join board" and waits until the pointer is shared. */
async function joinBoard(page: Page, name: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Your name' }).fill(name)
  await page.getByRole('button', { name: 'Join board' }).click()
  await waitForText(page.getByRole('status', { name: 'Pointer sharing' }), /Sharing your pointer every \d+ ms/)
  await page.getByRole('region', { name: 'Shared board' }).scrollIntoViewIfNeeded()
}

/** Moves the mouse to a spot of the board given as fractions of its width and height. */
async function moveOnBoard(page: Page, x: number, y: number, steps = 8): Promise<void> {
  const box = await page.getByRole('region', { name: 'Shared board' }).boundingBox()
  if (!box) throw new Error('the board is not on screen')
  await page.mouse.move(box.x + box.width * x, box.y + box.height * y, { steps })
}

/** Resolves once `name`'s cursor is shown at (x, y) ± 2% of the board in `page` (checked every frame). */
function cursorShownAt(page: Page, name: string, x: number, y: number, timeoutMs = 5000): Promise<unknown> {
  return page.waitForFunction(
    ({ name, x, y }) => {
      const board = document.getElementById('multiplayer-board')?.getBoundingClientRect()
      const cursor = [...document.querySelectorAll('.remote-cursor')].find((el) => el.textContent?.trim() === name)
      if (!board || !cursor) return false
      const at = cursor.getBoundingClientRect()
      return Math.abs((at.left - board.left) / board.width - x) <= 0.02 && Math.abs((at.top - board.top) / board.height - y) <= 0.02
    },
    { name, x, y },
    { polling: 'raf', timeout: timeoutMs },
  )
}

const cursorNames = (page: Page) => page.locator('.remote-cursor').allTextContents().then((names) => names.map((n) => n.trim()))

describe('multiplayer cursors in the playground', () => {
  it("shows each window's pointer in the other at the same spot, marks a still one idle, and removes it when the window closes", async () => {
    const ada = await fx().openPage()
    const bob = await fx().openPage()
    await joinBoard(ada.page, 'Ada')
    await joinBoard(bob.page, 'Bob')

    await moveOnBoard(ada.page, 0.1, 0.1)
    await cursorShownAt(bob.page, 'Ada', 0.1, 0.1)

    const shown = cursorShownAt(bob.page, 'Ada', 0.3, 0.6)
    const movedAt = Date.now()
    await moveOnBoard(ada.page, 0.3, 0.6, 1)
    await shown
    expect(Date.now() - movedAt).toBeLessThan(500)

    // Bob's pointer shows at Ada's; nobody sees their own.
    await moveOnBoard(bob.page, 0.75, 0.25)
    await cursorShownAt(ada.page, 'Bob', 0.75, 0.25)
    expect(await cursorNames(ada.page)).toEqual(['Bob'])
    expect(await cursorNames(bob.page)).toEqual(['Ada'])
    await screenshot(bob.page, 'multiplayer-cursors')

    // A pointer still for a few seconds is marked idle.
    const adaInBob = bob.page.locator('.remote-cursor', { hasText: 'Ada' })
    expect(await adaInBob.getAttribute('data-idle')).toBe('false')
    await waitUntil(async () => (await adaInBob.getAttribute('data-idle')) === 'true', 'Ada is marked idle in Bob', 8000)

    // Closing Ada's window removes her cursor within 2 s.
    const closedAt = Date.now()
    await ada.context.close()
    await waitUntil(async () => (await cursorNames(bob.page)).length === 0, "Ada's cursor disappears", 5000)
    expect(Date.now() - closedAt).toBeLessThan(2000)
    await bob.context.close()
  })

  it('stops showing the pointer to the others on Leave board', async () => {
    const ada = await fx().openPage()
    const bob = await fx().openPage()
    await joinBoard(ada.page, 'Ada')
    await joinBoard(bob.page, 'Bob')
    await moveOnBoard(ada.page, 0.5, 0.5)
    await cursorShownAt(bob.page, 'Ada', 0.5, 0.5)
    await ada.page.getByRole('button', { name: 'Leave board' }).click()
    await waitUntil(async () => (await cursorNames(bob.page)).length === 0, "Ada's cursor disappears after Leave board", 5000)
    await ada.context.close()
    await bob.context.close()
  })
})
