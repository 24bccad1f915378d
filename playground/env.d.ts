// NOTE: plain `tsc` (npm run typecheck) sees .vue files through this shim; `vue-tsc` checks their real types.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<Record<string, unknown>, object, unknown>
  export default component
}
