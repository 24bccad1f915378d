// The runtime object WeWeb mounts as wwLib.wwPlugins.<namespace>; written in TypeScript
// (src/weweb-plugin.ts) and compiled into the git-ignored .weweb/ on install (`prepare`) and by
// `npm run build` / `npm run serve`.
import { createWewebPlugin } from '../.weweb/runtime.js'

export default createWewebPlugin()
