import { extname, join } from 'node:path';

/**
 * The path of a benchmark child script (a file started in its own process), with this file's
 * extension: `.js` when compiled for `npm run bench`, `.ts` under jest, which Node 24 runs by
 * stripping the types. Such scripts use only `node:` imports and erasable TypeScript syntax.
 */
export function childScript(folder: string, name: string): string {
	return join(folder, `${name}${extname(__filename)}`);
}

/**
 * Node flags for child scripts. Run as `.ts`, they use `import` in a package with no `"type"`, and
 * Node warns that it re-parses them as ES modules; that is expected here.
 */
export const childExecArgv = ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON'];
