// Replaced by the package version when scripts/bundle.mjs bundles the CLI.
declare const __ATOMENV_VERSION__: string | undefined;

/** atomenv's version; `dev` when the CLI runs from source rather than from the bundle. */
export const VERSION: string = typeof __ATOMENV_VERSION__ === 'string' ? __ATOMENV_VERSION__ : 'dev';
