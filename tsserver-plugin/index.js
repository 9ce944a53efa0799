// tsserver requires plugins by name from node_modules with Node 10 resolution (no "exports"), as CommonJS.
module.exports = require('../dist/editor/plugin.cjs');
