/**
 * `node -r ./test/setup/ts-register.js src/main.ts`: runs the real entry point from source in a
 * child process, for the tests that need a whole API process (kill its database, send it
 * SIGTERM). Each file is transpiled on load with the project's compiler options, without type
 * checking (`npm run typecheck` does that); ts-node is not a dependency, and a build takes
 * many seconds. Transpiling the API costs about 3 s on a small machine, so the output is cached
 * by content in node_modules/.cache (a later start loads in about a second).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..', '..');
const { config } = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
const compilerOptions = { ...options, sourceMap: false, inlineSourceMap: false, declaration: false };
const cacheDir = path.join(root, 'node_modules', '.cache', 'ts-register');
const salt = `${ts.version}\0${JSON.stringify(compilerOptions)}`;

function transpile(source, filename) {
  const key = crypto.createHash('sha256').update(salt).update('\0').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const { outputText } = ts.transpileModule(source, { fileName: filename, compilerOptions });
    // Written aside and renamed: two processes transpiling the same file never read half of it.
    fs.mkdirSync(cacheDir, { recursive: true });
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, outputText);
    fs.renameSync(partial, cached);
    return outputText;
  }
}

require.extensions['.ts'] = (module, filename) => {
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
