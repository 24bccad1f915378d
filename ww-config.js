// The ww-config WeWeb's CLI bundles. It is generated from the TypeScript manifest the runtime
// validates with (editor-config/), compiled into .weweb/ by `npm run build:weweb`.
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
