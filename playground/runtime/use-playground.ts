import { inject, type InjectionKey } from 'vue'
import type { Playground } from './create-playground'

/** Injection key of the playground state. */
export const PLAYGROUND_KEY: InjectionKey<Playground> = Symbol('playground')

/** The playground state, in a component below the app root. */
export function usePlayground(): Playground {
  const playground = inject(PLAYGROUND_KEY)
  if (!playground) throw new Error('usePlayground() must be called inside the playground app.')
  return playground
}
