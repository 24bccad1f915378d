// The runtime object WeWeb mounts as wwLib.wwPlugins.<namespace>; written in TypeScript
// (src/weweb-plugin.ts) and compiled into .weweb/ by `npm run build:weweb`.
import { createWewebPlugin } from '../.weweb/runtime.js'

export default createWewebPlugin()
