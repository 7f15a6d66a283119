// The project's one TypeScript loader. Runs the TypeScript the way ts-node's transpile-only mode
// did (TypeScript's transpileModule: no type-checking at run time; `npm test` type-checks), but
// transpiles each file once: the JavaScript is cached on disk, keyed by a hash of the source, its
// path, the compiler options and the TypeScript version. A run whose sources did not change never
// loads TypeScript, which is most of what starting the suite used to cost (about 1 s and 100 MB on
// a 2-core machine).
//
// Cucumber loads it through `requireModule` (cucumber.js); every npm script that runs a .ts file,
// and the test runner with each test file, through `node --require ./support/register-ts.js`
// (package.json). The cache lives in node_modules/.cache/ecs-preflight-ts (PREFLIGHT_TS_CACHE
// elsewhere); deleting it is always safe. Plain JavaScript on purpose: it is what loads the TypeScript.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CACHE_DIR = process.env.PREFLIGHT_TS_CACHE || path.join(ROOT, 'node_modules', '.cache', 'ecs-preflight-ts');
const TSCONFIG = path.join(ROOT, 'tsconfig.json');

let ts; // TypeScript, required on the first cache miss only
let compilerOptions; // tsconfig's, converted by TypeScript on the first miss

/** What else decides the output besides the source: the TypeScript version and tsconfig.json. */
const settingsKey = crypto
  .createHash('sha256')
  .update(require('typescript/package.json').version)
  .update('\0')
  .update(fs.readFileSync(TSCONFIG))
  .digest('hex');

function transpile(source, filename) {
  if (!ts) {
    ts = require('typescript');
    const { config, error } = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
    if (error) throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
    compilerOptions = {
      ...ts.convertCompilerOptionsFromJson(config.compilerOptions || {}, ROOT).options,
      // Emit JavaScript with an inline source map (as ts-node's transpile-only mode did).
      noEmit: false,
      declaration: false,
      sourceMap: false,
      inlineSourceMap: true,
    };
  }
  const { outputText, diagnostics } = ts.transpileModule(source, { fileName: filename, compilerOptions, reportDiagnostics: true });
  const syntax = (diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntax.length) throw new SyntaxError(`${filename}: ${ts.flattenDiagnosticMessageText(syntax[0].messageText, '\n')}`);
  return outputText;
}

function compiled(source, filename) {
  const key = crypto.createHash('sha256').update(settingsKey).update('\0').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // Not cached yet: transpile, then write it atomically (parallel workers may race for it).
  }
  const output = transpile(source, filename);
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, cached);
  } catch {
    // A read-only checkout still runs; it just transpiles every time.
  }
  return output;
}

// Stack traces point at the TypeScript lines, through the inline source maps.
process.setSourceMapsEnabled(true);

// V8's code cache for what loads from here on (the AWS SDK clients, the suite): compiling them is
// the next largest part of starting. Node ≥ 22.1; NODE_COMPILE_CACHE, if set, takes precedence.
require('node:module').enableCompileCache?.(path.join(ROOT, 'node_modules', '.cache', 'node-compile-cache'));

const previous = require.extensions['.ts'];
require.extensions['.ts'] = function loadTypeScript(module, filename) {
  // Packages ship JavaScript; leave any .ts inside node_modules to Node, as ts-node did.
  if (previous && filename.includes(`${path.sep}node_modules${path.sep}`)) return previous(module, filename);
  module._compile(compiled(fs.readFileSync(filename, 'utf8'), filename), filename);
};
