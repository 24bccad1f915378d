// What WeWeb's CLI bundles (its generated entry imports the runtime object and the ww-config);
// `npm run size` measures it with and without the wwEditor blocks.
import component from '../src/wwPlugin.js'
import config from '../ww-config.js'

export { component, config }
