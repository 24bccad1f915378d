// The ww-config WeWeb's CLI bundles. It is generated from the TypeScript manifest the runtime
// validates with (editor-config/), compiled into the git-ignored .weweb/ on install (`prepare`)
// and again, from scratch, by `npm run build` and `npm run serve`.
import { wewebRuntimeConfig } from './.weweb/config.js'
/* wwEditor:start */
import { withEditorParts } from './.weweb/editor.js'
/* wwEditor:end */

let config = wewebRuntimeConfig()
/* wwEditor:start */
// Labels, trigger samples and conditions, copilot schemas, the settings panel and the action forms.
config = withEditorParts()
/* wwEditor:end */

export default config
